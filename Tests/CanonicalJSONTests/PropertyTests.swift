import CanonicalJSON
import TestSupport
import Testing

/// Random JSON documents from a seeded generator: astral characters, noncharacters, every control character,
/// canonically equivalent spellings, and numbers near 2^53, 1e21, 1e-7, subnormals and -0.
struct DocumentGenerator {
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &random)
    }

    mutating func chance(_ percent: Int) -> Bool {
        int(0...99) < percent
    }

    mutating func scalar() -> Unicode.Scalar {
        func pick(_ range: ClosedRange<UInt32>, _ random: inout SplitMix64) -> Unicode.Scalar {
            while true {
                if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { return scalar }
            }
        }
        switch int(0...99) {
        case 0..<40: return pick(0x20...0x7E, &random)
        case 40..<50: return pick(0x00...0x1F, &random)
        case 50..<55: return ["\"", "\\", "/", "\u{7F}", "\u{2028}", "\u{2029}", "\u{FEFF}"][int(0...6)]
        case 55..<62: return pick(0x80...0xFF, &random)
        case 62..<70: return pick(0x100...0xD7FF, &random)
        case 70..<80: return pick(0xE000...0xFFFF, &random)
        case 80..<90: return pick(0x10000...0x10FFFF, &random)
        case 90..<92:  // a noncharacter: U+FDD0…U+FDEF, or U+nFFFE/U+nFFFF of any plane
            return chance(50)
                ? pick(0xFDD0...0xFDEF, &random) : Unicode.Scalar(UInt32(int(0...0x10)) << 16 | 0xFFFE | UInt32(int(0...1)))!
        default: return ["\u{301}", "\u{30A}", "\u{E9}", "\u{C5}", "\u{212B}", "e", "A"][int(0...6)]
        }
    }

    mutating func string(maxLength: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<int(0...maxLength) { scalars.append(scalar()) }
        return String(scalars)
    }

    mutating func number() -> Double {
        let value: Double
        switch int(0...11) {
        case 0: value = 9_007_199_254_740_992 + Double(int(-4...4))
        case 1: value = [1e21.nextDown, 1e21, 1e21.nextUp, 999_999_999_999_999_900_000, 1e21 * Double(int(1...9))][int(0...4)]
        case 2: value = [1e-7.nextDown, 1e-7, 1e-7.nextUp, 1e-6.nextDown, 1e-6, 1e-6.nextUp][int(0...5)]
        case 3: value = Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF)  // subnormal (or 0)
        case 4: value = [-0.0, 0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude][int(0...4)]
        case 5: value = Double(int(-1_000_000...1_000_000))
        case 6: value = Double(int(-100_000_000...100_000_000)) / [10, 100, 1000, 1e6][int(0...3)]
        case 7: value = Double(Int64.random(in: .min ... .max, using: &random))
        default:
            var bits: Double
            repeat { bits = Double(bitPattern: random.next()) } while !bits.isFinite
            value = bits
        }
        return chance(30) ? -value : value
    }

    mutating func value(depth: Int) -> JSONValue {
        let leafOnly = depth <= 0
        switch int(0...(leafOnly ? 3 : 5)) {
        case 0: return [.null, .bool(true), .bool(false)][int(0...2)]
        case 1, 2: return .number(number())
        case 3: return .string(string(maxLength: chance(10) ? 40 : 8))
        case 4:
            return .array((0..<int(0...5)).map { _ in value(depth: depth - 1) })
        default:
            var object = JSONObject()
            var seen = Set<[UInt8]>()
            for _ in 0..<int(0...(chance(5) ? 30 : 6)) {
                let key = chance(20) ? ["", "a", "ab", "\u{E000}", "\u{1F600}", "\u{FB33}", "\u{E9}", "e\u{301}"][int(0...7)]
                    : string(maxLength: 5)
                guard seen.insert(Array(key.utf8)).inserted else { continue }
                object.members.append(JSONMember(key, value(depth: depth - 1)))
            }
            return .object(object)
        }
    }
}

/// An independent, slow RFC 8785 serializer: sorts with `utf16.lexicographicallyPrecedes`, escapes scalar by scalar.
func referenceCanonical(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let bool): return bool ? "true" : "false"
    case .number(let number): return jcsNumberString(number)  // checked separately against the ES6 vectors
    case .string(let string): return referenceQuoted(string)
    case .array(let elements): return "[" + elements.map(referenceCanonical).joined(separator: ",") + "]"
    case .object(let object):
        let sorted = object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
        return "{" + sorted.map { referenceQuoted($0.key) + ":" + referenceCanonical($0.value) }.joined(separator: ",")
            + "}"
    }
}

func referenceQuoted(_ string: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("\"")
    for scalar in string.unicodeScalars {
        switch scalar.value {
        case 0x22: out.append(contentsOf: #"\""#.unicodeScalars)
        case 0x5C: out.append(contentsOf: #"\\"#.unicodeScalars)
        case 0x08: out.append(contentsOf: #"\b"#.unicodeScalars)
        case 0x09: out.append(contentsOf: #"\t"#.unicodeScalars)
        case 0x0A: out.append(contentsOf: #"\n"#.unicodeScalars)
        case 0x0C: out.append(contentsOf: #"\f"#.unicodeScalars)
        case 0x0D: out.append(contentsOf: #"\r"#.unicodeScalars)
        case 0..<0x20:
            let hex = String(scalar.value, radix: 16)
            out.append(contentsOf: ("\\u00" + (hex.count == 1 ? "0" : "") + hex).unicodeScalars)
        default: out.append(scalar)
        }
    }
    out.append("\"")
    return String(out)
}

/// The value with every object's members in canonical order.
func sortedDeep(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let elements): return .array(elements.map(sortedDeep))
    case .object(let object):
        return .object(
            JSONObject(
                object.members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
                    .map { JSONMember($0.key, sortedDeep($0.value)) }))
    default: return value
    }
}

@Suite("Properties over thousands of generated documents (seeded SplitMix64)")
struct PropertyTests {
    @Test("canonical(parse(canonical(x))) == canonical(x), and equals an independent reference", arguments: [1, 2, 3, 4] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        var generator = DocumentGenerator(seed: seed)
        for index in 0..<1_000 {
            let document = generator.value(depth: 4)
            let canonical = document.canonicalBytes()
            let parsed = try JSONValue(parsing: canonical)
            let checks = [
                ("canonical(parse(canonical(x))) == canonical(x)", parsed.canonicalBytes() == canonical),
                ("canonical(x) == reference(x)", canonical == Array(referenceCanonical(document).utf8)),
                ("parse(canonical(x)) == x with members sorted", parsed == sortedDeep(document)),
                // The order-keeping serializations round-trip exactly, member order included.
                ("parse(serialized(x)) == x", try JSONValue(parsing: document.serialized()) == document),
                ("parse(pretty(x)) == x", try JSONValue(parsing: document.serialized(pretty: true)) == document),
            ]
            for (property, holds) in checks where !holds {
                Issue.record("seed \(seed), document \(index): \(property) fails for \(document.canonicalString())")
            }
            if checks.contains(where: { !$0.1 }) { return }  // the first failing document is enough
        }
    }

    @Test("numbers: the JCS text parses back to the same double, and is at most 17 significant digits")
    func numberRoundTrip() throws {
        var generator = DocumentGenerator(seed: 42)
        for _ in 0..<50_000 {
            let value = generator.number()
            let text = jcsNumberString(value)
            let parsed = try #require(try JSONValue(parsing: text).numberValue, "\(text)")
            #expect(parsed.bitPattern == (value == 0 ? 0 : value.bitPattern), "\(value.bitPattern): \(text)")
            #expect(Double(text) == value)
            let digits = text.prefix { $0 != "e" }.filter(\.isNumber).drop { $0 == "0" }
            #expect(digits.count <= 21, "\(text)")
        }
    }

    @Test("random decimal texts parse exactly as the standard library's correctly rounded parser")
    func decimalParsing() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<50_000 {
            var text = Bool.random(using: &random) ? "-" : ""
            let integerDigits = Int.random(in: 1...20, using: &random)
            text += String(Int.random(in: 1...9, using: &random))
            for _ in 1..<integerDigits { text += String(Int.random(in: 0...9, using: &random)) }
            if Bool.random(using: &random) {
                text += "."
                for _ in 0..<Int.random(in: 1...20, using: &random) { text += String(Int.random(in: 0...9, using: &random)) }
            }
            if Bool.random(using: &random) {
                text += ["e", "E", "e+", "e-", "E-"][Int.random(in: 0...4, using: &random)]
                text += String(Int.random(in: 0...330, using: &random))
            }
            let expected = try #require(Double(text))
            if expected.isFinite {
                let parsed = try JSONValue(parsing: text).numberValue
                #expect(parsed?.bitPattern == expected.bitPattern, "\(text)")
            } else {
                #expect(parseError(text)?.reason == .numberOutOfRange, "\(text)")
            }
        }
    }

    @Test("key order agrees with utf16.lexicographicallyPrecedes on random names")
    func keyOrder() {
        var generator = DocumentGenerator(seed: 99)
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let a = generator.string(maxLength: 4)
            let b = generator.chance(50) ? a + generator.string(maxLength: 2) : generator.string(maxLength: 4)
            for (x, y) in [(a, b), (b, a)] where jcsKeyPrecedes(x, y) != x.utf16.lexicographicallyPrecedes(y.utf16) {
                Issue.record("wrong order for \(x.debugDescription) and \(y.debugDescription)")
                failures += 1
            }
        }
    }

    @Test("mutated documents never crash the parser; whatever parses is valid and canonicalises stably")
    func mutations() throws {
        var generator = DocumentGenerator(seed: 2024)
        for _ in 0..<3_000 {
            var bytes = generator.value(depth: 3).serialized(pretty: generator.chance(50))
            guard !bytes.isEmpty else { continue }
            for _ in 0..<generator.int(1...3) {
                let position = generator.int(0...(bytes.count - 1))
                switch generator.int(0...3) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator.random)
                case 1: bytes.remove(at: position)
                case 2:
                    let interesting: [UInt8] = [0x22, 0x5C, 0x2C, 0x5D, 0x7D, 0x3A, 0x30, 0x2D, 0x65, 0x80, 0xED, 0xF0]
                    bytes.insert(interesting[generator.int(0...interesting.count - 1)], at: position)
                default: bytes.insert(contentsOf: bytes[position...].prefix(4), at: position)
                }
                if bytes.isEmpty { break }
            }
            do {
                let value = try JSONValue(parsing: bytes)
                let canonical = value.canonicalBytes()
                #expect(try JSONValue(parsing: canonical).canonicalBytes() == canonical)
                #expect(!value.containsNonFiniteNumber)
            } catch {
                #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count, "\(error)")
                #expect(error.line >= 1 && error.column >= 1)
            }
        }
    }
}
