import CanonicalJSON
import Foundation
import TestSupport
import Testing

/// One must-fail input with the exact error it must produce.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let reason: JSONParseError.Reason
    let offset: Int
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ reason: JSONParseError.Reason, at offset: Int) {
        self.init(name, Array(text.utf8), reason, at: offset)
    }

    init(_ name: String, _ bytes: [UInt8], _ reason: JSONParseError.Reason, at offset: Int) {
        self.name = name
        self.bytes = bytes
        self.reason = reason
        self.offset = offset
    }
}

@Suite("Strict parser: every invalid input gets its own error and position")
struct InvalidInputTests {
    static let cases: [InvalidCase] = [
        // Duplicate names, compared after unescaping, by exact scalars.
        InvalidCase("duplicate key", #"{"a":1,"a":2}"#, .duplicateKey("a"), at: 7),
        InvalidCase("duplicate key spelled with an escape", #"{"a":1,"\u0061":2}"#, .duplicateKey("a"), at: 7),
        InvalidCase("duplicate key, both escaped", #"{"\u00e9":1,"\u00E9":2}"#, .duplicateKey("\u{E9}"), at: 12),
        InvalidCase("duplicate key: raw and escaped astral", #"{"😀":1,"\ud83d\ude00":2}"#, .duplicateKey("😀"), at: 10),
        InvalidCase("duplicate key in a nested object", #"[{"x":{"b":1,"c":2,"b":3}}]"#, .duplicateKey("b"), at: 19),
        InvalidCase("duplicate empty key", #"{"":1,"":2}"#, .duplicateKey(""), at: 6),
        // Surrogates.
        InvalidCase("lone high surrogate", #""\ud800""#, .loneSurrogate, at: 1),
        InvalidCase("lone low surrogate", #""\udc00""#, .loneSurrogate, at: 1),
        InvalidCase("high surrogate then a non-surrogate escape", #""\ud800\u0041""#, .loneSurrogate, at: 1),
        InvalidCase("high surrogate then a raw character", #""\ud800A""#, .loneSurrogate, at: 1),
        InvalidCase("two high surrogates", #""\ud800\ud800""#, .loneSurrogate, at: 1),
        InvalidCase("low then high surrogate", #""\udc00\ud800""#, .loneSurrogate, at: 1),
        InvalidCase("lone surrogate in a key", #"{"\udfff":1}"#, .loneSurrogate, at: 2),
        // Noncharacters are ordinary characters; halves of their surrogate pairs are still lone surrogates.
        InvalidCase("high half of U+1FFFE alone", #""\uD83F""#, .loneSurrogate, at: 1),
        InvalidCase("high surrogate after a noncharacter", #""\uFFFF\udbff""#, .loneSurrogate, at: 7),
        // Numbers.
        InvalidCase("1e400", "1e400", .numberOutOfRange, at: 0),
        InvalidCase("-1e400", "[-1e400]", .numberOutOfRange, at: 1),
        InvalidCase("huge integer", String(repeating: "9", count: 400), .numberOutOfRange, at: 0),
        InvalidCase("just above the largest double", "1.7976931348623159e308", .numberOutOfRange, at: 0),
        InvalidCase("NaN", "NaN", .nonFiniteNumber, at: 0),
        InvalidCase("Infinity", "[Infinity]", .nonFiniteNumber, at: 1),
        InvalidCase("-Infinity", "-Infinity", .nonFiniteNumber, at: 0),
        InvalidCase("leading zero", "01", .leadingZero, at: 0),
        InvalidCase("negative leading zero", "-01.5", .leadingZero, at: 0),
        InvalidCase("double zero", "[00]", .leadingZero, at: 1),
        InvalidCase("minus alone", "-", .invalidNumber, at: 0),
        InvalidCase("minus then a letter", "-a", .invalidNumber, at: 0),
        InvalidCase("no digit after the point", "1.", .invalidNumber, at: 0),
        InvalidCase("no digit after the point, in an array", "[1.]", .invalidNumber, at: 1),
        InvalidCase("no digit before the point", ".5", .invalidNumber, at: 0),
        InvalidCase("no exponent digits", "1e", .invalidNumber, at: 0),
        InvalidCase("no exponent digits after the sign", "1e+", .invalidNumber, at: 0),
        InvalidCase("plus sign", "+1", .invalidNumber, at: 0),
        InvalidCase("hex number", "0x10", .trailingCharacters, at: 1),
        // Commas.
        InvalidCase("trailing comma in an array", "[1,]", .trailingComma, at: 2),
        InvalidCase("trailing comma before whitespace", "[1 , ]", .trailingComma, at: 3),
        InvalidCase("trailing comma in an object", #"{"a":1,}"#, .trailingComma, at: 6),
        InvalidCase("leading comma", "[,1]", .unexpectedCharacter(0x2C, expected: .value), at: 1),
        InvalidCase("missing comma", "[1 2]", .unexpectedCharacter(0x32, expected: .commaOrEndOfArray), at: 3),
        InvalidCase("missing comma in an object", #"{"a":1 "b":2}"#, .unexpectedCharacter(0x22, expected: .commaOrEndOfObject), at: 7),
        // Object syntax.
        InvalidCase("missing colon", #"{"a" 1}"#, .unexpectedCharacter(0x31, expected: .colon), at: 5),
        InvalidCase("unquoted name", "{a:1}", .unexpectedCharacter(0x61, expected: .memberName), at: 1),
        InvalidCase("single-quoted name", "{'a':1}", .unexpectedCharacter(0x27, expected: .memberName), at: 1),
        InvalidCase("number as name", "{1:2}", .unexpectedCharacter(0x31, expected: .memberName), at: 1),
        // Strings.
        InvalidCase("raw control character", "\"a\u{01}b\"", .controlCharacterInString, at: 2),
        InvalidCase("unescaped tab", "\"a\tb\"", .controlCharacterInString, at: 2),
        InvalidCase("unescaped newline", "[\"a\nb\"]", .controlCharacterInString, at: 3),
        InvalidCase("raw NUL after an escape", "\"\\n\u{0}\"", .controlCharacterInString, at: 3),
        InvalidCase("bad escape \\x", #""\x41""#, .invalidEscape, at: 1),
        InvalidCase("bad escape \\U", #""\U0041""#, .invalidEscape, at: 1),
        InvalidCase("bad escape \\'", #""\'""#, .invalidEscape, at: 1),
        InvalidCase("short unicode escape", #""\u12""#, .invalidEscape, at: 1),
        InvalidCase("non-hex unicode escape", #""\u00g0""#, .invalidEscape, at: 1),
        InvalidCase("unterminated string", #""abc"#, .unexpectedEnd, at: 4),
        InvalidCase("unterminated escape", "\"\\", .unexpectedEnd, at: 2),
        // UTF-8.
        InvalidCase("overlong NUL", [0x22, 0xC0, 0x80, 0x22], .invalidUTF8, at: 1),
        InvalidCase("overlong slash", [0x22, 0xC1, 0xAF, 0x22], .invalidUTF8, at: 1),
        InvalidCase("overlong three-byte", [0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),
        InvalidCase("overlong four-byte", [0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], .invalidUTF8, at: 1),
        InvalidCase("surrogate encoded in UTF-8", [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 1),
        InvalidCase("low surrogate encoded in UTF-8", [0x22, 0x61, 0xED, 0xBF, 0xBF, 0x22], .invalidUTF8, at: 2),
        InvalidCase("U+1FFFE as UTF-8-encoded surrogates", [0x22, 0xED, 0xA0, 0xBF, 0xED, 0xBF, 0xBE, 0x22], .invalidUTF8, at: 1),
        InvalidCase("truncated sequence before the quote", [0x22, 0xE2, 0x82, 0x22], .invalidUTF8, at: 1),
        InvalidCase("truncated sequence at the end", [0x22, 0xE2, 0x82], .invalidUTF8, at: 1),
        InvalidCase("lone continuation byte", [0x22, 0x80, 0x22], .invalidUTF8, at: 1),
        InvalidCase("above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        InvalidCase("byte 0xFF", [0x22, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0xFF, 0x22], .invalidUTF8, at: 9),
        InvalidCase("invalid UTF-8 in a key", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], .invalidUTF8, at: 2),
        InvalidCase("non-ASCII byte outside a string", [0x5B, 0xC3, 0xA9, 0x5D], .unexpectedCharacter(0xC3, expected: .value), at: 1),
        // Literals, structure and trailing data.
        InvalidCase("byte order mark", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], .byteOrderMark, at: 0),
        InvalidCase("byte order mark before a string", [0xEF, 0xBB, 0xBF, 0x22, 0x22], .byteOrderMark, at: 0),
        InvalidCase("trailing garbage", "{} x", .trailingCharacters, at: 3),
        InvalidCase("two values", "1 2", .trailingCharacters, at: 2),
        InvalidCase("literal with a tail", "truex", .trailingCharacters, at: 4),
        InvalidCase("trailing NUL", "[]\u{0}", .trailingCharacters, at: 2),
        InvalidCase("misspelt literal", "nul1", .unexpectedCharacter(0x31, expected: .literal), at: 3),
        InvalidCase("capitalised literal", "True", .unexpectedCharacter(0x54, expected: .value), at: 0),
        InvalidCase("truncated literal", "[tru", .unexpectedEnd, at: 4),
        InvalidCase("empty input", "", .unexpectedEnd, at: 0),
        InvalidCase("only whitespace", " \n\t ", .unexpectedEnd, at: 4),
        InvalidCase("unclosed array", "[1,2", .unexpectedEnd, at: 4),
        InvalidCase("unclosed object", #"{"a":"#, .unexpectedEnd, at: 5),
        InvalidCase("comment", "[1] // no", .trailingCharacters, at: 4),
        InvalidCase("form feed is not whitespace", "[\u{0C}1]", .unexpectedCharacter(0x0C, expected: .value), at: 1),
        InvalidCase("non-breaking space is not whitespace", "[\u{A0}1]", .unexpectedCharacter(0xC2, expected: .value), at: 1),
    ]

    @Test("rejected with the expected reason and byte offset", arguments: cases)
    func rejected(_ invalid: InvalidCase) {
        let error = #expect(throws: JSONParseError.self) {
            _ = try JSONValue(parsing: invalid.bytes)
        }
        #expect(error?.reason == invalid.reason, "\(invalid.name): \(String(describing: error))")
        #expect(error?.byteOffset == invalid.offset, "\(invalid.name): \(String(describing: error))")
    }

    @Test("the string and non-contiguous entry points report the same error", arguments: cases)
    func sameErrorEverywhere(_ invalid: InvalidCase) throws {
        let fromBytes = parseError(invalid.bytes)
        let nonContiguous = invalid.bytes.indices.lazy.map { invalid.bytes[$0] }
        #expect(parseError(nonContiguous) == fromBytes)
        if let text = String(validating: invalid.bytes, as: UTF8.self) {
            #expect(parseError(text) == fromBytes)
        }
    }

    @Test("the byte order mark error says why")
    func byteOrderMarkMessage() {
        let error = parseError([0xEF, 0xBB, 0xBF, 0x5B, 0x5D])
        #expect(error?.description == "line 1, column 1 (byte 0): byte order mark is not allowed (RFC 8259 §8.1)")
        // A string that starts with U+FEFF has the same bytes.
        #expect(parseError("\u{FEFF}[]")?.reason == .byteOrderMark)
        // U+FEFF inside a string is an ordinary character.
        #expect((try? JSONValue(parsing: "\"\u{FEFF}\"")) == .string("\u{FEFF}"))
    }

    @Test("line and column are 1-based; the column counts bytes; CRLF counts as one line break")
    func positions() {
        let text = "{\n  \"a\": 1,\n  \"a\": 2\n}"
        let error = parseError(text)
        #expect(error?.reason == .duplicateKey("a"))
        #expect(error?.line == 3)
        #expect(error?.column == 3)
        #expect(error?.byteOffset == 14)
        #expect(error?.description == #"line 3, column 3 (byte 14): duplicate member name "a""#)

        let crlf = parseError("[\r\n  1,\r\n  x]")
        #expect(crlf?.line == 3)
        #expect(crlf?.column == 3)
        #expect(crlf?.reason == .unexpectedCharacter(0x78, expected: .value))

        // "é" is two bytes, so the column after it is one more than the character count.
        let wide = parseError("[\"é\", 01]")
        #expect(wide?.reason == .leadingZero)
        #expect(wide?.line == 1)
        #expect(wide?.column == 8)
    }

    @Test("descriptions are one line of plain words")
    func descriptions() {
        for invalid in Self.cases {
            guard let error = parseError(invalid.bytes) else {
                Issue.record("\(invalid.name) did not fail")
                continue
            }
            let text = error.description
            #expect(!text.contains("\n") && !text.contains("\r"), "\(invalid.name): \(text)")
            #expect(text.hasPrefix("line \(error.line), column \(error.column) (byte \(error.byteOffset)): "))
            #expect(text.count < 200)
        }
        #expect(JSONParseError.Reason.tooDeep(limit: 128).description == "arrays and objects nested deeper than 128 levels")
        #expect(JSONParseError.Reason.tooLarge(limit: 10).description == "input is larger than 10 bytes")
        #expect(
            JSONParseError.Reason.unexpectedCharacter(0x78, expected: .colon).description
                == "unexpected character 'x', expected ':' after the member name")
        #expect(JSONParseError.Reason.unexpectedCharacter(0xC3, expected: .value).description.contains("0xC3"))
        // A duplicate name with control characters stays on one line; a long one is shortened.
        #expect(JSONParseError.Reason.duplicateKey("a\nb").description == #"duplicate member name "a\nb""#)
        #expect(JSONParseError.Reason.duplicateKey(String(repeating: "x", count: 1000)).description.count < 100)
    }

    @Test("each reason is distinct")
    func distinctReasons() {
        let reasons: [JSONParseError.Reason] = [
            .duplicateKey("a"), .invalidUTF8, .loneSurrogate, .numberOutOfRange,
            .invalidNumber, .leadingZero, .nonFiniteNumber, .unexpectedCharacter(0x41, expected: .value),
            .unexpectedEnd, .trailingCharacters, .trailingComma, .controlCharacterInString, .invalidEscape,
            .tooDeep(limit: 1), .tooLarge(limit: 1), .byteOrderMark,
        ]
        #expect(Set(reasons).count == reasons.count)
        #expect(Set(reasons.map(\.description)).count == reasons.count)
    }
}

func parseError(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) -> JSONParseError? {
    do {
        _ = try JSONValue(parsing: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, limits: JSONLimits = .default) -> JSONParseError? {
    do {
        _ = try JSONValue(parsing: text, limits: limits)
        return nil
    } catch {
        return error
    }
}
