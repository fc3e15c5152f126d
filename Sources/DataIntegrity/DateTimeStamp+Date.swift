public import FoundationEssentials

extension DateTimeStamp {
    /// The current time, to the second.
    public static var now: DateTimeStamp {
        DateTimeStamp(Date())
    }

    /// The UTC timestamp of a `Date`, to the second (the fraction is dropped).
    public init(_ date: Date) {
        self.init(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// The instant as a `Date` (nanoseconds beyond what a `Double` holds are rounded).
    public var date: Date {
        Date(timeIntervalSince1970: Double(secondsSinceEpoch) + Double(nanoseconds) / 1_000_000_000)
    }
}
