/// The lexical rules of the profile (spec §7 for input files, §8.3 for lint), on exact Unicode scalars.
enum ProfileSyntax {
    /// Same UTF-8 bytes: never `String ==`, which equates canonically equivalent strings.
    static func exactlyEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// §8.3 *non-blank string*: at least one character other than space, tab, CR and LF.
    static func isNonBlank(_ text: String) -> Bool {
        text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
    }

    /// Input *text* (JSON Schema `\S`): at least one scalar that is not white space.
    static func hasVisibleCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// Input *line*: text without CR or LF.
    static func isLine(_ text: String) -> Bool {
        hasVisibleCharacter(text) && !text.utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }

    /// *absolute IRI*: `^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$`.
    static func isAbsoluteIRI(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let colon = scalars.firstIndex(of: ":"), colon > 0, colon < scalars.count - 1 else { return false }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
        }
        guard isLetter(scalars[0]),
              scalars[1..<colon].allSatisfy({ isLetter($0) || ("0"..."9").contains($0) || "+.-".unicodeScalars.contains($0) })
        else { return false }
        return !scalars[(colon + 1)...].contains { $0.properties.isWhitespace }
    }

    /// An ISO 3166-1 alpha-2 code in upper case: `^[A-Z]{2}$`.
    static func isCountryCode(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { (0x41...0x5A).contains($0) }
    }

    /// A code that is valid ISO 3166-1 syntax but not what a credential should use: `EL` and `UK` (write `GR`,
    /// `GB`) and the user-assigned ranges `AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`.
    static func isDiscouragedCountryCode(_ code: String) -> Bool {
        if code == "EL" || code == "UK" || code == "AA" || code == "ZZ" { return true }
        let bytes = Array(code.utf8)
        guard bytes.count == 2 else { return false }
        return (bytes[0] == 0x51 && bytes[1] >= 0x4D) || bytes[0] == 0x58  // Q[M-Z], X[A-Z]
    }

    /// `^[^\s@]+@[^\s@]+$`.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// `^https?://[^\s]+$`.
    static func isWebURL(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        return !rest.isEmpty && !rest.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// Lowercase hexadecimal.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
        }
    }

    /// An OB `IdentityHash` of a hashed identifier: `sha256$` + 64 hex digits or `md5$` + 32.
    static func isIdentityHash(_ text: String) -> Bool {
        if text.hasPrefix("sha256$") { return isHex(text.dropFirst(7), count: 64) }
        if text.hasPrefix("md5$") { return isHex(text.dropFirst(4), count: 32) }
        return false
    }
}

/// An RFC 3339 date-time with offset as §8.3 defines it: the pattern
/// `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$` and a real calendar date and time
/// (second up to 60, offset hour up to 23).
struct ProfileDateTime: Comparable {
    /// Seconds since 1970-01-01T00:00:00Z; a leap second counts as the next second.
    let secondsSinceEpoch: Int64
    /// The fractional digits, as nanoseconds (finer digits are dropped).
    let nanoseconds: Int

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func literal(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), literal(0x2D), let month = number(2), (1...12).contains(month), literal(0x2D),
              let day = number(2), day >= 1, day <= DateTimeStamp.daysIn(month: month, year: year), literal(0x54),
              let hour = number(2), hour <= 23, literal(0x3A), let minute = number(2), minute <= 59, literal(0x3A),
              let second = number(2), second <= 60
        else { return nil }
        var nanoseconds = 0
        if literal(0x2E) {
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanoseconds *= 10 }
        }
        var offset = 0
        if literal(0x5A) {
            offset = 0
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let offsetHour = number(2), offsetHour <= 23, literal(0x3A),
                  let offsetMinute = number(2), offsetMinute <= 59
            else { return nil }
            offset = sign * (offsetHour * 3600 + offsetMinute * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = DateTimeStamp.daysSinceEpoch(year: year, month: month, day: day)
        secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        self.nanoseconds = nanoseconds
    }

    /// The instant in UTC without fractional seconds: `YYYY-MM-DDTHH:MM:SSZ` (§7.3).
    var normalized: String { DateTimeStamp(secondsSinceEpoch: secondsSinceEpoch).text }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }
}
