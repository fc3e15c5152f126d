import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import Testing

private let key = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x31, count: 32))
private let multibase = Multikey.encode(key.publicKey)
private let did = "did:web:uni.example"
private let url = "https://uni.example/.well-known/did.json"

/// A DID document for `did:web:uni.example` with `key-1` as a Multikey, changed by `edit`.
private func document(_ edit: (inout JSONObject) -> Void = { _ in }) -> [UInt8] {
    var document: JSONObject = [
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": .string(did),
        "verificationMethod": [[
            "id": .string(did + "#key-1"), "type": "Multikey", "controller": .string(did),
            "publicKeyMultibase": .string(multibase),
        ]],
        "assertionMethod": [.string(did + "#key-1")],
    ]
    edit(&document)
    return JSONValue.object(document).serialized()
}

private func resolve(_ bytes: [UInt8]?, method: String = did + "#key-1") async -> Result<ResolvedVerificationMethod, ResolutionFailure> {
    let resolver = DIDWebResolver(loader: LocalDocuments(bytes.map { [url: $0] } ?? [:]))
    do {
        return .success(try await resolver.resolve(method, purpose: "assertionMethod"))
    } catch {
        return .failure(error)
    }
}

@Suite("did:web resolution")
struct DIDWebResolverTests {
    @Test("DID to document URL, as the did:web specification's examples", arguments: [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:example.com%3A8443:issuers:1", "https://example.com:8443/issuers/1/did.json"),
    ])
    func documentURL(_ did: String, _ expected: String) throws {
        #expect(try DIDWebResolver.documentURL(of: did) == expected)
    }

    @Test("DIDs that name no document are refused", arguments: [
        "did:web:", "did:web:exa mple.com", "did:web:example.com%3Aport", "did:web:example.com::x",
        "did:web:example.com:..:x", "did:web:example.com%3A70000", "did:key:z6Mk",
    ])
    func invalidDIDs(_ did: String) {
        #expect(throws: InvalidDIDWeb.self) { try DIDWebResolver.documentURL(of: did) }
    }

    @Test("a Multikey listed in assertionMethod resolves to its key, controlled by the DID")
    func resolves() async throws {
        let resolved = try await resolve(document()).get()
        #expect(resolved.controller == did)
        #expect(resolved.key == .ed25519(key.publicKey))
        // Relative references and embedded methods count too, and Ed25519VerificationKey2020 is read.
        let relative = try await resolve(document { $0["assertionMethod"] = ["#key-1"] }).get()
        #expect(relative.key == .ed25519(key.publicKey))
        let embedded = try await resolve(document { doc in
            doc["assertionMethod"] = [[
                "id": "#key-1", "type": "Ed25519VerificationKey2020", "controller": .string(did),
                "publicKeyMultibase": .string(multibase),
            ]]
            doc["verificationMethod"] = []
        }).get()
        #expect(embedded.key == .ed25519(key.publicKey))
    }

    @Test("documents that do not vouch for the key fail 'Key resolved' with a reason", arguments: [
        ("not in assertionMethod", "is not listed in the DID document's assertionMethod"),
        ("another id", "has id \"did:web:evil.example\", not did:web:uni.example"),
        ("wrong key type", "is a key of type JsonWebKey2020"),
        ("another controller", "the controller of did:web:uni.example#key-1 is \"did:web:evil.example\""),
        ("not Ed25519", "is not an Ed25519 Multikey"),
        ("undefined", "does not define it"),
    ])
    func failures(_ what: String, _ message: String) async throws {
        let bytes = document { doc in
            switch what {
            case "not in assertionMethod": doc["assertionMethod"] = ["#key-2"]
            case "another id": doc["id"] = "did:web:evil.example"
            case "wrong key type":
                doc["verificationMethod"] = [["id": "#key-1", "type": "JsonWebKey2020", "controller": .string(did)]]
            case "another controller":
                doc["verificationMethod"] = [[
                    "id": "#key-1", "type": "Multikey", "controller": "did:web:evil.example",
                    "publicKeyMultibase": .string(multibase),
                ]]
            case "not Ed25519":
                doc["verificationMethod"] = [[
                    "id": "#key-1", "type": "Multikey", "controller": .string(did),
                    "publicKeyMultibase": "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
                ]]
            default: doc["verificationMethod"] = []
            }
        }
        guard case .failure(let failure) = await resolve(bytes) else {
            Issue.record("\(what): resolved")
            return
        }
        #expect(!failure.isUnavailable)
        #expect(failure.errorCode == .invalidVerificationMethod)
        #expect(failure.message.contains(message), "\(failure.message)")
    }

    @Test("a document that cannot be had or is not JSON leaves the key unknown (indeterminate)")
    func unavailable() async {
        guard case .failure(let missing) = await resolve(nil) else { Issue.record("resolved"); return }
        #expect(missing.isUnavailable)
        #expect(missing.message.contains("not available here"))
        guard case .failure(let notJSON) = await resolve(Array("<html>".utf8)) else { Issue.record("resolved"); return }
        #expect(notJSON.isUnavailable)
    }

    @Test("the document is loaded once however many proofs name it")
    func loadedOnce() async throws {
        final class Counting: DocumentLoader, @unchecked Sendable {
            let bytes: [UInt8]
            private(set) var count = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
            func load(_ url: String) async throws(DocumentLoadError) -> [UInt8]? {
                count += 1
                return bytes
            }
        }
        let loader = Counting(document())
        let resolver = DIDWebResolver(loader: loader)
        for _ in 0..<20 { _ = try await resolver.resolve(did + "#key-1", purpose: "assertionMethod") }
        #expect(loader.count == 1)
    }
}
