public import DataIntegrity

/// Trust from verified trust lists: an issuer is trusted when a list names it, and its proofs must be made
/// with a key the list gives it, within that key's validity window (key rotation).
///
/// Checks it makes (`spec/trust-list.md`):
/// - "Issuer trusted": pass when a list names the issuer (the message names the body, its country and its
///   accreditation); fail, naming the lists, when none does.
/// - "Key valid for issuer", for a listed issuer whose entry lists keys: per verified proof, pass when the
///   proof's key is one of them and its `created` time lies in that key's window; fail otherwise.
///
/// It also binds a key to an issuer that is not a DID and so cannot name its own keys (an `https` issuer): when a
/// list names the key for the issuer, "Issuer bound to key" passes through the list.
public struct TrustListEvaluator: TrustEvaluator {
    /// The verified lists, consulted in order.
    public let lists: [TrustList]

    public init(lists: [TrustList]) {
        self.lists = lists
    }

    /// The first entry for `issuer`, and the list that has it.
    private func entry(for issuer: String) -> (list: TrustList, entry: TrustedAwardingBody)? {
        for list in lists {
            if let entry = list.entry(for: issuer) { return (list, entry) }
        }
        return nil
    }

    private var listNames: String {
        lists.map { "«\($0.name)»" }.joined(separator: ", ")
    }

    public func evaluateTrust(of context: VerificationContext) async -> [VerificationCheck] {
        guard let issuer = context.issuer else {
            return [VerificationCheck(.trust, .fail, "the credential names no issuer to look up")]
        }
        // A list is relied on only within its own validity period (a long-running verifier outlives lists).
        let usable = TrustListEvaluator(lists: lists.filter { $0.isValid(at: context.time) })
        guard usable.lists.count == lists.count else {
            if usable.lists.isEmpty {
                let windows = lists.map { list in
                    "«\(list.name)» is valid from \(list.validFrom?.text ?? "any time") until \(list.validUntil?.text ?? "further notice")"
                }
                return [VerificationCheck(
                    .trust, .indeterminate,
                    "no trust list can be relied on at \(context.time.text): \(windows.joined(separator: "; "))")]
            }
            return await usable.evaluateTrust(of: context)
        }
        guard let (list, entry) = entry(for: issuer) else {
            return [VerificationCheck(
                .trust, .fail,
                "\(issuer) is not on the trust list\(lists.count == 1 ? "" : "s") \(listNames): it is not a "
                    + "recognised awarding body there")]
        }
        var checks = [VerificationCheck(.trust, .pass, "listed on «\(list.name)» as \(entry.description)")]
        guard !entry.keys.isEmpty else { return checks }
        if context.verifiedProofs.isEmpty {
            checks.append(VerificationCheck(.keyValidity, .indeterminate, "not checked: no proof verified"))
        }
        for proof in context.verifiedProofs {
            checks.append(keyValidity(proof, entry: entry, list: list))
        }
        return checks
    }

    private func keyValidity(_ proof: VerifiedProof, entry: TrustedAwardingBody, list: TrustList) -> VerificationCheck {
        func check(_ status: VerificationCheck.Status, _ message: String) -> VerificationCheck {
            VerificationCheck(.keyValidity, status, message, proofIndex: proof.index)
        }
        let listed = entry.keys.filter { .ed25519($0.publicKey) == proof.verificationMethod.key }
        guard !listed.isEmpty else {
            return check(.fail, "the proof's key is not one of the keys «\(list.name)» lists for \(entry.name)")
        }
        guard let created = proof.created else {
            return check(.fail, "the proof has no created time, so it cannot be placed in the key's validity window")
        }
        // A retirement ends the key: proofs created at or after it do not count, even when the entry lists the
        // key again with another window (`trust add --key` run twice) — else a key retired after a compromise
        // would go on counting.
        if let retired = listed.compactMap(\.validUntil).filter({ created >= $0 }).min() {
            return check(.fail, "the proof was created at \(created), after the key was retired at \(retired)")
        }
        if let key = listed.first(where: { $0.isValid(at: created) }) {
            let until = key.validUntil.map { " until \($0)" } ?? ""
            return check(.pass, "the key is listed for \(entry.name), valid from \(key.validFrom)\(until); the proof "
                             + "was created at \(created)")
        }
        // Not retired before the proof, and in no window: every listing starts after it.
        let key = listed.min { $0.validFrom < $1.validFrom }!
        return check(.fail, "the proof was created at \(created), before the key became valid at \(key.validFrom)")
    }

    public func bindingReason(for method: ResolvedVerificationMethod, issuer: String) async -> String? {
        // A DID issuer's keys are the ones its DID document gives; a list binds only issuers that have none
        // (an `https` URL, say).
        guard !issuer.hasPrefix("did:") else { return nil }
        return await keyListing(for: method, issuer: issuer)
    }

    public func keyListing(for method: ResolvedVerificationMethod, issuer: String) async -> String? {
        guard let (list, entry) = entry(for: issuer),
              entry.keys.contains(where: { .ed25519($0.publicKey) == method.key })
        else { return nil }
        return "the trust list «\(list.name)» names this key for the issuer \(issuer)"
    }
}
