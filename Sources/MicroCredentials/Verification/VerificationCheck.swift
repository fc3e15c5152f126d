public import DataIntegrity

/// One named check of a credential's verification, in the order they are run.
public struct VerificationCheck: Hashable, Sendable {
    /// The outcome of a check.
    public enum Status: String, Hashable, Sendable {
        /// The check was made and succeeded.
        case pass
        /// The check was made and failed: the credential is not valid.
        case fail
        /// The check could not be made here (no trust list or status list given, a verification method's document
        /// could not be obtained, or an earlier check failed).
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
        /// Made only by trust evaluators that list the issuers' keys (see ``TrustEvaluator``).
        case keyValidity = "key-validity"
        /// Made only by status evaluators, for a credential with a suspension status entry.
        case suspension = "suspension-status"

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
            case .keyValidity: "Key valid for issuer"
            case .suspension: "Suspension status"
            }
        }

        /// The checks every report has, in order (``keyValidity`` and ``suspension`` come only from some
        /// evaluators).
        public static let standard: [Kind] = allCases.filter { $0 != .keyValidity && $0 != .suspension }
    }

    /// Which check this is.
    public let kind: Kind
    /// Its outcome.
    public let status: Status
    /// A plain-language sentence: what was found, and for a failure what it means.
    public let message: String
    /// For failures, the W3C error code where one exists; for an indeterminate status check whose list could
    /// not be retrieved, `STATUS_RETRIEVAL_ERROR` (Bitstring Status List 1.0 §3.2).
    public let errorCode: VerificationErrorCode?
    /// The position of the proof in the credential's proof set, for per-proof checks.
    public let proofIndex: Int?

    /// Creates a check; an `errorCode` is kept for failures, and `STATUS_RETRIEVAL_ERROR` for indeterminate checks.
    public init(
        _ kind: Kind, _ status: Status, _ message: String, errorCode: VerificationErrorCode? = nil,
        proofIndex: Int? = nil
    ) {
        self.kind = kind
        self.status = status
        self.message = message
        self.errorCode = status == .fail || (status == .indeterminate && errorCode == .statusRetrievalError)
            ? errorCode : nil
        self.proofIndex = proofIndex
    }

    /// The check's name, with the proof's number when the credential has several proofs.
    public func displayName(proofCount: Int) -> String {
        guard let proofIndex, proofCount > 1 else { return kind.name }
        return "\(kind.name) (proof \(proofIndex + 1))"
    }
}
