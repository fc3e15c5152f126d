import CanonicalJSON
import Ed25519OpenSSL
import Foundation
@testable import DataIntegrity
import TestSupport
import Testing

/// The W3C vc-di-eddsa Appendix B.3 vectors for eddsa-jcs-2022.
enum W3CVectors {
    static let folder = "w3c-vc-di-eddsa/TestVectors/"

    static func text(_ name: String) throws -> String {
        String(decoding: try Vectors.data(folder + name), as: UTF8.self)
    }

    static func object(_ name: String) throws -> JSONObject {
        try #require(JSONValue(parsing: Array(Vectors.data(folder + name))).objectValue)
    }

    static func secretKey() throws -> Ed25519PrivateKey {
        let pair = try object("keyPair.json")
        return try Multikey.decodeSecretKey(#require(pair["privateKeyMultibase"]?.stringValue))
    }
}

@Suite("eddsa-jcs-2022: W3C test vectors")
struct EddsaJcs2022VectorTests {
    @Test("canonical document and its hash")
    func canonicalDocument() throws {
        let unsigned = try W3CVectors.object("unsigned.json")
        let canonical = JSONValue.object(unsigned).canonicalBytes()
        #expect(String(decoding: canonical, as: UTF8.self) == (try W3CVectors.text("eddsa-jcs-2022/canonDocJCS.txt")))
        #expect(SHA256.hexDigest(canonical) == (try W3CVectors.text("eddsa-jcs-2022/docHashJCS.txt")))
    }

    @Test("proof configuration, its canonical form and hash, hashData, signature and proofValue")
    func proofChain() throws {
        let unsigned = try W3CVectors.object("unsigned.json")
        let key = try W3CVectors.secretKey()
        let did = DIDKey(publicKey: key.publicKey)
        let options = ProofOptions(
            verificationMethod: did.verificationMethod, created: DateTimeStamp("2023-02-24T23:36:38Z"))
        let proof = try EddsaJcs2022.createProof(for: UnsecuredDocument(unsigned), options: options, key: key)

        var withoutValue = proof
        withoutValue.removeValue(forKey: "proofValue")
        let expectedConfiguration = try W3CVectors.object("eddsa-jcs-2022/proofConfigJCS.json")
        #expect(withoutValue == expectedConfiguration)
        let canonicalConfiguration = JSONValue.object(withoutValue).canonicalBytes()
        #expect(String(decoding: canonicalConfiguration, as: UTF8.self)
            == (try W3CVectors.text("eddsa-jcs-2022/proofCanonJCS.txt")))
        #expect(SHA256.hexDigest(canonicalConfiguration) == (try W3CVectors.text("eddsa-jcs-2022/proofHashJCS.txt")))

        let hashData = EddsaJcs2022.hashData(document: UnsecuredDocument(unsigned), options: UnsecuredDocument(withoutValue))
        #expect(hexString(hashData) == (try W3CVectors.text("eddsa-jcs-2022/combinedHashJCS.txt")))
        #expect(hexString(try key.signature(for: hashData)) == (try W3CVectors.text("eddsa-jcs-2022/sigHexJCS.txt")))
        #expect(proof["proofValue"]?.stringValue == (try W3CVectors.text("eddsa-jcs-2022/sigBTC58JCS.txt")))
    }

    @Test("adding the proof reproduces signedJCS.json member for member")
    func signedDocument() throws {
        let unsigned = try W3CVectors.object("unsigned.json")
        let key = try W3CVectors.secretKey()
        let options = ProofOptions(
            verificationMethod: DIDKey(publicKey: key.publicKey).verificationMethod,
            created: DateTimeStamp("2023-02-24T23:36:38Z"))
        let signed = try EddsaJcs2022.addProof(to: unsigned, options: options, key: key)
        #expect(signed == (try W3CVectors.object("eddsa-jcs-2022/signedJCS.json")))
    }

    @Test("the proof of signedJCS.json verifies, and fails for a changed document")
    func verifySigned() throws {
        let signed = try W3CVectors.object("eddsa-jcs-2022/signedJCS.json")
        let proof = try #require(signed["proof"]?.objectValue)
        let unsecured = UnsecuredDocument(signed, omitting: "proof")
        let key = VerificationKey.ed25519(try DIDKey(parsing: #require(proof["verificationMethod"]?.stringValue)).publicKey)
        let suite = EddsaJcs2022()
        #expect(suite.verifyProof(proof, document: unsecured, key: key).isVerified)

        var changed = unsecured.jsonObject
        changed["name"] = "Another Credential"
        let mismatch = suite.verifyProof(proof, document: UnsecuredDocument(changed), key: key)
        guard case .failed(_, let code) = mismatch else { Issue.record("a changed document verified"); return }
        #expect(code == .cryptographicSecurityError)

        var narrowedContext = proof
        narrowedContext["@context"] = ["https://www.w3.org/ns/credentials/examples/v2"]
        guard case .failed(let message, _) = suite.verifyProof(narrowedContext, document: unsecured, key: key) else {
            Issue.record("a narrowed @context verified")
            return
        }
        #expect(message.contains("@context"))
    }
}
