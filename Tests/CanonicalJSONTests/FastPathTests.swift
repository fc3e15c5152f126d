import CanonicalJSON
import TestSupport
import Testing

/// The word-at-a-time paths of the serializer (string copying and escaping, sort prefixes) against plain,
/// byte-by-byte reference implementations, at every length and every position of a special byte.
@Suite("Serializer fast paths agree with simple reference implementations")
struct FastPathTests {
    /// U+FDD0 (a noncharacter), which a Swift string literal cannot spell as `\u{FDD0}`.
    static let fdd0 = String(Unicode.Scalar(0xFDD0)!)

    /// RFC 8785 string escaping, one scalar at a time. Everything but `"`, `\` and U+0000…U+001F is copied as is,
    /// noncharacters (U+FDD0…U+FDEF, U+nFFFE, U+nFFFF) included.
    static func referenceQuoted(_ string: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        let hex = Array("0123456789abcdef".utf8)
        for byte in string.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x08: out += [0x5C, 0x62]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0C: out += [0x5C, 0x66]
            case 0x0D: out += [0x5C, 0x72]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }

    @Test("strings of every length up to 40 with a special character at every position")
    func stringEscapingAtEveryPosition() {
        let specials: [String] = [
            "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀", "\u{2028}", Self.fdd0, "\u{FFFE}", "\u{10FFFF}",
        ]
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(JSONValue.string(plain).canonicalBytes() == Self.referenceQuoted(plain))
            for special in specials {
                for position in 0...length {
                    var characters = Array(plain)
                    characters.insert(Character(special), at: position)
                    let text = String(characters)
                    #expect(JSONValue.string(text).canonicalBytes() == Self.referenceQuoted(text), "\(length) \(position)")
                    #expect(JSONValue.string(text).serialized() == Self.referenceQuoted(text))
                }
            }
        }
    }

    @Test("random strings from a mixed alphabet")
    func randomStrings() {
        var random = SplitMix64(seed: 0x5EED_F457)
        let alphabet: [String] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\t", "\u{1}", "\u{1B}", "ß", "𝄞", "\u{FFFD}", "~", Self.fdd0, "\u{FFFF}",
            "\u{1FFFE}",
        ]
        for _ in 0..<3000 {
            let length = Int.random(in: 0...48, using: &random)
            var text = ""
            for _ in 0..<length {
                // Mostly plain ASCII, like real documents.
                text += Int.random(in: 0..<10, using: &random) < 7
                    ? "x" : alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
            }
            let bytes = JSONValue.string(text).canonicalBytes()
            #expect(bytes == Self.referenceQuoted(text))
            #expect((try? JSONValue(parsing: bytes)) == .string(text))
        }
    }

    @Test("member order: names of every length, ASCII and not, sharing long prefixes")
    func memberOrder() throws {
        var random = SplitMix64(seed: 0x0DE5)
        let pieces: [String] = [
            "a", "b", "A", "z", "é", "\u{E000}", "\u{FFFF}", "😀", "\u{10000}", "0", "~", Self.fdd0, "\u{1FFFE}", "\u{10FFFF}",
        ]
        for _ in 0..<500 {
            var names: [String] = []
            let count = Int.random(in: 1...30, using: &random)
            let prefix = String(repeating: "p", count: Int.random(in: 0...10, using: &random))
            while names.count < count {
                var name = prefix
                for _ in 0..<Int.random(in: 0...10, using: &random) {
                    name += pieces[Int.random(in: 0..<pieces.count, using: &random)]
                }
                if !names.contains(where: { Array($0.utf8) == Array(name.utf8) }) { names.append(name) }
            }
            let object = JSONObject(names.enumerated().map { JSONMember($0.element, .number(Double($0.offset))) })
            let canonical = JSONValue.object(object).canonicalBytes()
            let sorted = names.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            var expected: [UInt8] = [0x7B]
            for (position, name) in sorted.enumerated() {
                if position > 0 { expected.append(0x2C) }
                expected += Self.referenceQuoted(name)
                expected.append(0x3A)
                expected += Array(jcsNumberString(Double(names.firstIndex(of: name)!)).utf8)
            }
            expected.append(0x7D)
            #expect(canonical == expected)
        }
    }

    @Test("canonical bytes with one member left out equal those of a copy without it")
    func canonicalBytesOmitting() throws {
        var random = SplitMix64(seed: 0x0A17)
        let names = ["proof", "@context", "id", "type", "issuer", "a", "é", "😀", "proofValue", "z"]
        for _ in 0..<500 {
            var object = JSONObject()
            for name in names where Bool.random(using: &random) {
                object[name] = Bool.random(using: &random) ? .string(name + "!") : ["nested": .number(1.5), "b": [1, 2]]
            }
            let omitted = names[Int.random(in: 0..<names.count, using: &random)]
            var copy = object
            copy.removeValue(forKey: omitted)
            let expected = JSONValue.object(copy).canonicalBytes()
            #expect(object.withCanonicalBytes(omitting: omitted) { Array($0) } == expected)
            #expect(object.withCanonicalBytes { Array($0) } == JSONValue.object(object).canonicalBytes())
        }
        // Names are compared exactly: "é" precomposed does not omit "e" + U+0301.
        let object: JSONObject = ["e\u{301}": 1, "x": 2]
        #expect(object.withCanonicalBytes(omitting: "\u{E9}") { Array($0) } == JSONValue.object(object).canonicalBytes())
    }
}
