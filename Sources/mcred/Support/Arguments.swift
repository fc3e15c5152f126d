public import ArgumentParser
import CommandLineRuntime
public import DataIntegrity

extension DateTimeStamp: ExpressibleByArgument {
    /// Accepts an XML Schema dateTimeStamp (`2026-01-31T09:00:00Z`, `2026-01-31T10:00:00+01:00`) or a plain
    /// date (`2026-01-31`, read as midnight UTC).
    public init?(argument: String) {
        if let stamp = DateTimeStamp(argument) {
            self = stamp
        } else if argument.count == 10, let stamp = DateTimeStamp(argument + "T00:00:00Z") {
            self = stamp
        } else {
            return nil
        }
    }

    /// The current time, to the second.
    static var now: DateTimeStamp {
        DateTimeStamp(secondsSinceEpoch: System.secondsSinceEpoch)
    }
}
