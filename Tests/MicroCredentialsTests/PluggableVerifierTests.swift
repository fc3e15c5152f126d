import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import MicroCredentials
import TestSupport
import Testing

// A cryptosuite, a resolver, a status evaluator and a trust evaluator written outside the library, through its
// public API only (no @testable import): adding one must never need a change to the verifier.

/// A toy cryptosuite: `proofValue` is the hex SHA-256 of the key bytes, the canonical proof configuration and
/// the canonical document. It proves nothing; it only shows that the verifier calls what is registered.
struct ToyCryptosuite: Cryptosuite {
    var proofType: String { "DataIntegrityProof" }
    var name: String { "toy-sha256-2026" }

    static func proofValue(key: [UInt8], proof: JSONObject, document: UnsecuredDocument) -> String {
        var input = key
        input += UnsecuredDocument(proof, omitting: "proofValue").withCanonicalBytes { Array($0) }
        input += document.withCanonicalBytes { Array($0) }
        return hexString(SHA256.hash(input))
    }

    func verifyProof(_ proof: JSONObject, document: UnsecuredDocument, key: VerificationKey) -> ProofVerification {
        guard case .other("toy", let raw) = key else {
            return .failed(message: "toy proofs need a toy key", errorCode: .proofVerificationError)
        }
        return proof["proofValue"]?.stringValue == Self.proofValue(key: raw, proof: proof, document: document)
            ? .verified(message: "the toy digest matches")
            : .failed(message: "the toy digest does not match", errorCode: .cryptographicSecurityError)
    }
}

/// Resolves `did:toy:<hex>#key` to the hex bytes as a "toy" key, controlled by `did:toy:<hex>`.
struct ToyResolver: VerificationMethodResolver {
    var methodDescription: String { "did:toy" }
    func handles(_ verificationMethod: String) -> Bool { verificationMethod.hasPrefix("did:toy:") }
    func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure) -> ResolvedVerificationMethod {
        let did = String(verificationMethod.split(separator: "#")[0])
        guard did == "did:toy:0102030405" else {
            throw ResolutionFailure("unknown toy key", errorCode: .invalidVerificationMethod)
        }
        return ResolvedVerificationMethod(
            id: verificationMethod, controller: did, key: .other(type: "toy", rawRepresentation: [1, 2, 3, 4, 5]))
    }
}

/// A resolver whose documents can never be had, as a network resolver offline.
struct UnreachableResolver: VerificationMethodResolver {
    var methodDescription: String { "did:web" }
    func handles(_ verificationMethod: String) -> Bool { verificationMethod.hasPrefix("did:web:") }
    func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure) -> ResolvedVerificationMethod {
        throw ResolutionFailure("the DID document could not be fetched: offline", errorCode: .invalidVerificationMethod,
                                isUnavailable: true)
    }
}

/// Trusts exactly one issuer.
struct OneTrustedIssuer: TrustEvaluator {
    let issuer: String
    func evaluateTrust(of context: VerificationContext) async -> [VerificationCheck] {
        [context.issuer == issuer
            ? VerificationCheck(.trust, .pass, "listed")
            : VerificationCheck(.trust, .fail, "not listed")]
    }
}

/// Calls every credential revoked, and records what it was shown.
struct EverythingRevoked: StatusEvaluator {
    func evaluateStatus(of context: VerificationContext) async -> [VerificationCheck] {
        [VerificationCheck(.status, .fail, "revoked; \(context.verifiedProofs.count) proof(s) verified")]
    }
}

private let now = DateTimeStamp("2026-06-01T12:00:00Z")!

private func toyCredential(issuer: String = "did:toy:0102030405") -> JSONObject {
    var credential: JSONObject = [
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": .string(issuer),
        "credentialSubject": ["id": "did:example:learner", "name": "Ada"],
    ]
    var proof: JSONObject = [
        "type": "DataIntegrityProof", "cryptosuite": "toy-sha256-2026",
        "verificationMethod": "did:toy:0102030405#key-1", "proofPurpose": "assertionMethod",
        "created": "2026-01-01T00:00:00Z",
    ]
    proof["proofValue"] = .string(ToyCryptosuite.proofValue(
        key: [1, 2, 3, 4, 5], proof: proof, document: UnsecuredDocument(credential)))
    credential["proof"] = .object(proof)
    return credential
}

@Suite("A verifier with plug-ins registered from outside the library")
struct PluggableVerifierTests {
    @Test("a toy cryptosuite and a toy resolver, registered, verify a credential that uses them")
    func toyCryptosuite() async throws {
        var verifier = CredentialVerifier()
        let unknown = await verifier.verify(.object(toyCredential()), at: now)
        #expect(unknown.outcome == .invalid)
        #expect(unknown.failures.first?.kind == .cryptosuite)

        verifier.register(ToyCryptosuite())
        verifier.register(ToyResolver())
        let report = await verifier.verify(.object(toyCredential()), at: now)
        #expect(report.outcome == .valid, "\(report.failures.map(\.message))")
        #expect(report.checks.first { $0.kind == .cryptosuite }?.message == "DataIntegrityProof with toy-sha256-2026")
        #expect(report.checks.first { $0.kind == .key }?.message == "toy key of did:toy:0102030405")
        #expect(report.checks.first { $0.kind == .signature }?.message == "the toy digest matches")

        var tampered = toyCredential()
        tampered["credentialSubject"] = ["id": "did:example:learner", "name": "Eve"]
        let failed = await verifier.verify(.object(tampered), at: now)
        #expect(failed.failures.map(\.kind) == [.signature])
        #expect(failed.failures.first?.errorCode == .cryptographicSecurityError)
    }

    @Test("eddsa-jcs-2022 still verifies next to a registered cryptosuite")
    func builtInStillWorks() async throws {
        var verifier = CredentialVerifier()
        verifier.register(ToyCryptosuite())
        verifier.register(ToyResolver())
        let report = await verifier.verify(.object(try Fixture.signed()), at: Fixture.now)
        #expect(report.isValid)
    }

    @Test("a resolver that cannot obtain a document makes 'Key resolved' indeterminate, never a pass")
    func unavailableKey() async throws {
        let verifier = CredentialVerifier(resolvers: ResolverRegistry([DIDKeyResolver(), UnreachableResolver()]))
        var credential = Fixture.unsigned(issuer: "did:web:uni.example").objectValue!
        let proof: JSONObject = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
            "verificationMethod": "did:web:uni.example#key-1", "proofPurpose": "assertionMethod",
            "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKWVLZQ8hJKjk6aiA",
        ]
        credential["proof"] = .object(proof)
        let report = await verifier.verify(.object(credential), at: Fixture.now)
        let key = try #require(report.checks.first { $0.kind == .key })
        #expect(key.status == .indeterminate)
        #expect(key.message == "the DID document could not be fetched: offline")
        #expect(report.checks.first { $0.kind == .signature }?.status == .indeterminate)
        // Nothing failed, but no signature was verified: unknown is never valid, strict or not.
        #expect(report.outcome == .notVerified)
        #expect(report.failures.isEmpty)
    }

    @Test("trust and status evaluators decide their checks; the policy decides whether they count")
    func evaluators() async throws {
        let signed = try Fixture.signed()
        var verifier = CredentialVerifier(trustEvaluator: OneTrustedIssuer(issuer: Fixture.issuer))
        let trusted = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(trusted.checks.last == VerificationCheck(.trust, .pass, "listed"))
        #expect(trusted.outcome == .valid)

        verifier.trustEvaluator = OneTrustedIssuer(issuer: "did:example:someone-else")
        #expect(await verifier.verify(.object(signed), at: Fixture.now).outcome == .invalid)
        verifier.policy.requiredChecks.remove(.trust)
        let reportedOnly = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(reportedOnly.outcome == .valid)
        #expect(reportedOnly.checks.last?.status == .fail)

        verifier.statusEvaluator = EverythingRevoked()
        let revoked = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(revoked.outcome == .invalid)
        #expect(revoked.failures.first?.message == "revoked; 1 proof(s) verified")
    }

    @Test("strict policy: an indeterminate required check means not verified; the default ignores it")
    func strictPolicy() async throws {
        let signed = try Fixture.signed()
        var verifier = CredentialVerifier()
        // Without a trust list, "Issuer trusted" is indeterminate.
        #expect(await verifier.verify(.object(signed), at: Fixture.now).outcome == .valid)
        verifier.policy.strict = true
        #expect(await verifier.verify(.object(signed), at: Fixture.now).outcome == .notVerified)
        verifier.policy.requiredChecks.remove(.trust)
        #expect(await verifier.verify(.object(signed), at: Fixture.now).outcome == .valid)
        var tampered = signed
        tampered["name"] = "Changed"
        #expect(await verifier.verify(.object(tampered), at: Fixture.now).outcome == .invalid)
    }

    @Test("the policy's time is used when verify is given none")
    func policyTime() async throws {
        let signed = try Fixture.signed()
        let verifier = CredentialVerifier(policy: VerificationPolicy(time: DateTimeStamp("2040-01-01T00:00:00Z")))
        let report = await verifier.verify(.object(signed))
        #expect(report.failures.map(\.kind) == [.validityPeriod])
        #expect(await verifier.verify(.object(signed), at: Fixture.now).isValid)
    }

    @Test("a credential with credentialStatus is indeterminate for status when no status list is configured")
    func credentialStatusIndeterminate() async throws {
        var credential = Fixture.unsigned().objectValue!
        credential["credentialStatus"] = [
            "id": "https://uni.example/status/1#94567", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "94567",
            "statusListCredential": "https://uni.example/status/1",
        ]
        let signed = try Fixture.signed(.object(credential))
        let report = await CredentialVerifier().verify(.object(signed), at: Fixture.now)
        let status = try #require(report.checks.first { $0.kind == .status })
        #expect(status.status == .indeterminate)
        #expect(status.message.contains("no status list was given"))
        #expect(report.isValid)
    }

    @Test("one verifier shared by many concurrent tasks gives every task the right report")
    func sharedVerifierConcurrently() async throws {
        let verifier = CredentialVerifier()
        let good = JSONValue.object(try Fixture.signed()).serialized()
        var changed = try Fixture.signed()
        changed["name"] = "Changed"
        let bad = JSONValue.object(changed).serialized()
        let other = JSONValue.object(try Fixture.signed(Fixture.unsigned(issuer: DIDKey(publicKey: Fixture.otherKey.publicKey).did),
                                                        key: Fixture.otherKey)).serialized()
        let inputs = (0..<600).map { [good, bad, other][$0 % 3] }
        let outcomes = await withTaskGroup(of: (Int, VerificationOutcome).self) { group in
            for (index, input) in inputs.enumerated() {
                group.addTask { (index, await verifier.verify(input, at: Fixture.now).outcome) }
            }
            var outcomes = [VerificationOutcome?](repeating: nil, count: inputs.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        for (index, outcome) in outcomes.enumerated() {
            #expect(outcome == (index % 3 == 1 ? .invalid : .valid), "input \(index)")
        }
    }
}

@Suite("Proof chains")
struct ProofChainTests {
    @Test("a valid chain: the second proof covers the first through previousProof, and both verify")
    func validChain() async throws {
        let key = Fixture.issuerKey
        let method = DIDKey(publicKey: key.publicKey).verificationMethod
        var document = Fixture.unsigned().objectValue!
        var firstOptions = ProofOptions(verificationMethod: method, created: DateTimeStamp("2026-01-15T09:00:05Z"))
        firstOptions.id = "urn:uuid:first"
        let first = try EddsaJcs2022.createProof(for: UnsecuredDocument(document), options: firstOptions, key: key)
        document["proof"] = .array([.object(first)])

        var secondOptions = ProofOptions(verificationMethod: method, created: DateTimeStamp("2026-01-16T09:00:05Z"))
        secondOptions.id = "urn:uuid:second"
        var second = try EddsaJcs2022.createProof(for: UnsecuredDocument(document), options: secondOptions, key: key)
        second.removeValue(forKey: "proofValue")
        second["previousProof"] = "urn:uuid:first"
        let hashData = EddsaJcs2022.hashData(document: UnsecuredDocument(document), options: UnsecuredDocument(second))
        second["proofValue"] = .string(Multibase.encodeBase58btc(try key.signature(for: hashData)))
        document["proof"] = .array([.object(first), .object(second)])

        let report = await CredentialVerifier().verify(.object(document), at: Fixture.now)
        #expect(report.isValid, "\(report.failures.map(\.message))")
        #expect(report.checks.filter { $0.kind == .signature && $0.status == .pass }.count == 2)

        // Tampering with the first proof breaks both: its own signature, and the chain that covers it.
        var broken = document
        var tamperedFirst = first
        tamperedFirst["created"] = "2026-01-15T09:00:06Z"
        broken["proof"] = .array([.object(tamperedFirst), .object(second)])
        let brokenReport = await CredentialVerifier().verify(.object(broken), at: Fixture.now)
        #expect(brokenReport.failures.map(\.kind) == [.signature, .signature])
    }
}
