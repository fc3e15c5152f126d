public import CanonicalJSON

/// Verifies credentials secured with `eddsa-jcs-2022` Data Integrity proofs and reports every check by name.
///
/// The verifier works on the JSON exactly as received, checks the proofs before trusting any other field, and
/// never touches the network: keys come from `did:key` identifiers. Time is an input, so the same credential
/// gets the same report at the same instant.
///
/// ```swift
/// let verifier = CredentialVerifier()
/// let report = verifier.verify(bytes, at: DateTimeStamp("2026-01-01T00:00:00Z")!)
/// if !report.isValid { print(report.failures.map(\.message)) }
/// ```
public struct CredentialVerifier: Sendable {
    /// The first `@context` item of every VC 2.0 credential.
    public static let credentialsContextV2 = "https://www.w3.org/ns/credentials/v2"

    /// How far clocks may disagree, in seconds: `validFrom` and proof `created` may lie this far after the
    /// verification time, and `validUntil` or proof `expires` this far before it. Five minutes by default.
    public var clockSkewSeconds: Int64
    /// The proof purpose a credential's proofs must have.
    public var expectedProofPurpose: String
    /// Limits for parsing credential bytes.
    public var limits: JSONLimits
    /// Resolves verification methods; shared, so its cache serves every verification.
    public let keyResolver: KeyResolver
    /// The most proofs one credential may carry. Each proof costs a canonicalization of the whole document,
    /// so an unbounded proof set would let one file stall a batch.
    public var maximumProofCount = Self.defaultMaximumProofCount
    /// The default of ``maximumProofCount``; the signer adds no proof beyond it.
    public static let defaultMaximumProofCount = 16

    /// Creates a verifier; the defaults are those of `mcred verify`.
    public init(
        clockSkewSeconds: Int64 = 300, expectedProofPurpose: String = "assertionMethod",
        limits: JSONLimits = .default, keyResolver: KeyResolver = KeyResolver()
    ) {
        self.clockSkewSeconds = clockSkewSeconds
        self.expectedProofPurpose = expectedProofPurpose
        self.limits = limits
        self.keyResolver = keyResolver
    }

    /// Parses and verifies a credential.
    /// - Parameters:
    ///   - bytes: the credential as received (UTF-8 JSON).
    ///   - time: the instant at which the validity period and proof dates are judged.
    public func verify(_ bytes: [UInt8], at time: DateTimeStamp) -> VerificationReport {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes, limits: limits)
        } catch {
            return VerificationReport(
                checks: [VerificationCheck(.json, .fail, "not valid JSON: \(error)", errorCode: .parsingError)]
                    + Self.notChecked(after: .json, reason: "the input is not JSON"),
                credential: nil, proofCount: 0)
        }
        return verify(value, at: time)
    }

    /// Verifies a parsed credential.
    public func verify(_ value: JSONValue, at time: DateTimeStamp) -> VerificationReport {
        let wellFormed = VerificationCheck(.json, .pass, "the credential is well-formed I-JSON")
        guard case .object(let credential) = value else {
            return VerificationReport(
                checks: [wellFormed, VerificationCheck(
                    .dataModel, .fail, "a credential is a JSON object; this is \(value.kindDescription)",
                    errorCode: .malformedValueError)]
                    + Self.notChecked(after: .dataModel, reason: "the input is not a credential"),
                credential: nil, proofCount: 0)
        }
        let shape = DataModelCheck(credential)
        let proofs = ProofSet(credential)
        var checks: [VerificationCheck] = []
        // json, data-model, six checks per verified proof (or six for an unusable proof set), then three more.
        checks.reserveCapacity(5 + 6 * max(1, min(proofs.count, maximumProofCount)))
        checks.append(wellFormed)
        checks.append(shape.problems.isEmpty
            ? VerificationCheck(.dataModel, .pass, .credential(issuer: shape.issuer ?? "?"))
            : VerificationCheck(.dataModel, .fail, shape.problems.joined(separator: "; "),
                                errorCode: .malformedValueError))
        verifyProofs(proofs, credential: credential, issuer: shape.issuer, at: time, into: &checks)
        checks.append(validityPeriod(shape, at: time))
        checks.append(credential["credentialStatus"] == nil
            ? VerificationCheck(.status, .pass, "the credential has no credentialStatus, so it cannot be revoked")
            : VerificationCheck(.status, .indeterminate,
                                "the credential has a credentialStatus, but no status list was given to check it"))
        checks.append(VerificationCheck(.trust, .indeterminate, Self.noTrustList))
        return VerificationReport(
            checks: checks, credential: (credential, shape),
            proofCount: proofs.count)
    }

    /// The `trust` check's message while mcred has no trust lists: one string, not joined on every verify.
    private static let noTrustList = "no trust list was given: the proof shows who controls the issuer identifier, "
        + "not whether that issuer is a recognised awarding body"

    // MARK: - Proofs

    /// Appends the six proof checks of every proof, or six for a missing, malformed or oversized proof set.
    private func verifyProofs(
        _ proofs: ProofSet, credential: JSONObject, issuer: String?, at time: DateTimeStamp,
        into checks: inout [VerificationCheck]
    ) {
        switch proofs {
        case .missing:
            checks.append(VerificationCheck(.proof, .fail, "the credential has no proof: it is not secured",
                                            errorCode: .parsingError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "there is no proof")
        case .malformed(let reason):
            checks.append(VerificationCheck(.proof, .fail, reason, errorCode: .parsingError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "the proof is malformed")
        case .proofs(let all) where all.count > maximumProofCount:
            checks.append(VerificationCheck(
                .proof, .fail, "the credential has \(all.count) proofs; at most \(maximumProofCount) are verified",
                errorCode: .proofVerificationError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "there are too many proofs")
        case .proofs(let all):
            var outcomes: [ProofOutcome] = []
            outcomes.reserveCapacity(all.count)
            for index in all.indices {
                let first = checks.count
                var outcome = verifyProof(at: index, in: all, credential: credential, issuer: issuer, time: time,
                                          into: &checks)
                outcome.checks = first..<checks.count
                outcomes.append(outcome)
            }
            enforceChains(outcomes: &outcomes, checks: &checks, all: all)
            // A proof whose cryptosuite is not supported is reported, never silently ignored: it fails the
            // credential unless another proof verified, and is indeterminate then.
            let anyVerified = outcomes.contains { $0.verified }
            for (index, outcome) in outcomes.enumerated() {
                guard let unsupported = outcome.unsupported else { continue }
                checks[outcome.checks.lowerBound + 1] = VerificationCheck(
                    .cryptosuite, anyVerified ? .indeterminate : .fail,
                    unsupported + (anyVerified ? "; another proof verified" : ""),
                    errorCode: .proofVerificationError, proofIndex: index)
            }
        }
    }

    /// VC Data Integrity §2.1: every proof that a chained proof names in `previousProof` must verify too.
    /// Repeated until nothing changes, so the rule carries along a chain.
    private func enforceChains(outcomes: inout [ProofOutcome], checks: inout [VerificationCheck], all: [JSONValue]) {
        var changed = true
        while changed {
            changed = false
            for index in outcomes.indices where outcomes[index].verified && !outcomes[index].previousProofs.isEmpty {
                let named = outcomes[index].previousProofs
                for previous in Self.proofIndices(named: named, in: all) where !outcomes[previous].verified {
                    let id = all[previous]["id"]?.stringValue ?? "?"
                    outcomes[index].verified = false
                    changed = true
                    for position in outcomes[index].checks where checks[position].kind == .signature {
                        checks[position] = VerificationCheck(
                            .signature, .fail,
                            "previousProof \"\(id)\" (proof \(previous + 1)) did not verify, and a chained proof "
                                + "counts only when the proofs it covers do",
                            errorCode: .proofVerificationError, proofIndex: index)
                    }
                }
            }
        }
    }

    /// The positions of the proofs whose `id` is one of `ids` (exact comparison), in proof-set order.
    static func proofIndices(named ids: [String], in all: [JSONValue]) -> [Int] {
        all.indices.filter { index in
            guard let id = all[index]["id"]?.stringValue else { return false }
            return ids.contains { $0.isExactly(id) }
        }
    }

    /// What verifying one proof found, beyond its checks.
    private struct ProofOutcome {
        /// The positions of the proof's checks in the report.
        var checks: Range<Int> = 0..<0
        var verified = false
        /// The `cryptosuite` failure message, when the proof's cryptosuite is not supported.
        var unsupported: String?
        /// The ids this proof names in `previousProof`.
        var previousProofs: [String] = []
    }

    /// Appends the six checks of one proof.
    private func verifyProof(
        at index: Int, in all: [JSONValue], credential: JSONObject, issuer: String?, time: DateTimeStamp,
        into checks: inout [VerificationCheck]
    ) -> ProofOutcome {
        func add(_ kind: VerificationCheck.Kind, _ status: VerificationCheck.Status, _ message: CheckMessage,
                 _ code: VerificationErrorCode? = nil) {
            checks.append(VerificationCheck(kind, status, message, errorCode: code, proofIndex: index))
        }
        func add(_ kind: VerificationCheck.Kind, _ status: VerificationCheck.Status, _ message: String,
                 _ code: VerificationErrorCode? = nil) {
            add(kind, status, .text(message), code)
        }
        func notChecked(from kind: VerificationCheck.Kind, _ reason: String) {
            checks += Self.notChecked(from: kind, through: .proofCreated, reason: reason, proofIndex: index)
        }
        guard case .object(let proof) = all[index] else {
            add(.proof, .fail, "the proof is \(all[index].kindDescription), not an object", .parsingError)
            notChecked(from: .cryptosuite, "the proof is malformed")
            return ProofOutcome()
        }
        let shape = ProofShape(proof, expectedPurpose: expectedProofPurpose)
        guard shape.problems.isEmpty else {
            add(.proof, .fail, shape.problems.joined(separator: "; "), .proofVerificationError)
            notChecked(from: .cryptosuite, "the proof is malformed")
            return ProofOutcome()
        }
        var outcome = ProofOutcome(previousProofs: shape.previousProofs)
        add(.proof, .pass, .proof(type: shape.type, purpose: shape.purpose))

        guard shape.type == EddsaJcs2022.proofType, shape.cryptosuite == EddsaJcs2022.cryptosuite else {
            let suite = shape.cryptosuite.map { "\"\($0)\"" } ?? "no cryptosuite"
            let unsupported = "proof type \"\(shape.type)\" with \(suite) is not supported; mcred verifies "
                + "DataIntegrityProof with \"eddsa-jcs-2022\""
            outcome.unsupported = unsupported
            add(.cryptosuite, .fail, unsupported, .proofVerificationError)
            notChecked(from: .key, "the cryptosuite is not supported")
            return outcome
        }
        add(.cryptosuite, .pass, "DataIntegrityProof with eddsa-jcs-2022")

        let resolution: KeyResolver.Resolution
        switch keyResolver.resolve(shape.verificationMethod) {
        case .failure(let failure):
            add(.key, .fail, failure.message, failure.errorCode)
            notChecked(from: .issuerBinding, "the key was not resolved")
            return outcome
        case .success(let resolved):
            resolution = resolved
        }
        add(.key, .pass, .key(controller: resolution.controller))

        switch issuer {
        case nil:
            add(.issuerBinding, .fail, "the credential names no issuer to bind the key to", .proofVerificationError)
        case let issuer? where issuer.isExactly(resolution.controller):
            add(.issuerBinding, .pass, .issuerBound(issuer: issuer))
        case let issuer?:
            add(.issuerBinding, .fail,
                "the proof was made with a key of \(resolution.controller), but the issuer is \(issuer): a signature "
                    + "by someone else's key does not make the credential authentic",
                .proofVerificationError)
        }

        checks.append(signatureCheck(proof, shape: shape, all: all, credential: credential,
                                     key: resolution, index: index, verified: &outcome.verified))
        checks.append(proofDates(shape, time: time, index: index))
        return outcome
    }

    private func signatureCheck(
        _ proof: JSONObject, shape: ProofShape, all: [JSONValue], credential: JSONObject,
        key: KeyResolver.Resolution, index: Int, verified: inout Bool
    ) -> VerificationCheck {
        // The proof covers the credential without its `proof` member…
        var document = credential
        var omitting: String? = "proof"
        if !shape.previousProofs.isEmpty {
            // …except a chained proof, which covers it with the proofs it names (VC Data Integrity §4.5).
            let matching = Self.proofIndices(named: shape.previousProofs, in: all).map { all[$0] }
            if let missing = shape.previousProofs.first(where: { id in
                !matching.contains { $0["id"]?.stringValue?.isExactly(id) ?? false }
            }) {
                return VerificationCheck(.signature, .fail, "previousProof \"\(missing)\" names no proof of this credential",
                                         errorCode: .proofVerificationError, proofIndex: index)
            }
            document["proof"] = .array(matching)
            omitting = nil
        }
        switch EddsaJcs2022.verifyProof(proof, document: document, omitting: omitting, publicKey: key.publicKey) {
        case .verified:
            verified = true
            return VerificationCheck(.signature, .pass, "the Ed25519 signature over the canonical credential is valid",
                                     proofIndex: index)
        case .signatureMismatch:
            return VerificationCheck(
                .signature, .fail,
                "the signature does not match: the credential or its proof changed after signing, or another key signed it",
                errorCode: .cryptographicSecurityError, proofIndex: index)
        case .contextMismatch:
            return VerificationCheck(
                .signature, .fail, "the proof's @context is not the beginning of the credential's @context",
                errorCode: .proofVerificationError, proofIndex: index)
        case .malformedProofValue(let reason):
            return VerificationCheck(.signature, .fail, reason, errorCode: .proofVerificationError, proofIndex: index)
        }
    }

    private func proofDates(_ shape: ProofShape, time: DateTimeStamp, index: Int) -> VerificationCheck {
        if let created = shape.created, created.isAfter(time, movedBy: clockSkewSeconds) {
            return VerificationCheck(
                .proofCreated, .fail, "the proof claims to be created at \(created), after the verification time \(time)",
                errorCode: .proofVerificationError, proofIndex: index)
        }
        if let expires = shape.expires, expires.isBefore(time, movedBy: -clockSkewSeconds) {
            return VerificationCheck(.proofCreated, .fail, "the proof expired at \(expires)",
                                     errorCode: .proofVerificationError, proofIndex: index)
        }
        let message = shape.created.map { CheckMessage.created($0.text) } ?? .text("the proof has no created time")
        return VerificationCheck(.proofCreated, .pass, message, proofIndex: index)
    }

    // MARK: - Validity period

    private func validityPeriod(_ shape: DataModelCheck, at time: DateTimeStamp) -> VerificationCheck {
        if shape.validFromText != nil && shape.validFrom == nil || shape.validUntilText != nil && shape.validUntil == nil {
            return VerificationCheck(.validityPeriod, .fail, "validFrom or validUntil is not an XML Schema dateTimeStamp",
                                     errorCode: .malformedValueError)
        }
        if let from = shape.validFrom, let until = shape.validUntil, until < from {
            return VerificationCheck(.validityPeriod, .fail, "validUntil \(until) is before validFrom \(from)",
                                     errorCode: .malformedValueError)
        }
        if let from = shape.validFrom, from.isAfter(time, movedBy: clockSkewSeconds) {
            return VerificationCheck(.validityPeriod, .fail, "not valid yet: valid from \(from), checked at \(time)")
        }
        if let until = shape.validUntil, until.isBefore(time, movedBy: -clockSkewSeconds) {
            return VerificationCheck(.validityPeriod, .fail, "expired: valid until \(until), checked at \(time)")
        }
        return VerificationCheck(
            .validityPeriod, .pass, .validAt(time.text, from: shape.validFrom?.text, until: shape.validUntil?.text))
    }

    // MARK: - Checks that could not be made

    static func notChecked(after kind: VerificationCheck.Kind, reason: String) -> [VerificationCheck] {
        let all = VerificationCheck.Kind.allCases
        let start = all.firstIndex(of: kind)! + 1
        return all[start...].map { VerificationCheck($0, .indeterminate, .notChecked(reason: reason)) }
    }

    static func notChecked(
        from first: VerificationCheck.Kind, through last: VerificationCheck.Kind, reason: String, proofIndex: Int? = nil
    ) -> [VerificationCheck] {
        let all = VerificationCheck.Kind.allCases
        return all[all.firstIndex(of: first)!...all.firstIndex(of: last)!].map {
            VerificationCheck($0, .indeterminate, .notChecked(reason: reason), proofIndex: proofIndex)
        }
    }
}

private extension DateTimeStamp {
    /// Whether this instant is after `time` moved by `seconds`: `self > time.adding(seconds: seconds)`, without
    /// writing out the text of the moved instant, which `adding` does.
    func isAfter(_ time: DateTimeStamp, movedBy seconds: Int64) -> Bool {
        (secondsSinceEpoch, nanoseconds) > (time.secondsSinceEpoch + seconds, time.nanoseconds)
    }

    /// Whether this instant is before `time` moved by `seconds`: `self < time.adding(seconds: seconds)`.
    func isBefore(_ time: DateTimeStamp, movedBy seconds: Int64) -> Bool {
        (secondsSinceEpoch, nanoseconds) < (time.secondsSinceEpoch + seconds, time.nanoseconds)
    }
}
