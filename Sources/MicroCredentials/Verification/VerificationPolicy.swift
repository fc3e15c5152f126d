public import CanonicalJSON
public import DataIntegrity

/// What a verification requires, and when it is judged.
///
/// The default policy is `mcred verify`'s: every check counts, indeterminate checks do not make a credential
/// invalid, and five minutes of clock skew are allowed. ``strict`` makes an indeterminate required check a
/// "not verified" outcome, for pipelines that must not accept "unknown".
///
/// ```swift
/// var policy = VerificationPolicy()
/// policy.strict = true
/// policy.requiredChecks.remove(.trust)   // trust is reported, but does not decide the outcome
/// ```
public struct VerificationPolicy: Sendable {
    /// The instant at which validity periods and proof dates are judged; `nil` means the time of verification.
    public var time: DateTimeStamp?
    /// How far clocks may disagree, in seconds: `validFrom` and proof `created` may lie this far after the
    /// verification time, and `validUntil` or proof `expires` this far before it.
    public var clockSkewSeconds: Int64
    /// The proof purpose a credential's proofs must have.
    public var expectedProofPurpose: String
    /// The checks whose outcome decides the verdict; the others are reported only.
    public var requiredChecks: Set<VerificationCheck.Kind>
    /// Whether an indeterminate required check makes the outcome ``VerificationOutcome/notVerified``.
    public var strict: Bool
    /// The most proofs one credential may carry. Each proof costs a canonicalization of the whole document,
    /// so an unbounded proof set would let one file stall a batch.
    public var maximumProofCount: Int
    /// Limits for parsing credential bytes.
    public var limits: JSONLimits

    /// The default of ``maximumProofCount``; the signer adds no proof beyond it.
    public static let defaultMaximumProofCount = 16

    public init(
        time: DateTimeStamp? = nil, clockSkewSeconds: Int64 = 300, expectedProofPurpose: String = "assertionMethod",
        requiredChecks: Set<VerificationCheck.Kind> = Set(VerificationCheck.Kind.allCases), strict: Bool = false,
        maximumProofCount: Int = Self.defaultMaximumProofCount, limits: JSONLimits = .default
    ) {
        self.time = time
        self.clockSkewSeconds = clockSkewSeconds
        self.expectedProofPurpose = expectedProofPurpose
        self.requiredChecks = requiredChecks
        self.strict = strict
        self.maximumProofCount = maximumProofCount
        self.limits = limits
    }

    /// The outcome of `checks` under this policy (`spec/verification.md` §9): invalid when a required check
    /// failed; otherwise not verified when no proof's signature was verified (a key that could not be had
    /// leaves the signature unchecked: unknown is never valid), or when the policy is strict and a required
    /// check is indeterminate; otherwise valid.
    public func outcome(of checks: [VerificationCheck]) -> VerificationOutcome {
        let required = checks.filter { requiredChecks.contains($0.kind) }
        if required.contains(where: { $0.status == .fail }) { return .invalid }
        if requiredChecks.contains(.signature) && !checks.contains(where: { $0.kind == .signature && $0.status == .pass }) {
            return .notVerified
        }
        if strict && required.contains(where: { $0.status == .indeterminate }) { return .notVerified }
        return .valid
    }
}

/// The verdict of a verification.
public enum VerificationOutcome: String, Hashable, Sendable {
    /// No required check failed (and, under a strict policy, none was indeterminate).
    case valid
    /// A required check failed.
    case invalid
    /// Under a strict policy: no required check failed, but at least one could not be made.
    case notVerified = "not-verified"
}
