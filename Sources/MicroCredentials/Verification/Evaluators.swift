public import CanonicalJSON
public import DataIntegrity

/// What the verifier knows about a credential when it asks the status and trust evaluators.
public struct VerificationContext: Sendable {
    /// The credential, as received.
    public let credential: JSONObject
    /// The issuer's identifier, when the credential names one.
    public let issuer: String?
    /// The proofs whose signatures verified, in proof-set order.
    public let verifiedProofs: [VerifiedProof]
    /// The instant the credential is judged at.
    public let time: DateTimeStamp

    public init(credential: JSONObject, issuer: String?, verifiedProofs: [VerifiedProof], time: DateTimeStamp) {
        self.credential = credential
        self.issuer = issuer
        self.verifiedProofs = verifiedProofs
        self.time = time
    }
}

/// A proof whose signature verified.
public struct VerifiedProof: Hashable, Sendable {
    /// The proof's position in the proof set.
    public let index: Int
    /// The cryptosuite that verified it.
    public let cryptosuite: String
    /// The verification method and its key.
    public let verificationMethod: ResolvedVerificationMethod
    /// The proof's `created` time, when it has one.
    public let created: DateTimeStamp?

    public init(index: Int, cryptosuite: String, verificationMethod: ResolvedVerificationMethod, created: DateTimeStamp?) {
        self.index = index
        self.cryptosuite = cryptosuite
        self.verificationMethod = verificationMethod
        self.created = created
    }
}

/// Checks whether a credential is still in force: its `credentialStatus` entries (revocation, suspension).
///
/// Conform to add a status mechanism (e.g. the W3C Bitstring Status List) and give the conformer to the
/// verifier. An evaluator that cannot learn a status (offline, a list that cannot be had) reports the check
/// indeterminate, never pass.
public protocol StatusEvaluator: Sendable {
    /// The status checks of one credential, of kind ``VerificationCheck/Kind/status``.
    func evaluateStatus(of context: VerificationContext) async -> [VerificationCheck]
}

/// Decides whether a credential's issuer is a recognised one (for instance listed in a trust list).
///
/// Conform to add a source of trust and give the conformer to the verifier. "Not listed" is a failure;
/// "could not tell" is indeterminate.
public protocol TrustEvaluator: Sendable {
    /// The trust checks of one credential: one of kind ``VerificationCheck/Kind/trust``, then, where the
    /// source of trust lists the issuer's keys, one of kind ``VerificationCheck/Kind/keyValidity`` per verified
    /// proof.
    func evaluateTrust(of context: VerificationContext) async -> [VerificationCheck]

    /// Why `method`'s key may sign for `issuer` although the issuer is not the key's controller (an `https`
    /// issuer whose key a trust list names, say), in words for the report; nil when this source says nothing.
    func bindingReason(for method: ResolvedVerificationMethod, issuer: String) async -> String?

    /// Where this source names `method`'s key as one of `issuer`'s keys, whatever kind of identifier the issuer
    /// is, in words for the report; nil when it does not. A status list signed with such a key counts as the
    /// issuer's own.
    func keyListing(for method: ResolvedVerificationMethod, issuer: String) async -> String?
}

extension TrustEvaluator {
    /// No binding beyond the key's controller.
    public func bindingReason(for method: ResolvedVerificationMethod, issuer: String) async -> String? { nil }

    /// No key listings.
    public func keyListing(for method: ResolvedVerificationMethod, issuer: String) async -> String? { nil }
}

/// The status evaluator used when no status mechanism is configured: a credential without `credentialStatus`
/// passes (it cannot be revoked), one with `credentialStatus` is indeterminate.
public struct NoStatusLists: StatusEvaluator {
    public init() {}

    public func evaluateStatus(of context: VerificationContext) async -> [VerificationCheck] {
        context.credential["credentialStatus"] == nil
            ? [VerificationCheck(.status, .pass, "the credential has no credentialStatus, so it cannot be revoked")]
            : [VerificationCheck(.status, .indeterminate,
                                 "the credential has a credentialStatus, but no status list was given to check it")]
    }
}

/// The trust evaluator used when no trust list is configured: always indeterminate.
public struct NoTrustList: TrustEvaluator {
    public init() {}

    public func evaluateTrust(of context: VerificationContext) async -> [VerificationCheck] {
        [VerificationCheck(
            .trust, .indeterminate,
            "no trust list was given: the proof shows who controls the issuer identifier, not whether that issuer is "
                + "a recognised awarding body")]
    }
}
