import CanonicalJSON
import DataIntegrity

/// The VC Data Model 2.0 requirements a verifier checks (§4.3–§4.9).
struct DataModelCheck {
    var problems: [String] = []
    var issuer: String?
    /// The members `id`, `type`, `issuer` and `credentialSubject` as found, kept for the credential's summary.
    var id, type, issuerMember, credentialSubject: JSONValue?
    var validFromText: String?
    var validUntilText: String?
    var validFrom: DateTimeStamp?
    var validUntil: DateTimeStamp?

    init(_ credential: JSONObject) {
        (id, type, issuerMember, credentialSubject) =
            (credential["id"], credential["type"], credential["issuer"], credential["credentialSubject"])
        switch credential["@context"] {
        case .array(let items)? where items.first?.stringValue == CredentialVerifier.credentialsContextV2:
            break
        case nil:
            problems.append("@context is missing")
        default:
            problems.append("@context must be an array whose first item is \(CredentialVerifier.credentialsContextV2)")
        }
        switch type {
        case .string("VerifiableCredential")?: break
        case .array(let types)? where types.contains(.string("VerifiableCredential"))
            && types.allSatisfy({ $0.stringValue != nil }):
            break
        case nil: problems.append("type is missing")
        default: problems.append("type must include \"VerifiableCredential\"")
        }
        if let id, !(id.stringValue.map(isURL) ?? false) {
            problems.append("id must be a URL")
        }
        issuer = Self.issuer(issuerMember)
        if issuer == nil {
            problems.append(issuerMember == nil ? "issuer is missing" : "issuer must be a URL or an object whose id is a URL")
        }
        switch credentialSubject {
        case .object(let subject)? where !subject.isEmpty: break
        case .array(let subjects)? where !subjects.isEmpty
            && subjects.allSatisfy({ $0.objectValue.map { !$0.isEmpty } ?? false }):
            break
        case nil: problems.append("credentialSubject is missing")
        default: problems.append("credentialSubject must be a non-empty object or an array of them")
        }
        for name in ["validFrom", "validUntil"] {
            guard let value = credential[name] else { continue }
            guard let text = value.stringValue, let stamp = DateTimeStamp(text) else {
                problems.append("\(name) must be an XML Schema dateTimeStamp such as 2026-01-31T09:00:00Z")
                if name == "validFrom" { validFromText = value.stringValue ?? "" } else { validUntilText = value.stringValue ?? "" }
                continue
            }
            if name == "validFrom" {
                validFromText = text
                validFrom = stamp
            } else {
                validUntilText = text
                validUntil = stamp
            }
        }
    }
}

extension DataModelCheck {
    /// The issuer's identifier in a credential's `issuer` member: the URL itself, or the `id` URL of an issuer
    /// object; nil when there is no such URL.
    static func issuer(_ member: JSONValue?) -> String? {
        switch member {
        case .string(let id)? where isURL(id): id
        case .object(let profile)?: profile["id"]?.stringValue.flatMap { isURL($0) ? $0 : nil }
        default: nil
        }
    }
}

extension CredentialSummary {
    init(_ credential: JSONObject, shape: DataModelCheck, proofs: ProofSet) {
        id = shape.id?.stringValue
        switch shape.type {
        case .string(let type)?: types = [type]
        case .array(let values)?: types = values.compactMap(\.stringValue)
        default: types = []
        }
        name = credential["name"]?.stringValue
        issuer = shape.issuer
        issuerName = shape.issuerMember?["name"]?.stringValue
        validFrom = shape.validFromText
        validUntil = shape.validUntilText
        subject = shape.credentialSubject?["id"]?.stringValue
        cryptosuites = proofs.cryptosuites
    }
}
