public import ArgumentParser
import CommandLineRuntime
public import DataIntegrity
import MicroCredentials

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

/// `--cryptosuite`: which Data Integrity proofs `sign` and `issue` add.
enum CryptosuiteChoice: String, ExpressibleByArgument, CaseIterable {
    case jcs = "eddsa-jcs-2022"
    case rdfc = "eddsa-rdfc-2022"
    case both

    /// The proofs, in the order they are added (jcs first in a proof set).
    var suites: [SigningCryptosuite] {
        switch self {
        case .jcs: [.eddsaJcs2022]
        case .rdfc: [.eddsaRdfc2022]
        case .both: [.eddsaJcs2022, .eddsaRdfc2022]
        }
    }
}
