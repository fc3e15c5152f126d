import CanonicalJSON

/// One named check of a credential's verification, in the order they are run.
public struct VerificationCheck: Hashable, Sendable {
    /// The outcome of a check.
    public enum Status: String, Hashable, Sendable {
        /// The check was made and succeeded.
        case pass
        /// The check was made and failed: the credential is not valid.
        case fail
        /// The check could not be made here (no trust list or status list given, or an earlier check failed).
        case indeterminate
    }

    /// Which check this is. The raw values are stable identifiers for machines (`--format json`).
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case json
        case dataModel = "data-model"
        case proof
        case cryptosuite
        case key
        case issuerBinding = "issuer-binding"
        case signature
        case proofCreated = "proof-created"
        case validityPeriod = "validity-period"
        case status
        case trust

        /// The check's name for people.
        public var name: String {
            switch self {
            case .json: "Well-formed JSON"
            case .dataModel: "VC 2.0 data model"
            case .proof: "Proof well-formed"
            case .cryptosuite: "Cryptosuite supported"
            case .key: "Key resolved"
            case .issuerBinding: "Issuer bound to key"
            case .signature: "Signature"
            case .proofCreated: "Proof created not in the future"
            case .validityPeriod: "Validity period"
            case .status: "Revocation status"
            case .trust: "Issuer trusted"
            }
        }
    }

    /// Which check this is.
    public let kind: Kind
    /// Its outcome.
    public let status: Status
    /// A plain-language sentence: what was found, and for a failure what it means.
    public var message: String { storedMessage.text }

    /// Hands ``message`` to `write` in pieces whose concatenation is the message, without building it: the
    /// fixed wording and each value from the credential arrive as separate pieces.
    public func writeMessage(_ write: (String) -> Void) {
        storedMessage.write(write)
    }
    /// For failures, the W3C error code where one exists.
    public let errorCode: VerificationErrorCode?
    /// The position of the proof in the credential's proof set, for per-proof checks.
    public let proofIndex: Int?
    /// The message, written out only when it is read.
    let storedMessage: CheckMessage

    /// Creates a check; an `errorCode` is kept for failures only.
    public init(
        _ kind: Kind, _ status: Status, _ message: String, errorCode: VerificationErrorCode? = nil,
        proofIndex: Int? = nil
    ) {
        self.init(kind, status, .text(message), errorCode: errorCode, proofIndex: proofIndex)
    }

    /// Creates a check whose message is written out when it is read.
    init(
        _ kind: Kind, _ status: Status, _ message: CheckMessage, errorCode: VerificationErrorCode? = nil,
        proofIndex: Int? = nil
    ) {
        self.kind = kind
        self.status = status
        self.storedMessage = message
        self.errorCode = status == .fail ? errorCode : nil
        self.proofIndex = proofIndex
    }

    /// Checks are equal when every public property is, the message compared as text.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && lhs.status == rhs.status && lhs.errorCode == rhs.errorCode
            && lhs.proofIndex == rhs.proofIndex && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(status)
        hasher.combine(message)
        hasher.combine(errorCode)
        hasher.combine(proofIndex)
    }

    /// The check's name, with the proof's number when the credential has several proofs.
    public func displayName(proofCount: Int) -> String {
        guard let proofIndex, proofCount > 1 else { return kind.name }
        return "\(kind.name) (proof \(proofIndex + 1))"
    }
}

/// Error codes of the W3C Recommendations: VC Data Model 2.0 §7.2, VC Data Integrity 1.0 §4.7 and
/// Controlled Identifiers 1.0 §3.3.
public enum VerificationErrorCode: String, Hashable, Sendable {
    case parsingError = "PARSING_ERROR"
    case cryptographicSecurityError = "CRYPTOGRAPHIC_SECURITY_ERROR"
    case malformedValueError = "MALFORMED_VALUE_ERROR"
    case rangeError = "RANGE_ERROR"
    case proofVerificationError = "PROOF_VERIFICATION_ERROR"
    case invalidVerificationMethodURL = "INVALID_VERIFICATION_METHOD_URL"
    case invalidVerificationMethod = "INVALID_VERIFICATION_METHOD"

    /// The RFC 9457 problem `type` URL the Recommendation defines for the code.
    public var typeURL: String {
        switch self {
        case .parsingError, .cryptographicSecurityError, .malformedValueError, .rangeError:
            "https://www.w3.org/TR/vc-data-model#" + rawValue
        case .proofVerificationError, .invalidVerificationMethodURL, .invalidVerificationMethod:
            "https://w3id.org/security#" + rawValue
        }
    }
}

/// What a verifier found: every check in order, and a short description of the credential when it could be read.
public struct VerificationReport: Hashable, Sendable {
    /// Every check, in the order they were made (see `spec/verification.md` §2).
    public let checks: [VerificationCheck]
    /// Identifying fields of the credential, when it was a JSON object. Read from the credential when asked
    /// for: most callers of a batch want the verdict only.
    public var summary: CredentialSummary? {
        credential.map { CredentialSummary($0.object, shape: $0.shape, proofs: ProofSet($0.object)) }
    }
    /// The issuer's identifier (`summary?.issuer`), without reading the rest of the summary.
    public var issuer: String? { credential?.shape.issuer }
    /// How many proofs the credential carries.
    public let proofCount: Int
    /// The credential the summary is read from, and what the data-model check found in it.
    let credential: (object: JSONObject, shape: DataModelCheck)?

    init(checks: [VerificationCheck], credential: (object: JSONObject, shape: DataModelCheck)?, proofCount: Int) {
        self.checks = checks
        self.credential = credential
        self.proofCount = proofCount
    }

    /// Reports are equal when their checks, summaries and proof counts are.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.checks == rhs.checks && lhs.proofCount == rhs.proofCount && lhs.summary == rhs.summary
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(checks)
        hasher.combine(summary)
        hasher.combine(proofCount)
    }

    /// Valid means no check failed. Checks that could not be made (indeterminate) do not make it invalid.
    public var isValid: Bool { !checks.contains { $0.status == .fail } }

    /// The failed checks, in order.
    public var failures: [VerificationCheck] { checks.filter { $0.status == .fail } }
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
