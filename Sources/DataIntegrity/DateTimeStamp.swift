/// An XML Schema 1.1 `dateTimeStamp`: a date and time with a mandatory time zone, the form VC 2.0 requires
/// for `validFrom`, `validUntil` and Data Integrity requires for `created` and `expires`.
///
/// Lexical form: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)`, year of four or more digits (no sign: years
/// before 1 CE are not used by credentials), `24:00:00` allowed as the end of a day. The value is kept as
/// whole seconds since 1970-01-01T00:00:00Z plus a fraction, so comparison is exact to the nanosecond.
public struct DateTimeStamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the Unix epoch, UTC.
    public let secondsSinceEpoch: Int64
    /// Nanoseconds within the second, 0…999,999,999 (finer digits are truncated).
    public let nanoseconds: Int32
    /// The text as it was given.
    public let text: String

    /// Parses a `dateTimeStamp`; returns `nil` for anything else (no time zone, bad field, out of range).
    public init?(_ text: String) {
        var text = text
        text.makeContiguousUTF8()  // a no-op for native strings
        guard let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }), let parsed else {
            return nil
        }
        (secondsSinceEpoch, nanoseconds) = parsed
        self.text = text
    }

    /// Parses the lexical form; `nil` when it is not a valid dateTimeStamp.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int64, Int32)? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        // Year: four or more digits, no leading zero beyond four digits.
        var yearDigits = 0
        while index + yearDigits < bytes.count, bytes[index + yearDigits] >= 0x30, bytes[index + yearDigits] <= 0x39 {
            yearDigits += 1
        }
        guard yearDigits >= 4, yearDigits <= 9, yearDigits == 4 || bytes[index] != 0x30 else { return nil }
        guard let year = digits(yearDigits), year >= 1, expect(0x2D),
              let month = digits(2), (1...12).contains(month), expect(0x2D),
              let day = digits(2), day >= 1, day <= Self.daysIn(month: month, year: year), expect(0x54),
              let hour = digits(2), expect(0x3A),
              let minute = digits(2), minute <= 59, expect(0x3A),
              let second = digits(2), second <= 59
        else { return nil }
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var fractionDigits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if fractionDigits < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 0x30) }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
            for _ in fractionDigits..<max(fractionDigits, 9) { nanoseconds *= 10 }
        }
        guard hour <= 23 || (hour == 24 && minute == 0 && second == 0 && nanoseconds == 0) else { return nil }
        var offsetSeconds = 0
        guard index < bytes.count else { return nil }  // the time zone is mandatory
        if bytes[index] == 0x5A {
            index += 1
        } else if bytes[index] == 0x2B || bytes[index] == 0x2D {
            let sign = bytes[index] == 0x2D ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect(0x3A), let offsetMinutes = digits(2), offsetMinutes <= 59,
                  offsetHours < 14 || (offsetHours == 14 && offsetMinutes == 0)
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds), Int32(nanoseconds))
    }

    /// A UTC timestamp from seconds since the epoch, written `YYYY-MM-DDThh:mm:ssZ` (fraction dropped).
    public init(secondsSinceEpoch: Int64) {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = 0
        self.text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    public var description: String { text }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.secondsSinceEpoch == rhs.secondsSinceEpoch && lhs.nanoseconds == rhs.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(secondsSinceEpoch)
        hasher.combine(nanoseconds)
    }

    /// This instant moved by whole seconds.
    public func adding(seconds: Int64) -> DateTimeStamp {
        let moved = DateTimeStamp(secondsSinceEpoch: secondsSinceEpoch + seconds)
        return DateTimeStamp(secondsSinceEpoch: moved.secondsSinceEpoch, nanoseconds: nanoseconds, text: moved.text)
    }

    private init(secondsSinceEpoch: Int64, nanoseconds: Int32, text: String) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
        self.text = text
    }

    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (`civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
