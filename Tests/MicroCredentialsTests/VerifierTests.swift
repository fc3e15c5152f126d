import CanonicalJSON
import Ed25519OpenSSL
import Foundation
import DataIntegrity
@testable import MicroCredentials
import TestSupport
import Testing

/// A signed credential issued by `issuerKey`, for the tamper tests.
struct Fixture {
    static let issuerKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x11, count: 32))
    static let otherKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x22, count: 32))
    static let issuer = DIDKey(publicKey: issuerKey.publicKey).did
    static let now = DateTimeStamp("2026-06-01T12:00:00Z")!

    static func unsigned(issuer: String = issuer) -> JSONValue {
        [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
            "id": "urn:uuid:6a8d2c6e-6a3b-4c39-9d0a-0c1b2a3d4e5f",
            "type": ["VerifiableCredential", "ExampleMicroCredential"],
            "issuer": ["id": .string(issuer), "name": "Example University"],
            "validFrom": "2026-01-15T09:00:00Z",
            "validUntil": "2031-01-15T09:00:00Z",
            "credentialSubject": ["id": "did:example:learner-42", "name": "Ada Lovelace", "ects": 5],
        ]
    }

    static func signed(_ credential: JSONValue = unsigned(), key: Ed25519PrivateKey = issuerKey) throws -> JSONObject {
        try CredentialSigner(key: key).sign(credential, created: DateTimeStamp("2026-01-15T09:00:05Z"))
    }
}

func failing(_ report: VerificationReport) -> [VerificationCheck.Kind] {
    report.failures.map(\.kind)
}

@Suite("Credential verification")
struct VerifierTests {
    let verifier = CredentialVerifier()

    @Test("a freshly signed credential is valid, with every check named in order")
    func valid() async throws {
        let report = await verifier.verify(.object(try Fixture.signed()), at: Fixture.now)
        #expect(report.isValid)
        #expect(report.checks.map(\.kind) == VerificationCheck.Kind.standard)
        #expect(report.checks.filter { $0.status == .pass }.count == 10)
        #expect(report.checks.first { $0.kind == .trust }?.status == .indeterminate)
        #expect(report.summary?.issuer == Fixture.issuer)
        #expect(report.issuer == Fixture.issuer)
    }

    @Test("messages follow spec/verification.md §3, and a check equals one made from its message text")
    func messages() async throws {
        let report = await verifier.verify(.object(try Fixture.signed()), at: Fixture.now)
        #expect(report.checks.map(\.message) == [
            "the credential is well-formed I-JSON",
            "a VC 2.0 credential with issuer \(Fixture.issuer)",
            "a DataIntegrityProof for assertionMethod",
            "DataIntegrityProof with eddsa-jcs-2022",
            "Ed25519 key of \(Fixture.issuer)",
            "the key belongs to the issuer \(Fixture.issuer)",
            "the Ed25519 signature over the canonical credential is valid",
            "created 2026-01-15T09:00:05Z",
            "valid at 2026-06-01T12:00:00Z: from 2026-01-15T09:00:00Z until 2031-01-15T09:00:00Z",
            "the credential has no credentialStatus, so it cannot be revoked",
            "no trust list was given: the proof shows who controls the issuer identifier, not whether that issuer "
                + "is a recognised awarding body",
        ])
        var unsigned = try #require(Fixture.unsigned().objectValue)
        unsigned.removeValue(forKey: "validFrom")
        unsigned.removeValue(forKey: "validUntil")
        let unsecured = await verifier.verify(.object(unsigned), at: Fixture.now)
        #expect(unsecured.checks.first { $0.kind == .key }?.message == "not checked: there is no proof")
        #expect(unsecured.checks.first { $0.kind == .validityPeriod }?.message
            == "valid at 2026-06-01T12:00:00Z: from issuance with no end")
        for check in report.checks + unsecured.checks {
            let rebuilt = VerificationCheck(
                check.kind, check.status, check.message, errorCode: check.errorCode, proofIndex: check.proofIndex)
            #expect(rebuilt == check)
            #expect(rebuilt.hashValue == check.hashValue)
        }
    }

    @Test("the bytes of a signed credential verify, also reordered and re-indented")
    func reorderedAndReindented() async throws {
        let signed = try Fixture.signed()
        let compact = JSONValue.object(signed).serialized()
        #expect(await verifier.verify(compact, at: Fixture.now).isValid)
        let pretty = JSONValue.object(signed).serialized(pretty: true)
        #expect(await verifier.verify(pretty, at: Fixture.now).isValid)
        let reversed = JSONObject(signed.members.reversed())
        #expect(await verifier.verify(JSONValue.object(reversed).serialized(pretty: true), at: Fixture.now).isValid)
    }

    /// Each tampering and the checks it must fail.
    /// A change to a signed credential, named in test output by what it changes.
    struct Tampering: Sendable, CustomTestStringConvertible {
        let what: String
        let change: @Sendable (inout JSONObject) -> Void
        let expected: Set<VerificationCheck.Kind>
        var testDescription: String { what }
    }

    static let tamperings: [Tampering] = tamperingList.map { Tampering(what: $0.0, change: $0.1, expected: $0.2) }

    private static let tamperingList: [(String, @Sendable (inout JSONObject) -> Void, Set<VerificationCheck.Kind>)] = [
        ("a subject field", { $0["credentialSubject"] = ["id": "did:example:learner-42", "name": "Eve", "ects": 5] },
         [.signature]),
        ("the issuer", { $0["issuer"] = ["id": "did:example:mallory", "name": "Example University"] },
         [.issuerBinding, .signature]),
        ("validFrom", { $0["validFrom"] = "2025-01-15T09:00:00Z" }, [.signature]),
        ("proof.created", { credential in
            var proof = credential["proof"]!.objectValue!
            proof["created"] = "2026-01-15T09:00:06Z"
            credential["proof"] = .object(proof)
        }, [.signature]),
        ("the cryptosuite, to an unsupported one", { credential in
            var proof = credential["proof"]!.objectValue!
            proof["cryptosuite"] = "ecdsa-rdfc-2019"
            credential["proof"] = .object(proof)
        }, [.cryptosuite]),
        ("the cryptosuite, to the other supported one", { credential in
            var proof = credential["proof"]!.objectValue!
            proof["cryptosuite"] = "eddsa-rdfc-2022"
            credential["proof"] = .object(proof)
        }, [.signature]),
        ("the verificationMethod, to another valid key", { credential in
            var proof = credential["proof"]!.objectValue!
            proof["verificationMethod"] = .string(DIDKey(publicKey: Fixture.otherKey.publicKey).verificationMethod)
            credential["proof"] = .object(proof)
        }, [.issuerBinding, .signature]),
        ("one character of proofValue", { credential in
            var proof = credential["proof"]!.objectValue!
            var value = Array(proof["proofValue"]!.stringValue!)
            value[10] = value[10] == "A" ? "B" : "A"
            proof["proofValue"] = .string(String(value))
            credential["proof"] = .object(proof)
        }, [.signature]),
        ("the proof, removed", { $0.removeValue(forKey: "proof") }, [.proof]),
        ("a new top-level field", { $0["awardedBy"] = "Someone Else" }, [.signature]),
    ]

    @Test("every tampering fails and names its check", arguments: tamperings)
    func tamper(_ tampering: Tampering) async throws {
        let (what, change, expected) = (tampering.what, tampering.change, tampering.expected)
        var credential = try Fixture.signed()
        change(&credential)
        let report = await verifier.verify(.object(credential), at: Fixture.now)
        #expect(!report.isValid, "tampering with \(what) went unnoticed")
        #expect(Set(failing(report)) == expected, "tampering with \(what)")
    }

    @Test("a valid signature by a key that is not the issuer's fails 'Issuer bound to key' only")
    func issuerBinding() async throws {
        // The other key signs a credential naming the issuer: built by hand, since CredentialSigner refuses.
        var document = Fixture.unsigned().objectValue!
        let options = ProofOptions(
            verificationMethod: DIDKey(publicKey: Fixture.otherKey.publicKey).verificationMethod,
            created: DateTimeStamp("2026-01-15T09:00:05Z"))
        document = try EddsaJcs2022.addProof(to: document, options: options, key: Fixture.otherKey)
        let report = await verifier.verify(.object(document), at: Fixture.now)
        #expect(failing(report) == [.issuerBinding])
        #expect(report.checks.first { $0.kind == .signature }?.status == .pass)
    }

    @Test("the signer refuses a credential whose issuer is not the key's did:key")
    func signerRefuses() async {
        #expect(throws: SigningError.self) {
            try CredentialSigner(key: Fixture.otherKey).sign(Fixture.unsigned(), created: nil)
        }
        #expect(throws: SigningError.self) {
            try CredentialSigner(key: Fixture.issuerKey, verificationMethod: DIDKey(publicKey: Fixture.otherKey.publicKey).verificationMethod)
        }
        // A verification method of another DID method names its controller: the issuer must match it.
        let signer = try? CredentialSigner(key: Fixture.issuerKey, verificationMethod: "did:web:uni.example#key-1")
        #expect(signer?.controller == "did:web:uni.example")
        #expect(throws: SigningError.self) { try signer?.sign(Fixture.unsigned(), created: nil) }
        #expect((try? signer?.sign(Fixture.unsigned(issuer: "did:web:uni.example"), created: nil)) != nil)
    }

    @Test("a did:web verification method cannot be resolved offline: 'Key resolved' fails")
    func unresolvableKey() async throws {
        let signer = try CredentialSigner(key: Fixture.issuerKey, verificationMethod: "did:web:uni.example#key-1")
        let signed = try signer.sign(Fixture.unsigned(issuer: "did:web:uni.example"), created: nil)
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(failing(report) == [.key])
    }

    @Test("validity period: not yet valid, expired, and within the clock-skew allowance")
    func validityPeriod() async throws {
        let signed = JSONValue.object(try Fixture.signed())
        #expect(failing(await verifier.verify(signed, at: DateTimeStamp("2026-01-15T08:00:00Z")!)) == [.proofCreated, .validityPeriod])
        #expect(failing(await verifier.verify(signed, at: DateTimeStamp("2031-01-15T09:06:00Z")!)) == [.validityPeriod])
        #expect(await verifier.verify(signed, at: DateTimeStamp("2026-01-15T08:56:00Z")!).isValid)  // 4 minutes early
        #expect(await verifier.verify(signed, at: DateTimeStamp("2031-01-15T09:04:00Z")!).isValid)  // 4 minutes late
        // The 5-minute allowance to the nanosecond: created 09:00:05, validUntil 2031-01-15T09:00:00.
        #expect(await verifier.verify(signed, at: DateTimeStamp("2026-01-15T08:55:05Z")!).isValid)
        #expect(failing(await verifier.verify(signed, at: DateTimeStamp("2026-01-15T08:55:04.5Z")!)) == [.proofCreated])
        #expect(await verifier.verify(signed, at: DateTimeStamp("2031-01-15T09:05:00Z")!).isValid)
        #expect(failing(await verifier.verify(signed, at: DateTimeStamp("2031-01-15T09:05:00.001Z")!)) == [.validityPeriod])
    }

    @Test("proof sets: a second proof is added as an array, and both proofs are verified")
    func proofSet() async throws {
        let once = try Fixture.signed()
        let twice = try CredentialSigner(key: Fixture.issuerKey).sign(.object(once), created: nil)
        #expect(twice["proof"]?.arrayValue?.count == 2)
        let report = await verifier.verify(.object(twice), at: Fixture.now)
        #expect(report.isValid)
        #expect(report.checks.filter { $0.kind == .signature && $0.status == .pass }.count == 2)
        // Tampering with one proof of the set is caught.
        var proofs = twice["proof"]!.arrayValue!
        var second = proofs[1].objectValue!
        second["created"] = "2020-01-01T00:00:00Z"
        proofs[1] = .object(second)
        var tampered = twice
        tampered["proof"] = .array(proofs)
        #expect(failing(await verifier.verify(.object(tampered), at: Fixture.now)) == [.signature])
    }

    @Test("an unsupported proof beside a valid one is reported as indeterminate, never ignored")
    func unsupportedProofInSet() async throws {
        var signed = try Fixture.signed()
        let foreign: JSONValue = [
            "type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019", "proofPurpose": "assertionMethod",
            "verificationMethod": .string(DIDKey(publicKey: Fixture.issuerKey.publicKey).verificationMethod),
            "proofValue": "z58DAdFfa9SkqZMVPxAQp",
        ]
        signed["proof"] = .array([signed["proof"]!, foreign])
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(report.isValid)
        let suite = report.checks.first { $0.kind == .cryptosuite && $0.proofIndex == 1 }
        #expect(suite?.status == .indeterminate)
        #expect(suite?.message.contains("ecdsa-rdfc-2019") == true)
    }

    @Test("bad input is reported by the right check", arguments: [
        ("not json", VerificationCheck.Kind.json),
        ("[1,2,3]", .dataModel),
        (#"{"a":1,"a":2}"#, .json),
    ])
    func badInput(_ text: String, _ kind: VerificationCheck.Kind) async {
        let report = await verifier.verify(Array(text.utf8), at: Fixture.now)
        #expect(report.failures.first?.kind == kind)
        #expect(!report.isValid)
    }

    @Test("a proofValue that is not multibase fails the signature check with its reason")
    func notMultibase() async throws {
        var signed = try Fixture.signed()
        var proof = signed["proof"]!.objectValue!
        proof["proofValue"] = "u3q2-not-base58"
        signed["proof"] = .object(proof)
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(failing(report) == [.signature])
        #expect(report.failures[0].message.contains("multibase"))
    }

    @Test("the W3C signedJCS.json proof verifies; its issuer is not the key's controller")
    func w3cSignedVector() async throws {
        let signed = try #require(JSONValue(parsing: Vectors.bytes("w3c-vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json")).objectValue)
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(report.checks.first { $0.kind == .signature }?.status == .pass)
        #expect(report.checks.first { $0.kind == .key }?.status == .pass)
        // https://vc.example/issuers/5678 is not did:key:z6MkrJVn…: the binding check says so.
        #expect(failing(report) == [.issuerBinding])
    }

    @Test("identifiers are compared exactly: a KELVIN SIGN look-alike of the issuer's did:key is not the issuer")
    func exactIdentifiers() async throws {
        // U+212A KELVIN SIGN is canonically equivalent to "K", so Swift's == would call the two equal.
        let lookAlike = Fixture.issuer.replacingOccurrences(of: "did:key", with: "did:\u{212A}ey")
        #expect(lookAlike == Fixture.issuer.replacingOccurrences(of: "did:key", with: "did:Key"))
        #expect(throws: SigningError.self) {
            try CredentialSigner(key: Fixture.issuerKey).sign(Fixture.unsigned(issuer: lookAlike), created: nil)
        }
        var signed = try Fixture.signed()
        signed["issuer"] = ["id": .string(lookAlike), "name": "Example University"]
        #expect(failing(await verifier.verify(.object(signed), at: Fixture.now)).contains(.issuerBinding))
    }

    @Test("an empty or different proofPurpose fails 'Proof well-formed'")
    func proofPurpose() async throws {
        for purpose in ["", "authentication"] {
            var signed = try Fixture.signed()
            var proof = signed["proof"]!.objectValue!
            proof["proofPurpose"] = .string(purpose)
            signed["proof"] = .object(proof)
            #expect(failing(await verifier.verify(.object(signed), at: Fixture.now)) == [.proof], "purpose \"\(purpose)\"")
        }
    }

    @Test("a chained proof counts only when the proof it names in previousProof verifies")
    func chainOverUnverifiedProof() async throws {
        var document = Fixture.unsigned().objectValue!
        let foreign: JSONValue = [
            "id": "urn:uuid:first", "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
            "verificationMethod": .string(DIDKey(publicKey: Fixture.issuerKey.publicKey).verificationMethod),
            "proofValue": "z58DAdFfa9SkqZMVPxAQp",
        ]
        // The chained proof covers the document with the proof it names, as Data Integrity §4.3 builds it.
        document["proof"] = .array([foreign])
        var options = ProofOptions(
            verificationMethod: DIDKey(publicKey: Fixture.issuerKey.publicKey).verificationMethod,
            created: DateTimeStamp("2026-01-15T09:00:05Z"))
        options.id = "urn:uuid:second"
        // previousProof is one of the proof options, so the proof configuration covers it.
        var withPrevious = try EddsaJcs2022.createProof(for: UnsecuredDocument(document), options: options, key: Fixture.issuerKey)
        withPrevious.removeValue(forKey: "proofValue")
        withPrevious["previousProof"] = "urn:uuid:first"
        let hashData = EddsaJcs2022.hashData(document: UnsecuredDocument(document), options: UnsecuredDocument(withPrevious))
        withPrevious["proofValue"] = .string(Multibase.encodeBase58btc(try Fixture.issuerKey.signature(for: hashData)))
        document["proof"] = .array([foreign, .object(withPrevious)])

        let report = await verifier.verify(.object(document), at: Fixture.now)
        #expect(!report.isValid)
        let signature = report.checks.first { $0.kind == .signature && $0.proofIndex == 1 }
        #expect(signature?.status == .fail)
        #expect(signature?.message.contains("previousProof \"urn:uuid:first\"") == true)
    }

    @Test("an overlong proofValue is refused without decoding it")
    func overlongProofValue() async throws {
        var signed = try Fixture.signed()
        var proof = signed["proof"]!.objectValue!
        // The last character is not base58: decoding would report it, so a length error shows that
        // the value was refused before any decoding.
        proof["proofValue"] = .string("z" + String(repeating: "2", count: 199_999) + "0")
        signed["proof"] = .object(proof)
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(failing(report) == [.signature])
        #expect(report.failures[0].message.contains("the multibase value is 200001 characters; at most 256 are read"))
        #expect(!report.failures[0].message.contains("base58btc character"))
    }

    @Test("more than 16 proofs are refused at once, and the signer adds no 17th")
    func proofLimit() async throws {
        var signed = try Fixture.signed()
        let proof = signed["proof"]!
        signed["proof"] = .array([JSONValue](repeating: proof, count: 17))
        let report = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(failing(report) == [.proof])
        #expect(report.failures[0].message == "the credential has 17 proofs; at most 16 are verified")
        // Refused at once: no proof was looked at one by one, and the signature was not checked.
        #expect(report.checks.allSatisfy { $0.proofIndex == nil })
        #expect(report.checks.first { $0.kind == .signature }?.status == .indeterminate)
        // Sixteen are verified, each on its own.
        signed["proof"] = .array([JSONValue](repeating: proof, count: 16))
        let sixteen = await verifier.verify(.object(signed), at: Fixture.now)
        #expect(Set(sixteen.checks.compactMap(\.proofIndex)) == Set(0..<16))
        #expect(sixteen.checks.filter { $0.kind == .signature }.allSatisfy { $0.status == .pass })
        #expect(throws: SigningError.tooManyProofs(limit: 16)) {
            try CredentialSigner(key: Fixture.issuerKey).sign(.object(signed), created: nil)
        }
    }

    @Test("an inline @context object whose members were reordered is the same context")
    func reorderedInlineContext() async throws {
        var document = Fixture.unsigned().objectValue!
        document["@context"] = ["https://www.w3.org/ns/credentials/v2", ["ex": "https://example.org/#", "ects": "ex:ects"]]
        var signed = try CredentialSigner(key: Fixture.issuerKey).sign(.object(document), created: nil)
        #expect(await verifier.verify(.object(signed), at: Fixture.now).isValid)
        signed["@context"] = ["https://www.w3.org/ns/credentials/v2", ["ects": "ex:ects", "ex": "https://example.org/#"]]
        #expect(await verifier.verify(.object(signed), at: Fixture.now).isValid)
        signed["@context"] = ["https://www.w3.org/ns/credentials/v2", ["ects": "ex:credits", "ex": "https://example.org/#"]]
        #expect(await !verifier.verify(.object(signed), at: Fixture.now).isValid)
    }

    @Test("the signer refuses a credential whose existing proof is not a proof")
    func malformedExistingProof() async throws {
        var document = Fixture.unsigned().objectValue!
        document["proof"] = 5
        #expect(throws: SigningError.malformedExistingProof("a number")) {
            try CredentialSigner(key: Fixture.issuerKey).sign(.object(document), created: nil)
        }
    }

    @Test("XML Schema dateTimeStamp parsing")
    func dateTimeStamps() async {
        #expect(DateTimeStamp("2023-02-24T23:36:38Z")?.secondsSinceEpoch == 1_677_281_798)
        #expect(DateTimeStamp("2023-02-25T00:36:38+01:00")?.secondsSinceEpoch == 1_677_281_798)
        #expect(DateTimeStamp("2024-02-29T00:00:00.123456789Z")?.nanoseconds == 123_456_789)
        #expect(DateTimeStamp("2024-12-31T24:00:00Z") == DateTimeStamp("2025-01-01T00:00:00Z"))
        for bad in ["2023-02-24T23:36:38", "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-02-24 23:36:38Z",
                    "2023-02-24T23:60:00Z", "2023-02-24T23:36:38.Z", "2023-02-24T23:36:38+15:00", "23-02-24T23:36:38Z",
                    "2023-02-24t23:36:38z", ""] {
            #expect(DateTimeStamp(bad) == nil, "\(bad) accepted")
        }
        #expect(DateTimeStamp(secondsSinceEpoch: 1_677_281_798).text == "2023-02-24T23:36:38Z")
    }
}
