import CanonicalJSON
import Foundation
import TestSupport
import Testing

/// Unicode noncharacters are scalar values like any other (Unicode Corrigendum #9): accepted raw or escaped, and
/// written raw by RFC 8785 (§3.2.2.2). Issue #10, item 1.
@Suite("Noncharacters are ordinary characters")
struct NoncharacterTests {
    /// All 66: U+FDD0…U+FDEF and U+nFFFE, U+nFFFF of every plane.
    static let noncharacters: [Unicode.Scalar] =
        (0xFDD0...0xFDEF).map { Unicode.Scalar($0)! }
        + (0...0x10).flatMap { plane in [plane << 16 | 0xFFFE, plane << 16 | 0xFFFF].map { Unicode.Scalar($0)! } }

    static func folder() -> URL {
        packageRoot().appendingPathComponent("Tests/CanonicalJSONTests/Noncharacters")
    }

    /// `\uXXXX`, or a surrogate pair of escapes above U+FFFF.
    static func escaped(_ scalar: Unicode.Scalar, uppercase: Bool = true) -> String {
        String(scalar).utf16.map { unit in
            let hex = String(unit, radix: 16, uppercase: uppercase)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }

    @Test("the noncharacter document canonicalizes exactly as Python rfc8785 does (Noncharacters/PROVENANCE.md)")
    func matchesPythonRFC8785() throws {
        let input = try [UInt8](Data(contentsOf: Self.folder().appendingPathComponent("noncharacters.json")))
        let expected = try [UInt8](Data(contentsOf: Self.folder().appendingPathComponent("noncharacters.canonical.json")))
        // The input really holds raw noncharacters and escaped ones, as names and as values.
        #expect(input.count > 1000 && expected.count > 700)
        #expect(String(decoding: input, as: UTF8.self).contains(#""\uFDD0": "outer"#))
        #expect(String(decoding: input, as: UTF8.self).contains("\"\u{FFFE}\": \"outer"))
        let canonical = try JSONValue.canonicalize(input)
        #expect(canonical == expected, "got \(String(decoding: canonical, as: UTF8.self))")
        // The expected bytes are canonical themselves.
        #expect(try JSONValue.canonicalize(expected) == expected)
    }

    @Test("each noncharacter, raw or escaped (either case), parses to itself and is written raw")
    func everyNoncharacter() throws {
        for scalar in Self.noncharacters {
            let string = String(scalar)
            let raw = "\"" + string + "\""
            let expected = Array(raw.utf8)
            for spelling in [raw, "\"" + Self.escaped(scalar) + "\"", "\"" + Self.escaped(scalar, uppercase: false) + "\""] {
                let value = try JSONValue(parsing: spelling)
                #expect(value.stringValue.map { Array($0.unicodeScalars) } == [scalar], "\(spelling)")
                #expect(value.canonicalBytes() == expected, "\(spelling)")
                #expect(value.serialized() == expected, "\(spelling)")
                #expect(value.serialized(pretty: true) == expected, "\(spelling)")
            }
            // As a member name too, and raw and escaped spell the same name.
            let object = try JSONValue(parsing: "{\"" + Self.escaped(scalar) + "\": " + raw + "}")
            #expect(object.canonicalBytes() == Array("{\(raw):\(raw)}".utf8))
            #expect(parseError("{\(raw): 1, \"\(Self.escaped(scalar))\": 2}")?.reason == .duplicateKey(string))
        }
    }

    @Test("neighbours of noncharacters stay ordinary characters")
    func neighbours() throws {
        #expect(try JSONValue(parsing: #"["\ufdcf","\ufdf0","\ufffd","\ud83f\udffd","\udbff\udffd"]"#)
            == ["\u{FDCF}", "\u{FDF0}", "\u{FFFD}", "\u{1FFFD}", "\u{10FFFD}"])
    }

    @Test("lone surrogates stay rejected, including halves of a noncharacter's pair")
    func loneSurrogates() {
        let escapes: [(String, Int)] = [
            (#""\uD83F""#, 1), (#""\uDFFE""#, 1), (#""\udbff""#, 1), (#""\udfff""#, 1),
            (#""\uDFFE\uD83F""#, 1), (#""\uD83F\uFFFE""#, 1), (#""\uFFFE\uDBFF""#, 7), (#"{"\uDBFF":1}"#, 2),
        ]
        for (text, offset) in escapes {
            let error = parseError(text)
            #expect(error?.reason == .loneSurrogate, "\(text)")
            #expect(error?.byteOffset == offset, "\(text)")
        }
        // Surrogates encoded in UTF-8 (CESU-8 style, here for U+1FFFE) are not UTF-8.
        #expect(parseError([0x22, 0xED, 0xA0, 0xBF, 0xED, 0xBF, 0xBE, 0x22])?.reason == .invalidUTF8)
        #expect(parseError([0x22, 0xEF, 0xBF, 0xBF, 0xED, 0xBF, 0xBF, 0x22])?.byteOffset == 4)
    }

    @Test("raw noncharacters at every position of strings up to 40 bytes (the word-at-a-time string scan)")
    func rawAtEveryPosition() throws {
        for scalar in [0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF].map({ Unicode.Scalar($0)! }) {
            for length in 0...40 {
                for position in [0, length / 2, length] {
                    var scalars = String.UnicodeScalarView(repeatElement("a" as Unicode.Scalar, count: length))
                    scalars.insert(scalar, at: scalars.index(scalars.startIndex, offsetBy: position))
                    let text = String(scalars)
                    let raw = Array(("\"" + text + "\"").utf8)
                    #expect(try JSONValue(parsing: raw) == .string(text), "\(length) \(position)")
                    #expect(try JSONValue(parsing: raw).canonicalBytes() == raw)
                    // After an escape the string takes the slow path.
                    let afterEscape = Array(("\"\\n" + text + "\"").utf8)
                    #expect(try JSONValue(parsing: afterEscape) == .string("\n" + text))
                }
            }
        }
    }
}
