/// Limits for `JSONValue(parsing:limits:)`.
public struct JSONLimits: Sendable, Hashable {
    /// Inputs longer than this many bytes are rejected with `.tooLarge` before parsing starts. Default 16 MiB.
    public var maxInputBytes: Int = 16 * 1024 * 1024
    /// The deepest nesting of arrays and objects accepted; the outermost container is level 1, so `[[1]]` needs 2.
    /// Default 128. Values above `JSONLimits.maximumSupportedDepth` act as that maximum.
    public var maxDepth: Int = 128

    /// The hard ceiling on `maxDepth`. The parser, the serializers, `==`, hashing and deinitialisation recurse once
    /// per level. At this depth they need about 200 KiB of stack in optimised builds (about 1.4 MiB in debug
    /// builds); at the default depth of 128, about 25 KiB (180 KiB in debug builds), which fits any thread.
    public static let maximumSupportedDepth = 1_000

    /// Limits for one parse; the defaults suit credentials, trust lists and status lists.
    public init(maxInputBytes: Int = 16 * 1024 * 1024, maxDepth: Int = 128) {
        self.maxInputBytes = maxInputBytes
        self.maxDepth = maxDepth
    }

    /// 16 MiB, depth 128.
    public static let `default` = JSONLimits()
}

/// Why and where parsing failed.
///
/// `byteOffset` is 0-based in the input bytes. `line` and `column` are 1-based: lines are separated by LF (CRLF
/// works too), and `column` counts bytes from the start of the line, so a multi-byte character counts for more than
/// one column.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the parser expected when it met an unexpected character.
    public enum Expectation: Sendable, Hashable, CustomStringConvertible {
        /// A value: object, array, string, number, `true`, `false` or `null`.
        case value
        /// A member name (a string).
        case memberName
        /// The `:` after a member name.
        case colon
        /// `,` or `]` after an array element.
        case commaOrEndOfArray
        /// `,` or `}` after an object member.
        case commaOrEndOfObject
        /// The rest of `true`, `false` or `null`.
        case literal

        public var description: String {
            switch self {
            case .value: "a value"
            case .memberName: "a member name in double quotes"
            case .colon: "':' after the member name"
            case .commaOrEndOfArray: "',' or ']'"
            case .commaOrEndOfObject: "',' or '}'"
            case .literal: "true, false or null"
            }
        }
    }

    /// The kind of error. Each case has its own plain-words description.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// A second member with exactly the same name (after unescaping) in one object. The payload is the name.
        case duplicateKey(String)
        /// Bytes that are not well-formed UTF-8 (overlong forms, encoded surrogates, truncated sequences, …).
        case invalidUTF8
        /// A `\uD800`…`\uDFFF` escape that is not a high surrogate directly followed by a low surrogate escape.
        case loneSurrogate
        /// A number whose magnitude is too large for a finite IEEE 754 double, such as `1e400`.
        case numberOutOfRange
        /// A number that breaks the grammar: `-`, `1.`, `.5`, `1e`, `+1`, …
        case invalidNumber
        /// A number with a leading zero, such as `01` or `-00.5`.
        case leadingZero
        /// `NaN`, `Infinity` or `-Infinity`, which are not JSON.
        case nonFiniteNumber
        /// A character that cannot appear here. The payload is the byte found there.
        case unexpectedCharacter(UInt8, expected: Expectation)
        /// The input ended inside a value.
        case unexpectedEnd
        /// Something other than whitespace after the value.
        case trailingCharacters
        /// A `,` directly before `]` or `}`.
        case trailingComma
        /// A raw character below U+0020 inside a string; it must be escaped.
        case controlCharacterInString
        /// A backslash not followed by one of `" \ / b f n r t` or by `u` and four hex digits.
        case invalidEscape
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// An input longer than the limit, in bytes.
        case tooLarge(limit: Int)
        /// The input starts with a UTF-8 byte order mark.
        case byteOrderMark

        public var description: String {
            switch self {
            case .duplicateKey(let key): "duplicate member name \(displayQuoted(key))"
            case .invalidUTF8: "invalid UTF-8 byte sequence"
            case .loneSurrogate: "lone or mis-paired UTF-16 surrogate in a \\u escape"
            case .numberOutOfRange: "number is too large for an IEEE 754 double (RFC 7493 §2.2)"
            case .invalidNumber: "invalid number"
            case .leadingZero: "leading zeros are not allowed in numbers"
            case .nonFiniteNumber: "NaN and Infinity are not JSON numbers"
            case .unexpectedCharacter(let byte, let expected):
                "unexpected \(displayByte(byte)), expected \(expected)"
            case .unexpectedEnd: "unexpected end of input"
            case .trailingCharacters: "unexpected data after the JSON value"
            case .trailingComma: "trailing comma"
            case .controlCharacterInString: "control character in a string must be escaped"
            case .invalidEscape: "invalid escape sequence in a string"
            case .tooDeep(let limit): "arrays and objects nested deeper than \(limit) levels"
            case .tooLarge(let limit): "input is larger than \(limit) bytes"
            case .byteOrderMark: "byte order mark is not allowed (RFC 8259 §8.1)"
            }
        }
    }

    /// What went wrong.
    public let reason: Reason
    /// 0-based offset of the offending byte in the input.
    public let byteOffset: Int
    /// 1-based line number (lines end at LF).
    public let line: Int
    /// 1-based column, counted in bytes from the start of the line.
    public let column: Int

    public init(reason: Reason, byteOffset: Int, line: Int, column: Int) {
        self.reason = reason
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    /// One line, for example `line 3, column 7 (byte 42): duplicate member name "a"`.
    public var description: String {
        "line \(line), column \(column) (byte \(byteOffset)): \(reason)"
    }
}

extension JSONParseError {
    /// Computes line and column for `offset` in `input`.
    init(reason: Reason, byteOffset offset: Int, in input: UnsafeBufferPointer<UInt8>) {
        let limit = min(max(offset, 0), input.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < limit {
            if input[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        self.init(reason: reason, byteOffset: offset, line: line, column: offset - lineStart + 1)
    }
}

private func displayByte(_ byte: UInt8) -> String {
    switch byte {
    case 0x21...0x7E: "character '\(Character(Unicode.Scalar(byte)))'"
    case 0x20: "space"
    default: "byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}

/// The name as a one-line JSON string, shortened to 64 scalars.
private func displayQuoted(_ key: String) -> String {
    var shortened = String.UnicodeScalarView()
    var count = 0
    for scalar in key.unicodeScalars {
        if count == 64 {
            shortened.append(contentsOf: "…".unicodeScalars)
            break
        }
        shortened.append(scalar)
        count += 1
    }
    var sink = ByteSink(capacity: 64)
    writeJSONString(String(shortened), into: &sink)
    return String(decoding: sink.bytes, as: UTF8.self)
}
