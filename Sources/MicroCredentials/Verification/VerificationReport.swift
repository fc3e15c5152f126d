public import CanonicalJSON
import DataIntegrity

/// What a verifier found: every check in order, the outcome under the verifier's policy, and a short
/// description of the credential when it could be read.
public struct VerificationReport: Hashable, Sendable {
    /// Every check, in the order they were made (see `spec/verification.md` §1–2).
    public let checks: [VerificationCheck]
    /// The verdict under the verifier's ``VerificationPolicy``.
    public let outcome: VerificationOutcome
    /// Identifying fields of the credential, when it was a JSON object.
    public let summary: CredentialSummary?
    /// How many proofs the credential carries.
    public let proofCount: Int
    /// The proofs whose signatures verified, with their keys.
    public let verifiedProofs: [VerifiedProof]

    /// A report of `checks` judged by `policy`.
    public init(
        checks: [VerificationCheck], policy: VerificationPolicy, summary: CredentialSummary?, proofCount: Int,
        verifiedProofs: [VerifiedProof] = []
    ) {
        self.checks = checks
        self.outcome = policy.outcome(of: checks)
        self.summary = summary
        self.proofCount = proofCount
        self.verifiedProofs = verifiedProofs
    }

    /// The issuer's identifier, when the credential names one.
    public var issuer: String? { summary?.issuer }

    /// Whether the outcome is ``VerificationOutcome/valid``.
    public var isValid: Bool { outcome == .valid }

    /// The failed checks, in order.
    public var failures: [VerificationCheck] { checks.filter { $0.status == .fail } }

    /// The first check of the document's authenticity — data model, proof, cryptosuite, key, issuer binding,
    /// signature, proof dates — that did not pass; nil when all did. Signed documents that are not credentials to
    /// judge in full (a trust list, a status list) are relied on by these checks alone.
    package var firstAuthenticityProblem: VerificationCheck? {
        let kinds: [VerificationCheck.Kind] = [
            .dataModel, .proof, .cryptosuite, .key, .issuerBinding, .signature, .proofCreated,
        ]
        return checks.first { kinds.contains($0.kind) && $0.status != .pass }
    }

    /// The report as the JSON object of one file in `mcred verify --format json`
    /// (`spec/schemas/verify-output.schema.json`).
    /// - Parameter file: the name of the file the credential was read from.
    public func jsonObject(file: String) -> JSONObject {
        var object: JSONObject = ["file": .string(file), "valid": .bool(isValid), "outcome": .string(outcome.rawValue)]
        if let summary {
            var credential = JSONObject()
            credential["id"] = summary.id.map(JSONValue.string) ?? .null
            credential["type"] = .array(summary.types.map(JSONValue.string))
            credential["name"] = summary.name.map(JSONValue.string) ?? .null
            credential["issuer"] = summary.issuer.map(JSONValue.string) ?? .null
            credential["validFrom"] = summary.validFrom.map(JSONValue.string) ?? .null
            credential["validUntil"] = summary.validUntil.map(JSONValue.string) ?? .null
            credential["cryptosuites"] = .array(summary.cryptosuites.map(JSONValue.string))
            object["credential"] = .object(credential)
        } else {
            object["credential"] = .null
        }
        object["checks"] = .array(checks.map { check in
            var entry: JSONObject = [
                "id": .string(check.kind.rawValue),
                "name": .string(check.kind.name),
                "status": .string(check.status.rawValue),
                "message": .string(check.message),
            ]
            entry["proof"] = check.proofIndex.map { .number(Double($0)) } ?? .null
            if let code = check.errorCode {
                entry["errorCode"] = .string(code.rawValue)
                entry["errorType"] = .string(code.typeURL)
            }
            return .object(entry)
        })
        return object
    }
}

/// The fields of a credential that identify it for people.
public struct CredentialSummary: Hashable, Sendable {
    /// The credential's `id`.
    public var id: String?
    /// Its `type` values.
    public var types: [String]
    /// Its `name`.
    public var name: String?
    /// The issuer's identifier (`issuer`, or `issuer.id`), when it is a URL.
    public var issuer: String?
    /// `issuer.name`.
    public var issuerName: String?
    /// `validFrom` as written.
    public var validFrom: String?
    /// `validUntil` as written.
    public var validUntil: String?
    /// `credentialSubject.id`.
    public var subject: String?
    /// The cryptosuites of the proofs, in order.
    public var cryptosuites: [String]
}
