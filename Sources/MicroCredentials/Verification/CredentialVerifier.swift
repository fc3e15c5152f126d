public import CanonicalJSON
public import DataIntegrity

/// Verifies credentials secured with Data Integrity proofs and reports every check by name.
///
/// The verifier works on the JSON exactly as received and checks the proofs before trusting any other field.
/// Its parts are plug-ins: cryptosuites (`Cryptosuite`, from `DataIntegrity`), verification method resolvers
/// (`VerificationMethodResolver`, from `DataIntegrity`), a ``StatusEvaluator`` and a ``TrustEvaluator``; what decides the verdict
/// is its ``VerificationPolicy``. By default it knows `eddsa-jcs-2022` and `did:key`, and never touches the
/// network. Time is an input, so the same credential gets the same report at the same instant.
///
/// ```swift
/// let verifier = CredentialVerifier()
/// let report = await verifier.verify(bytes, at: DateTimeStamp("2026-01-01T00:00:00Z")!)
/// if !report.isValid { print(report.failures.map(\.message)) }
/// ```
public struct CredentialVerifier: Sendable {
    /// The first `@context` item of every VC 2.0 credential.
    public static let credentialsContextV2 = "https://www.w3.org/ns/credentials/v2"

    /// What is required, and when the credential is judged.
    public var policy: VerificationPolicy
    /// The cryptosuites proofs may use; the first whose proof type and name match a proof verifies it.
    public private(set) var cryptosuites: [any Cryptosuite]
    /// Resolves proofs' verification methods.
    public private(set) var resolvers: ResolverRegistry
    /// Checks `credentialStatus`.
    public var statusEvaluator: any StatusEvaluator
    /// Decides whether the issuer is a recognised one.
    public var trustEvaluator: any TrustEvaluator

    /// Creates a verifier; the defaults are those of `mcred verify` without trust or status lists.
    public init(
        policy: VerificationPolicy = VerificationPolicy(),
        cryptosuites: [any Cryptosuite] = [EddsaJcs2022(), EddsaRdfc2022()],
        resolvers: ResolverRegistry = ResolverRegistry(),
        statusEvaluator: any StatusEvaluator = NoStatusLists(),
        trustEvaluator: any TrustEvaluator = NoTrustList()
    ) {
        self.policy = policy
        self.cryptosuites = cryptosuites
        self.resolvers = resolvers
        self.statusEvaluator = statusEvaluator
        self.trustEvaluator = trustEvaluator
    }

    /// Adds a cryptosuite; it is consulted before those registered earlier.
    public mutating func register(_ cryptosuite: any Cryptosuite) {
        cryptosuites.insert(cryptosuite, at: 0)
    }

    /// Adds a verification method resolver; it is asked before those registered earlier.
    public mutating func register(_ resolver: any VerificationMethodResolver) {
        resolvers.register(resolver)
    }

    /// Parses and verifies a credential.
    /// - Parameters:
    ///   - bytes: the credential as received (UTF-8 JSON).
    ///   - time: the instant at which validity periods and proof dates are judged; by default the policy's
    ///     ``VerificationPolicy/time``, else now.
    public func verify(_ bytes: [UInt8], at time: DateTimeStamp? = nil) async -> VerificationReport {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes, limits: policy.limits)
        } catch {
            return VerificationReport(
                checks: [VerificationCheck(.json, .fail, "not valid JSON: \(error)", errorCode: .parsingError)]
                    + Self.notChecked(after: .json, reason: "the input is not JSON"),
                policy: policy, summary: nil, proofCount: 0)
        }
        return await verify(value, at: time)
    }

    /// Verifies a parsed credential.
    public func verify(_ value: JSONValue, at time: DateTimeStamp? = nil) async -> VerificationReport {
        let time = time ?? policy.time ?? .now
        let wellFormed = VerificationCheck(.json, .pass, "the credential is well-formed I-JSON")
        guard case .object(let credential) = value else {
            return VerificationReport(
                checks: [wellFormed, VerificationCheck(
                    .dataModel, .fail, "a credential is a JSON object; this is \(value.kindDescription)",
                    errorCode: .malformedValueError)]
                    + Self.notChecked(after: .dataModel, reason: "the input is not a credential"),
                policy: policy, summary: nil, proofCount: 0)
        }
        let shape = DataModelCheck(credential)
        let proofs = ProofSet(credential)
        var checks = [wellFormed]
        checks.append(shape.problems.isEmpty
            ? VerificationCheck(.dataModel, .pass, "a VC 2.0 credential with issuer \(shape.issuer ?? "?")")
            : VerificationCheck(.dataModel, .fail, shape.problems.joined(separator: "; "),
                                errorCode: .malformedValueError))
        let verified = await verifyProofs(proofs, credential: credential, issuer: shape.issuer, at: time,
                                          into: &checks)
        checks.append(validityPeriod(shape, at: time))
        let context = VerificationContext(credential: credential, issuer: shape.issuer, verifiedProofs: verified,
                                          time: time)
        checks += await statusEvaluator.evaluateStatus(of: context)
        checks += await trustEvaluator.evaluateTrust(of: context)
        return VerificationReport(
            checks: checks, policy: policy, summary: CredentialSummary(credential, shape: shape, proofs: proofs),
            proofCount: proofs.count, verifiedProofs: verified)
    }

    // MARK: - Proofs

    /// Appends the six proof checks of every proof, or six for a missing, malformed or oversized proof set.
    /// - Returns: the proofs that verified.
    private func verifyProofs(
        _ proofs: ProofSet, credential: JSONObject, issuer: String?, at time: DateTimeStamp,
        into checks: inout [VerificationCheck]
    ) async -> [VerifiedProof] {
        switch proofs {
        case .missing:
            checks.append(VerificationCheck(.proof, .fail, "the credential has no proof: it is not secured",
                                            errorCode: .parsingError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "there is no proof")
        case .malformed(let reason):
            checks.append(VerificationCheck(.proof, .fail, reason, errorCode: .parsingError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "the proof is malformed")
        case .proofs(let all) where all.count > policy.maximumProofCount:
            checks.append(VerificationCheck(
                .proof, .fail, "the credential has \(all.count) proofs; at most \(policy.maximumProofCount) are verified",
                errorCode: .proofVerificationError))
            checks += Self.notChecked(from: .cryptosuite, through: .proofCreated, reason: "there are too many proofs")
        case .proofs(let all):
            var outcomes: [ProofOutcome] = []
            for index in all.indices {
                let first = checks.count
                var outcome = await verifyProof(at: index, in: all, credential: credential, issuer: issuer, time: time,
                                                into: &checks)
                outcome.checks = first..<checks.count
                outcomes.append(outcome)
            }
            ProofChains.enforce(outcomes: &outcomes, checks: &checks, all: all)
            // A proof whose cryptosuite is not supported is reported, never silently ignored: it fails the
            // credential unless another proof verified, and is indeterminate then.
            let anyVerified = outcomes.contains { $0.verified != nil }
            for (index, outcome) in outcomes.enumerated() {
                guard let unsupported = outcome.unsupported else { continue }
                checks[outcome.checks.lowerBound + 1] = VerificationCheck(
                    .cryptosuite, anyVerified ? .indeterminate : .fail,
                    unsupported + (anyVerified ? "; another proof verified" : ""),
                    errorCode: .proofVerificationError, proofIndex: index)
            }
            return outcomes.compactMap(\.verified)
        }
        return []
    }

    /// Appends the six checks of one proof.
    private func verifyProof(
        at index: Int, in all: [JSONValue], credential: JSONObject, issuer: String?, time: DateTimeStamp,
        into checks: inout [VerificationCheck]
    ) async -> ProofOutcome {
        func add(_ kind: VerificationCheck.Kind, _ status: VerificationCheck.Status, _ message: String,
                 _ code: VerificationErrorCode? = nil) {
            checks.append(VerificationCheck(kind, status, message, errorCode: code, proofIndex: index))
        }
        func notChecked(from kind: VerificationCheck.Kind, _ reason: String) {
            checks += Self.notChecked(from: kind, through: .proofCreated, reason: reason, proofIndex: index)
        }
        guard case .object(let proof) = all[index] else {
            add(.proof, .fail, "the proof is \(all[index].kindDescription), not an object", .parsingError)
            notChecked(from: .cryptosuite, "the proof is malformed")
            return ProofOutcome()
        }
        let shape = ProofShape(proof, expectedPurpose: policy.expectedProofPurpose)
        guard shape.problems.isEmpty else {
            add(.proof, .fail, shape.problems.joined(separator: "; "), .proofVerificationError)
            notChecked(from: .cryptosuite, "the proof is malformed")
            return ProofOutcome()
        }
        var outcome = ProofOutcome(previousProofs: shape.previousProofs)
        add(.proof, .pass, "a \(shape.type) for \(shape.purpose)")

        guard let suite = cryptosuites.first(where: { suite in
            suite.proofType.isExactly(shape.type) && shape.cryptosuite.map { suite.name.isExactly($0) } == true
        }) else {
            let named = shape.cryptosuite.map { "\"\($0)\"" } ?? "no cryptosuite"
            let supported = cryptosuites.map { "\($0.proofType) with \"\($0.name)\"" }.joined(separator: ", ")
            let unsupported = "proof type \"\(shape.type)\" with \(named) is not supported; this verifier supports "
                + (supported.isEmpty ? "none" : supported)
            outcome.unsupported = unsupported
            add(.cryptosuite, .fail, unsupported, .proofVerificationError)
            notChecked(from: .key, "the cryptosuite is not supported")
            return outcome
        }
        add(.cryptosuite, .pass, suite.displayName)

        let method: ResolvedVerificationMethod
        do {
            method = try await resolvers.resolve(shape.verificationMethod, purpose: shape.purpose)
        } catch {
            if error.isUnavailable {
                add(.key, .indeterminate, error.message)
                notChecked(from: .issuerBinding, "the key could not be had")
            } else {
                add(.key, .fail, error.message, error.errorCode)
                notChecked(from: .issuerBinding, "the key was not resolved")
            }
            return outcome
        }
        add(.key, .pass, "\(method.key.typeName) key of \(method.controller)")

        switch issuer {
        case nil:
            add(.issuerBinding, .fail, "the credential names no issuer to bind the key to", .proofVerificationError)
        case let issuer? where issuer.isExactly(method.controller):
            add(.issuerBinding, .pass, "the key belongs to the issuer \(issuer)")
        case let issuer?:
            if let reason = await trustEvaluator.bindingReason(for: method, issuer: issuer) {
                add(.issuerBinding, .pass, reason)
                break
            }
            add(.issuerBinding, .fail,
                "the proof was made with a key of \(method.controller), but the issuer is \(issuer): a signature "
                    + "by someone else's key does not make the credential authentic",
                .proofVerificationError)
        }

        let signature = signatureCheck(proof, shape: shape, suite: suite, all: all, credential: credential,
                                       key: method.key, index: index)
        checks.append(signature)
        if signature.status == .pass {
            outcome.verified = VerifiedProof(index: index, cryptosuite: suite.name, verificationMethod: method,
                                             created: shape.created)
        }
        checks.append(proofDates(shape, time: time, index: index))
        return outcome
    }

    private func signatureCheck(
        _ proof: JSONObject, shape: ProofShape, suite: any Cryptosuite, all: [JSONValue], credential: JSONObject,
        key: VerificationKey, index: Int
    ) -> VerificationCheck {
        // The proof covers the credential without its `proof` member…
        var document = UnsecuredDocument(credential, omitting: "proof")
        if !shape.previousProofs.isEmpty {
            // …except a chained proof, which covers it with the proofs it names (VC Data Integrity §4.5).
            let matching = ProofChains.indices(named: shape.previousProofs, in: all).map { all[$0] }
            if let missing = shape.previousProofs.first(where: { id in
                !matching.contains { $0["id"]?.stringValue?.isExactly(id) ?? false }
            }) {
                return VerificationCheck(.signature, .fail, "previousProof \"\(missing)\" names no proof of this credential",
                                         errorCode: .proofVerificationError, proofIndex: index)
            }
            var covered = credential
            covered["proof"] = .array(matching)
            document = UnsecuredDocument(covered)
        }
        switch suite.verifyProof(proof, document: document, key: key) {
        case .verified(let message):
            return VerificationCheck(.signature, .pass, message, proofIndex: index)
        case .failed(let message, let code):
            return VerificationCheck(.signature, .fail, message, errorCode: code, proofIndex: index)
        }
    }

    private func proofDates(_ shape: ProofShape, time: DateTimeStamp, index: Int) -> VerificationCheck {
        if let created = shape.created, Self.order(created, time, movedBy: policy.clockSkewSeconds) > 0 {
            return VerificationCheck(
                .proofCreated, .fail, "the proof claims to be created at \(created), after the verification time \(time)",
                errorCode: .proofVerificationError, proofIndex: index)
        }
        if let expires = shape.expires, Self.order(expires, time, movedBy: -policy.clockSkewSeconds) < 0 {
            return VerificationCheck(.proofCreated, .fail, "the proof expired at \(expires)",
                                     errorCode: .proofVerificationError, proofIndex: index)
        }
        let message = shape.created.map { "created \($0.text)" } ?? "the proof has no created time"
        return VerificationCheck(.proofCreated, .pass, message, proofIndex: index)
    }

    /// How `stamp` compares with `time` moved by `seconds` (the clock skew allowed): -1 before, 0 at, 1 after. The
    /// same as comparing with `time.adding(seconds:)`, without writing the moved time out as text.
    private static func order(_ stamp: DateTimeStamp, _ time: DateTimeStamp, movedBy seconds: Int64) -> Int {
        let other = (time.secondsSinceEpoch + seconds, time.nanoseconds)
        let this = (stamp.secondsSinceEpoch, stamp.nanoseconds)
        return this < other ? -1 : this == other ? 0 : 1
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
        if let from = shape.validFrom, Self.order(from, time, movedBy: policy.clockSkewSeconds) > 0 {
            return VerificationCheck(.validityPeriod, .fail, "not valid yet: valid from \(from), checked at \(time)")
        }
        if let until = shape.validUntil, Self.order(until, time, movedBy: -policy.clockSkewSeconds) < 0 {
            return VerificationCheck(.validityPeriod, .fail, "expired: valid until \(until), checked at \(time)")
        }
        let from = shape.validFrom.map { ": from \($0.text)" } ?? ": from issuance"
        let until = shape.validUntil.map { " until \($0.text)" } ?? " with no end"
        return VerificationCheck(.validityPeriod, .pass, "valid at \(time.text)\(from)\(until)")
    }

    // MARK: - Checks that could not be made

    static func notChecked(after kind: VerificationCheck.Kind, reason: String) -> [VerificationCheck] {
        let all = VerificationCheck.Kind.standard
        let start = all.firstIndex(of: kind)! + 1
        return all[start...].map { VerificationCheck($0, .indeterminate, "not checked: \(reason)") }
    }

    static func notChecked(
        from first: VerificationCheck.Kind, through last: VerificationCheck.Kind, reason: String, proofIndex: Int? = nil
    ) -> [VerificationCheck] {
        let all = VerificationCheck.Kind.standard
        return all[all.firstIndex(of: first)!...all.firstIndex(of: last)!].map {
            VerificationCheck($0, .indeterminate, "not checked: \(reason)", proofIndex: proofIndex)
        }
    }
}

/// What verifying one proof found, beyond its checks.
struct ProofOutcome {
    /// The positions of the proof's checks in the report.
    var checks: Range<Int> = 0..<0
    /// The proof, when its signature verified.
    var verified: VerifiedProof?
    /// The `cryptosuite` failure message, when the proof's cryptosuite is not supported.
    var unsupported: String?
    /// The ids this proof names in `previousProof`.
    var previousProofs: [String] = []
}

/// VC Data Integrity 1.0 §2.1 and §4.5: proof chains.
enum ProofChains {
    /// Every proof that a chained proof names in `previousProof` must verify too; repeated until nothing
    /// changes, so the rule carries along a chain.
    static func enforce(outcomes: inout [ProofOutcome], checks: inout [VerificationCheck], all: [JSONValue]) {
        var changed = true
        while changed {
            changed = false
            for index in outcomes.indices where outcomes[index].verified != nil && !outcomes[index].previousProofs.isEmpty {
                for previous in indices(named: outcomes[index].previousProofs, in: all) where outcomes[previous].verified == nil {
                    let id = all[previous]["id"]?.stringValue ?? "?"
                    outcomes[index].verified = nil
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
    static func indices(named ids: [String], in all: [JSONValue]) -> [Int] {
        all.indices.filter { index in
            guard let id = all[index]["id"]?.stringValue else { return false }
            return ids.contains { $0.isExactly(id) }
        }
    }
}
