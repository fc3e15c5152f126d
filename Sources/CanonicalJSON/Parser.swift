extension JSONValue {
    /// Parses one JSON text from UTF-8 bytes, strictly (RFC 8259 + I-JSON, RFC 7493).
    ///
    /// Contiguous collections (`[UInt8]`, `ArraySlice`, `Data`, `String.UTF8View`, buffer pointers) are read in
    /// place; others are copied once.
    /// - Parameters:
    ///   - bytes: The whole document. A leading byte order mark is rejected.
    ///   - limits: Size and depth limits.
    /// - Throws: `JSONParseError` with the reason and position of the first problem.
    public init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONParseError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONValue.parse($0, limits: limits) }
        if let result {
            self = try result.get()
            return
        }
        // Not contiguous: check the size before copying.
        let count = bytes.count
        if count > limits.maxInputBytes {
            let prefix = Array(bytes.prefix(limits.maxInputBytes))
            throw prefix.withUnsafeBufferPointer {
                JSONParseError(reason: .tooLarge(limit: limits.maxInputBytes), byteOffset: limits.maxInputBytes, in: $0)
            }
        }
        self = try Array(bytes).withUnsafeBufferPointer { JSONValue.parse($0, limits: limits) }.get()
    }

    /// Parses one JSON text from a string's UTF-8 bytes. Same rules as `init(parsing:limits:)` for bytes; a string
    /// that starts with U+FEFF is rejected as a byte order mark.
    public init(parsing text: String, limits: JSONLimits = .default) throws(JSONParseError) {
        try self.init(parsing: text.utf8, limits: limits)
    }

    /// Parses `bytes` and returns their RFC 8785 canonical form.
    public static func canonicalize(
        _ bytes: some Collection<UInt8>, limits: JSONLimits = .default
    ) throws(JSONParseError) -> [UInt8] {
        try JSONValue(parsing: bytes, limits: limits).canonicalBytes()
    }

    static func parse(_ input: UnsafeBufferPointer<UInt8>, limits: JSONLimits) -> Result<JSONValue, JSONParseError> {
        if input.count > limits.maxInputBytes {
            return .failure(
                JSONParseError(
                    reason: .tooLarge(limit: limits.maxInputBytes), byteOffset: limits.maxInputBytes, in: input))
        }
        guard let base = input.baseAddress, input.count > 0 else {
            return .failure(JSONParseError(reason: .unexpectedEnd, byteOffset: 0, in: input))
        }
        var parser = Parser(
            base: base, end: input.count,
            maxDepth: max(0, min(limits.maxDepth, JSONLimits.maximumSupportedDepth)))
        do throws(ParseFailure) {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(JSONParseError(reason: error.reason, byteOffset: error.offset, in: input))
        }
    }
}

/// A parse error before line and column are known.
struct ParseFailure: Error {
    var reason: JSONParseError.Reason
    var offset: Int
}

private let quote: UInt8 = 0x22
private let backslash: UInt8 = 0x5C

/// Recursive descent over a byte buffer. One instance parses one document.
struct Parser: ~Copyable {
    let base: UnsafePointer<UInt8>
    let end: Int
    let maxDepth: Int
    var pos = 0
    var depth = 0
    /// Unescaped bytes of the string being decoded.
    var scratch: [UInt8] = []
    /// Elements of the arrays being parsed, innermost last. Shared so that each array is allocated once, at its
    /// exact size.
    var elementStack = MoveStack<JSONValue>(capacity: 32)
    /// Members of the objects being parsed, innermost last.
    var memberStack = MoveStack<JSONMember>(capacity: 32)
    /// `fingerprint` of each name on `memberStack`, to skip most exact comparisons when looking for duplicates.
    var keyPrints = MoveStack<UInt64>(capacity: 32)
    /// The fingerprint of the last string parsed with `parseString(isKey: true)`.
    var lastKeyPrint: UInt64 = 0

    init(base: UnsafePointer<UInt8>, end: Int, maxDepth: Int) {
        self.base = base
        self.end = end
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(ParseFailure) -> JSONValue {
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF {
            throw ParseFailure(reason: .byteOrderMark, offset: 0)
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if pos != end {
            throw ParseFailure(reason: .trailingCharacters, offset: pos)
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            let byte = base[pos]
            if byte == 0x20 {
                pos &+= 1
                // Indentation: skip runs of eight spaces at once.
                while pos &+ 8 <= end
                    && UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
                {
                    pos &+= 8
                }
            } else if byte == 0x0A || byte == 0x0D || byte == 0x09 {
                pos &+= 1
            } else {
                return
            }
        }
    }

    /// The recursion goes parseArray/parseObject → parseValue (inlined) → parseArray/parseObject; everything else is
    /// out of line, so each nesting level costs only those two small frames (about 0.2 KiB of stack in release
    /// builds, 1.4 KiB in debug builds).
    @inline(__always)
    mutating func parseValue() throws(ParseFailure) -> JSONValue {
        guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
        switch base[pos] {
        case 0x7B:  // {
            return try parseObject()
        case 0x5B:  // [
            return try parseArray()
        default:
            return try parseScalar()
        }
    }

    @inline(never)
    mutating func parseScalar() throws(ParseFailure) -> JSONValue {
        switch base[pos] {
        case quote:
            return .string(try parseString(isKey: false))
        case 0x74:  // t
            try parseLiteral(0x7472_7565, length: 4)  // "true"
            return .bool(true)
        case 0x66:  // f
            try parseLiteral(0x66_616C_7365, length: 5)  // "false"
            return .bool(false)
        case 0x6E:  // n
            try parseLiteral(0x6E75_6C6C, length: 4)  // "null"
            return .null
        case 0x2D, 0x30...0x39:  // - 0-9
            return .number(try parseNumber())
        case 0x4E, 0x49:  // N I
            if matches("NaN", at: pos) || matches("Infinity", at: pos) {
                throw ParseFailure(reason: .nonFiniteNumber, offset: pos)
            }
            throw ParseFailure(reason: .unexpectedCharacter(base[pos], expected: .value), offset: pos)
        case 0x2B, 0x2E:  // + .
            throw ParseFailure(reason: .invalidNumber, offset: pos)
        default:
            throw ParseFailure(reason: .unexpectedCharacter(base[pos], expected: .value), offset: pos)
        }
    }

    func matches(_ word: StaticString, at offset: Int) -> Bool {
        let count = word.utf8CodeUnitCount
        guard offset + count <= end else { return false }
        let text = word.utf8Start
        for i in 0..<count where base[offset + i] != text[i] {
            return false
        }
        return true
    }

    /// `bigEndianWord` holds the literal's ASCII bytes, first byte most significant.
    @inline(__always)
    mutating func parseLiteral(_ bigEndianWord: UInt64, length: Int) throws(ParseFailure) {
        for i in 0..<length {
            let expected = UInt8(truncatingIfNeeded: bigEndianWord >> UInt64(8 * (length - 1 - i)))
            guard pos + i < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos + i) }
            let byte = base[pos + i]
            if byte != expected {
                throw ParseFailure(reason: .unexpectedCharacter(byte, expected: .literal), offset: pos + i)
            }
        }
        pos += length
    }

    @inline(__always)
    mutating func enterContainer() throws(ParseFailure) {
        depth &+= 1
        if depth > maxDepth {
            throw ParseFailure(reason: .tooDeep(limit: maxDepth), offset: pos)
        }
    }

    mutating func parseArray() throws(ParseFailure) -> JSONValue {
        try enterContainer()
        pos &+= 1  // [
        skipWhitespace()
        guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
        if base[pos] == 0x5D {
            pos &+= 1
            depth &-= 1
            return .array([])
        }
        let start = elementStack.count
        while true {
            let element = try parseValue()
            elementStack.push(element)
            if try endOfItem(closingWith: 0x5D, expected: .commaOrEndOfArray) { break }  // ]
        }
        let elements = elementStack.popArray(from: start)
        depth &-= 1
        return .array(elements)
    }

    /// After an array element or object member: consumes a comma (refusing a trailing one before `closing`)
    /// and returns false, or consumes `closing` and returns true.
    @inline(__always)
    private mutating func endOfItem(closingWith closing: UInt8, expected: JSONParseError.Expectation) throws(ParseFailure) -> Bool {
        skipWhitespace()
        guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
        let byte = base[pos]
        if byte == 0x2C {  // ,
            let comma = pos
            pos &+= 1
            skipWhitespace()
            if pos < end && base[pos] == closing {
                throw ParseFailure(reason: .trailingComma, offset: comma)
            }
            return false
        }
        guard byte == closing else {
            throw ParseFailure(reason: .unexpectedCharacter(byte, expected: expected), offset: pos)
        }
        pos &+= 1
        return true
    }

    mutating func parseObject() throws(ParseFailure) -> JSONValue {
        try enterContainer()
        pos &+= 1  // {
        skipWhitespace()
        guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
        if base[pos] == 0x7D {
            pos &+= 1
            depth &-= 1
            return .object(JSONObject())
        }
        let start = memberStack.count
        // Built once an object has many members, so that duplicate detection stays linear.
        var index: Set<ExactKey>? = nil
        while true {
            guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
            guard base[pos] == quote else {
                throw ParseFailure(reason: .unexpectedCharacter(base[pos], expected: .memberName), offset: pos)
            }
            let key = try parseKey(objectStart: start, index: &index)
            let keyPrint = lastKeyPrint

            skipWhitespace()
            guard pos < end else { throw ParseFailure(reason: .unexpectedEnd, offset: pos) }
            guard base[pos] == 0x3A else {  // :
                throw ParseFailure(reason: .unexpectedCharacter(base[pos], expected: .colon), offset: pos)
            }
            pos &+= 1
            skipWhitespace()
            let value = try parseValue()
            memberStack.push(JSONMember(key, value))
            keyPrints.push(keyPrint)
            if try endOfItem(closingWith: 0x7D, expected: .commaOrEndOfObject) { break }  // }
        }
        let members = memberStack.popArray(from: start)
        keyPrints.truncate(to: start)
        depth &-= 1
        return .object(JSONObject(members))
    }

    // MARK: Strings

    /// Parses a member name at `pos` and throws if the object that started at `objectStart` on `memberStack`
    /// already has a member with exactly this name. Sets `lastKeyPrint`.
    @inline(never)
    mutating func parseKey(objectStart start: Int, index: inout Set<ExactKey>?) throws(ParseFailure) -> String {
        let keyOffset = pos
        let key = try parseString(isKey: true)
        let keyPrint = lastKeyPrint
        let count = memberStack.count - start
        if count < 16 {
            var i = start
            while i < memberStack.count {
                if keyPrints[i] == keyPrint && exactlyEqual(memberStack[i].key, key) {
                    throw ParseFailure(reason: .duplicateKey(key), offset: keyOffset)
                }
                i &+= 1
            }
        } else {
            if index == nil {
                var set = Set<ExactKey>(minimumCapacity: 32)
                for i in start..<memberStack.count { set.insert(ExactKey(memberStack[i].key)) }
                index = set
            }
            if !index!.insert(ExactKey(key)).inserted {
                throw ParseFailure(reason: .duplicateKey(key), offset: keyOffset)
            }
        }
        return key
    }

    /// Parses the string starting at the quote at `pos`. For a member name (`isKey`), also sets `lastKeyPrint`.
    @inline(__always)
    mutating func parseString(isKey: Bool) throws(ParseFailure) -> String {
        let start = pos &+ 1
        var i = start
        while true {
            // Eight bytes at a time until a quote, backslash, control or non-ASCII byte.
            while i &+ 8 <= end {
                let mask = stringSpecialMask(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
                if mask == 0 {
                    i &+= 8
                } else {
                    i &+= mask.trailingZeroBitCount &>> 3
                    break
                }
            }
            guard i < end else { throw ParseFailure(reason: .unexpectedEnd, offset: end) }
            let byte = base[i]
            if byte == quote {
                break
            } else if byte == backslash {
                return try parseEscapedString(contentStart: start, escape: i, isKey: isKey)
            } else if byte < 0x20 {
                throw ParseFailure(reason: .controlCharacterInString, offset: i)
            } else if byte >= 0x80 {
                i = try validateUTF8(at: i)
            } else {
                i &+= 1
            }
        }
        pos = i &+ 1
        if isKey { lastKeyPrint = fingerprint(UnsafeBufferPointer(start: base + start, count: i &- start)) }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: i &- start), as: UTF8.self)
    }

    /// The slow path: a string with at least one escape, decoded into `scratch`.
    mutating func parseEscapedString(contentStart: Int, escape: Int, isKey: Bool) throws(ParseFailure) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + contentStart, count: escape - contentStart))
        var i = escape
        while true {
            guard i < end else { throw ParseFailure(reason: .unexpectedEnd, offset: end) }
            let byte = base[i]
            if byte == quote {
                pos = i + 1
                let (string, print) = scratch.withUnsafeBufferPointer { bytes in
                    (String(decoding: bytes, as: UTF8.self), isKey ? fingerprint(bytes) : 0)
                }
                if isKey { lastKeyPrint = print }
                return string
            } else if byte == backslash {
                guard i + 1 < end else { throw ParseFailure(reason: .unexpectedEnd, offset: end) }
                switch base[i + 1] {
                case quote, backslash, 0x2F: scratch.append(base[i + 1])
                case 0x62: scratch.append(0x08)  // b
                case 0x66: scratch.append(0x0C)  // f
                case 0x6E: scratch.append(0x0A)  // n
                case 0x72: scratch.append(0x0D)  // r
                case 0x74: scratch.append(0x09)  // t
                case 0x75:  // u
                    let unit = try hex4(at: i + 2, escape: i)
                    var scalar = UInt32(unit)
                    var length = 6
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        guard i + 7 < end, base[i + 6] == backslash, base[i + 7] == 0x75 else {
                            throw ParseFailure(reason: .loneSurrogate, offset: i)
                        }
                        let low = try hex4(at: i + 8, escape: i + 6)
                        guard low >= 0xDC00 && low <= 0xDFFF else {
                            throw ParseFailure(reason: .loneSurrogate, offset: i)
                        }
                        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        length = 12
                    } else if unit >= 0xDC00 && unit <= 0xDFFF {
                        throw ParseFailure(reason: .loneSurrogate, offset: i)
                    }
                    appendUTF8(scalar)
                    i += length
                    continue
                default:
                    throw ParseFailure(reason: .invalidEscape, offset: i)
                }
                i += 2
            } else if byte < 0x20 {
                throw ParseFailure(reason: .controlCharacterInString, offset: i)
            } else if byte >= 0x80 {
                let next = try validateUTF8(at: i)
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + i, count: next - i))
                i = next
            } else {
                // Copy the run of plain ASCII up to the next special byte at once.
                var next = i + 1
                while next &+ 8 <= end
                    && stringSpecialMask(UInt64(littleEndian: UnsafeRawPointer(base + next).loadUnaligned(as: UInt64.self))) == 0
                {
                    next &+= 8
                }
                while next < end {
                    let b = base[next]
                    if b < 0x20 || b == quote || b == backslash || b >= 0x80 { break }
                    next &+= 1
                }
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + i, count: next - i))
                i = next
            }
        }
    }

    /// Four hex digits at `offset`, for the escape that starts at `escape`.
    func hex4(at offset: Int, escape: Int) throws(ParseFailure) -> UInt16 {
        var value: UInt16 = 0
        for k in 0..<4 {
            guard offset + k < end else { throw ParseFailure(reason: .unexpectedEnd, offset: end) }
            let c = base[offset + k]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: throw ParseFailure(reason: .invalidEscape, offset: escape)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks the well-formed UTF-8 sequence (Unicode Table 3-7) that starts at `i` with a byte ≥ 0x80 and returns
    /// the index after it.
    @inline(__always)
    func validateUTF8(at i: Int) throws(ParseFailure) -> Int {
        let b0 = base[i]
        @inline(__always) func byte(_ k: Int) -> UInt8 { i + k < end ? base[i + k] : 0 }
        @inline(__always) func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        let invalid = ParseFailure(reason: .invalidUTF8, offset: i)
        if b0 < 0xC2 {
            throw invalid
        } else if b0 < 0xE0 {
            guard isContinuation(byte(1)) else { throw invalid }
            return i + 2
        } else if b0 < 0xF0 {
            let b1 = byte(1)
            let b2 = byte(2)
            let lower: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let upper: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= lower && b1 <= upper && isContinuation(b2) else { throw invalid }
            return i + 3
        } else if b0 < 0xF5 {
            let b1 = byte(1)
            let b2 = byte(2)
            let b3 = byte(3)
            let lower: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let upper: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lower && b1 <= upper && isContinuation(b2) && isContinuation(b3) else { throw invalid }
            return i + 4
        } else {
            throw invalid
        }
    }

    // MARK: Numbers

    /// Parses the number at `pos` (which starts with `-` or a digit), correctly rounded to a double.
    mutating func parseNumber() throws(ParseFailure) -> Double {
        let start = pos
        var i = pos
        let negative = base[i] == 0x2D
        if negative {
            i &+= 1
            guard i < end else { throw ParseFailure(reason: .invalidNumber, offset: start) }
            if base[i] == 0x49 && matches("Infinity", at: i) {
                throw ParseFailure(reason: .nonFiniteNumber, offset: start)
            }
        }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

        var mantissa: UInt64 = 0
        var significantDigits = 0  // digits from the first non-zero one on
        var droppedDigits = 0  // integer digits beyond the 19 kept in `mantissa`
        var fractionDigits = 0  // fraction digits kept in `mantissa`

        // Integer part.
        guard i < end, isDigit(base[i]) else { throw ParseFailure(reason: .invalidNumber, offset: start) }
        if base[i] == 0x30 {
            i &+= 1
            if i < end && isDigit(base[i]) { throw ParseFailure(reason: .leadingZero, offset: start) }
        } else {
            while i < end && isDigit(base[i]) {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(base[i] &- 0x30)
                    significantDigits &+= 1
                } else {
                    droppedDigits &+= 1
                }
                i &+= 1
            }
        }
        // Fraction.
        if i < end && base[i] == 0x2E {
            i &+= 1
            guard i < end, isDigit(base[i]) else { throw ParseFailure(reason: .invalidNumber, offset: start) }
            while i < end && isDigit(base[i]) {
                let digit = base[i] &- 0x30
                if significantDigits < 19 {
                    if significantDigits > 0 || digit != 0 { significantDigits &+= 1 }
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    fractionDigits &+= 1
                } else {
                    droppedDigits &+= 1  // counted only to send the number to the slow path
                }
                i &+= 1
            }
        }
        // Exponent.
        var exponent = 0
        if i < end && (base[i] == 0x65 || base[i] == 0x45) {
            i &+= 1
            var exponentNegative = false
            if i < end && (base[i] == 0x2B || base[i] == 0x2D) {
                exponentNegative = base[i] == 0x2D
                i &+= 1
            }
            guard i < end, isDigit(base[i]) else { throw ParseFailure(reason: .invalidNumber, offset: start) }
            while i < end && isDigit(base[i]) {
                if exponent < 100_000 { exponent = exponent &* 10 &+ Int(base[i] &- 0x30) }
                i &+= 1
            }
            if exponentNegative { exponent = -exponent }
        }
        pos = i

        // Clinger's fast path: an exact mantissa times an exact power of ten rounds once.
        if droppedDigits == 0 && mantissa <= 1 << 53 {
            let scale = exponent - fractionDigits
            var value: Double? = nil
            if mantissa == 0 {
                value = 0
            } else if scale == 0 {
                value = Double(mantissa)
            } else if scale > 0 && scale <= 22 {
                value = Double(mantissa) * exactPowersOfTen[scale]
            } else if scale < 0 && scale >= -22 {
                value = Double(mantissa) / exactPowersOfTen[-scale]
            }
            if let value {
                return negative ? -value : value
            }
        }
        // Slow path: the standard library's correctly rounded conversion.
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
        guard let value = Double(text) else { throw ParseFailure(reason: .invalidNumber, offset: start) }
        guard value.isFinite else { throw ParseFailure(reason: .numberOutOfRange, offset: start) }
        return value
    }
}

/// 10^0 … 10^22, all exactly representable as doubles.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Flags (in the top bit of each byte) the first byte that is `"`, `\`, below 0x20 or at least 0x80.
/// Bytes above the first flagged one may be flagged falsely; the lowest flag is exact.
@inline(__always)
func stringSpecialMask(_ word: UInt64) -> UInt64 {
    escapeMask(word) | (word & 0x8080_8080_8080_8080)
}

/// A cheap hash of a name's bytes (length, first and last eight bytes): equal names have equal fingerprints.
@inline(__always)
func fingerprint(_ buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var head: UInt64 = 0
    var tail: UInt64 = 0
    let count = buffer.count
    guard let bytes = buffer.baseAddress else { return 0 }
    if count >= 8 {
        head = UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self)
        tail = UnsafeRawPointer(bytes + (count - 8)).loadUnaligned(as: UInt64.self)
    } else {
        for i in 0..<count { head = head << 8 | UInt64(bytes[i]) }
    }
    return (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(truncatingIfNeeded: count)
}

/// A string hashed and compared by its exact UTF-8 bytes (never by canonical equivalence).
struct ExactKey: Hashable {
    let string: String
    init(_ string: String) { self.string = string }
    static func == (a: ExactKey, b: ExactKey) -> Bool { exactlyEqual(a.string, b.string) }
    func hash(into hasher: inout Hasher) { hashExactly(string, into: &hasher) }
}
