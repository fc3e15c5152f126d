import LoopbackHTTP
import DataIntegrity
import Ed25519OpenSSL
import RemoteDocuments
import Testing

@Suite("did:web resolution over HTTPDocumentLoader")
struct DIDWebOverHTTPTests {
    @Test("a did:web key resolves from a mirrored server; a 404 leaves it unknown")
    func resolvesThroughMirror() async throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x42, count: 32))
        let did = "did:web:uni.example%3A8443:issuers:1"
        let document = """
            {"id":"\(did)","verificationMethod":[{"id":"\(did)#key-1","type":"Multikey","controller":"\(did)",\
            "publicKeyMultibase":"\(Multikey.encode(key.publicKey))"}],"assertionMethod":["#key-1"]}
            """
        let server = try await LoopbackServer.start { path, _ in
            path == "/issuers/1/did.json" ? .ok(Array(document.utf8)) : .status(404)
        }
        let loader = HTTPDocumentLoader(configuration: .init(mirrors: ["uni.example:8443": server.base]))
        let resolved = try await DIDWebResolver(loader: loader).resolve(did + "#key-1", purpose: "assertionMethod")
        #expect(resolved.key == .ed25519(key.publicKey))
        #expect(resolved.controller == did)

        let missing = "did:web:uni.example%3A8443:issuers:2"
        do {
            _ = try await DIDWebResolver(loader: loader).resolve(missing + "#key-1", purpose: "assertionMethod")
            Issue.record("resolved a key whose document is missing")
        } catch {
            #expect(error.isUnavailable)
            #expect(error.message.contains("HTTP status 404"))
        }
        await loader.shutdown()
        await server.stop()
    }
}
