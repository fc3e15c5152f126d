import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import Foundation
import MicroCredentials
import TestSupport
import Testing

private let folder = "w3c-vc-di-eddsa/TestVectors/"

private func object(_ path: String) throws -> JSONObject {
    try #require(JSONValue(parsing: Vectors.bytes(path)).objectValue)
}

/// The 1EdTech Open Badges specification files stay in the shared collection (their licence allows no
/// redistribution): the test that needs them runs when the collection is beside the repository
/// (`../shared/vectors`) or named by `MCRED_SHARED_VECTORS`, and is reported skipped otherwise.
private let sharedVectors = ProcessInfo.processInfo.environment["MCRED_SHARED_VECTORS"].map(URL.init(fileURLWithPath:))
    ?? packageRoot().deletingLastPathComponent().appendingPathComponent("shared/vectors")
private let haveSharedVectors = FileManager.default.fileExists(atPath: sharedVectors.path)

/// Resolves an `https:` verification method to a key given by the test, controlled by the URL before `#`.
private struct FixedKeyResolver: VerificationMethodResolver {
    let method: String
    let key: Ed25519PublicKey
    var methodDescription: String { "a fixed https key" }
    func handles(_ verificationMethod: String) -> Bool { verificationMethod == method }
    func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure) -> ResolvedVerificationMethod {
        ResolvedVerificationMethod(id: verificationMethod, controller: String(method.split(separator: "#")[0]),
                                   key: .ed25519(key))
    }
}

private let at = DateTimeStamp("2026-06-01T00:00:00Z")!

@Suite("eddsa-rdfc-2022")
struct EddsaRdfc2022Tests {
    @Test("the W3C vector: hashes, signature and proofValue reproduced byte for byte")
    func createReproducesVector() throws {
        let keyPair = try object(folder + "keyPair.json")
        let seed = Array(try Multibase.decodeBase58btc(keyPair["privateKeyMultibase"]!.stringValue!).dropFirst(2))
        let key = try Ed25519PrivateKey(seed: seed)
        let unsigned = try object(folder + "unsigned.json")
        let config = try object(folder + "eddsa-rdfc-2022/proofConfigDataInt.json")
        let hashData = try EddsaRdfc2022.hashData(document: unsigned, options: config)
        #expect(lowercaseHexString(hashData) == (try Vectors.text(folder + "eddsa-rdfc-2022/combinedHashDataInt.txt")))
        let options = ProofOptions(verificationMethod: config["verificationMethod"]!.stringValue!,
                                   created: DateTimeStamp(config["created"]!.stringValue!))
        let proof = try EddsaRdfc2022.createProof(for: unsigned, options: options, key: key)
        #expect(proof["proofValue"]?.stringValue == (try Vectors.text(folder + "eddsa-rdfc-2022/sigBTC58DataInt.txt")))
    }

    @Test("the W3C signed credentials verify; changing one value breaks the signature",
          arguments: ["eddsa-rdfc-2022/signedDataInt.json", "eddsa-rdfc-2022/employ/signedDataInt.json"])
    func w3cSigned(_ path: String) async throws {
        let signed = try object(folder + path)
        let report = await CredentialVerifier().verify(.object(signed), at: at)
        #expect(report.checks.contains { $0.kind == .signature && $0.status == .pass }, "\(report.failures.map(\.message))")
        #expect(report.checks.contains { $0.kind == .cryptosuite && $0.message.contains("eddsa-rdfc-2022") })
        var tampered = signed
        tampered["validFrom"] = "2010-01-01T19:23:25Z"
        let broken = await CredentialVerifier().verify(.object(tampered), at: at)
        #expect(broken.failures.contains { $0.kind == .signature && $0.errorCode == .cryptographicSecurityError })
    }

    @Test("the W3C proof set and proof chain: every proof's signature verifies",
          arguments: ["proof-set-chain/signedProofSet2.json", "proof-set-chain/signedProofChain2.json"])
    func setsAndChains(_ path: String) async throws {
        let report = await CredentialVerifier().verify(.object(try object(folder + path)), at: at)
        let signatures = report.checks.filter { $0.kind == .signature }
        #expect(signatures.count >= 2)
        #expect(signatures.allSatisfy { $0.status == .pass }, "\(signatures.map(\.message))")
    }

    @Test("the Bitstring Status List Recommendation's rdfc-signed examples: their signatures verify",
          arguments: ["example-4-revocable-credential-signed-eddsa-rdfc-2022.json",
                      "example-5-status-list-credential-signed-eddsa-rdfc-2022.json"])
    func statusListExamples(_ name: String) async throws {
        var credential = try object("w3c-vc-bitstring-status-list/extracted-from-REC/" + name)
        credential["_provenance"] = nil  // our extraction note, not part of the signed example
        let report = await CredentialVerifier().verify(.object(credential), at: at)
        let signature = try #require(report.checks.first { $0.kind == .signature })
        #expect(signature.status == .pass, "\(report.checks.map { "\($0.kind): \($0.message)" })")
    }

    @Test("an undefined term: signing is refused and verifying fails with DATA_LOSS_DETECTION_ERROR")
    func dataLoss() async throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 7, count: 32))
        let did = DIDKey(publicKey: key.publicKey)
        let unsigned: JSONObject = [
            "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": .string(did.did), "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": ["id": "did:example:learner", "name": "Ana"],
        ]
        let options = ProofOptions(verificationMethod: did.verificationMethod, created: at)
        var withTerm = unsigned
        withTerm["favouriteColour"] = "green"
        #expect {
            try EddsaRdfc2022.createProof(for: withTerm, options: options, key: key)
        } throws: { error in
            (error as? EddsaRdfc2022.TransformationError).map {
                $0.errorCode == .dataLossDetectionError && $0.message.contains("favouriteColour")
            } ?? false
        }
        var signed = unsigned
        signed["proof"] = .object(try EddsaRdfc2022.createProof(for: unsigned, options: options, key: key))
        #expect(await CredentialVerifier().verify(.object(signed), at: at).isValid)
        signed["favouriteColour"] = "green"
        let report = await CredentialVerifier().verify(.object(signed), at: at)
        let failure = try #require(report.failures.first { $0.kind == .signature })
        #expect(failure.errorCode == .dataLossDetectionError)
        #expect(failure.message.contains("favouriteColour"))
        // An undefined type is data loss too.
        var typed = unsigned
        typed["type"] = ["VerifiableCredential", "MysteryCredential"]
        #expect(throws: EddsaRdfc2022.TransformationError.self) {
            try EddsaRdfc2022.createProof(for: typed, options: options, key: key)
        }
    }

    @Test("the 1EdTech OB 3.0 signing example verifies", .enabled(if: haveSharedVectors))
    func openBadgesExample() async throws {
        let url = sharedVectors.appendingPathComponent(
            "1edtech-openbadges-specification/ob_v3p0/impl/test-vectors/obv3p0/linked-data-proof-ob.extracted.json")
        let example = try #require(try JSONValue(parsing: Array(Data(contentsOf: url))).objectValue)
        let method = example["verificationMethod"]!.stringValue!
        let key = try Multikey.decodePublicKey(example["publicKeyMultibase"]!.stringValue!)
        let verifier = CredentialVerifier(resolvers: ResolverRegistry([FixedKeyResolver(method: method, key: key)]))
        let report = await verifier.verify(example["signedCredential"]!, at: at)
        #expect(report.checks.contains { $0.kind == .signature && $0.status == .pass }, "\(report.failures.map(\.message))")
        let hashData = try EddsaRdfc2022.hashData(
            document: example["unsignedCredential"]!.objectValue!, options: example["proofOptions"]!.objectValue!)
        #expect(lowercaseHexString(hashData) == example["dataToSignHex_proofHash_then_documentHash"]!.stringValue!)
    }

    @Test("the 1EdTech validator's revoked OB 3.0 credential verifies and is reported revoked (bit 23)")
    func oneEdTechRevoked() async throws {
        let base = "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30/bit-string-list/"
        let credential = try object(base + "credential-status-revoked.json")
        let proof = try #require(credential["proof"]?.objectValue)
        let method = proof["verificationMethod"]!.stringValue!
        let key = try Multikey.decodePublicKey(String(method.split(separator: "#")[1]))
        var verifier = CredentialVerifier(resolvers: ResolverRegistry([FixedKeyResolver(method: method, key: key)]))
        let listURL = credential["credentialStatus"]!["statusListCredential"]!.stringValue!
        verifier.statusEvaluator = BitstringStatusEvaluator(
            loader: LocalDocuments([listURL: try Vectors.bytes(base + "testlist")]), listVerifier: verifier)
        let report = await verifier.verify(.object(credential), at: at)
        #expect(report.checks.contains { $0.kind == .signature && $0.status == .pass }, "\(report.failures.map(\.message))")
        #expect(report.failures.map(\.kind) == [.status], "\(report.failures.map(\.message))")
        #expect(report.failures.first?.message
            == "revoked (list \(listURL), index 23 (statusListIndex is a JSON number; the Recommendation asks for a string))")
    }
}

private func lowercaseHexString(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
