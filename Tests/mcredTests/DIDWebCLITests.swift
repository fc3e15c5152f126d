import LoopbackHTTP
import Foundation
import TestSupport
import Testing

/// Keys, DID documents, credentials and report lines for the trust and did:web CLI tests.
enum TrustFixtures {
    /// The issuer DID and its verification method in the did:web tests.
    static let did = "did:web:uni.example"
    static let method = "did:web:uni.example#key-1"
    /// The path the DID document of `did:web:uni.example` is fetched from (did:web §3.2.1).
    static let documentPath = "/.well-known/did.json"
    /// Fixed proof and verification times, so that no test depends on the machine's clock.
    static let created = "2026-01-15T09:00:05Z"
    static let at = "2026-06-01T00:00:00Z"

    /// A key pair made with `mcred keygen`, and its identifiers from `mcred key show --format json`.
    struct Key {
        let privateKey: String
        let publicKey: String
        let did: String
        let publicKeyMultibase: String
    }

    static func keygen(_ name: String, in folder: URL) throws -> Key {
        let prefix = folder.appendingPathComponent(name).path
        let made = try CLIHarness.mcred(["keygen", "--out", prefix])
        try #require(made.status == 0, "keygen: \(made.stderr)")
        let shown = try CLIHarness.mcred(["key", "show", prefix + ".pub.pem", "--format", "json"])
        try #require(shown.status == 0, "key show: \(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        return Key(privateKey: prefix + ".key.pem", publicKey: prefix + ".pub.pem",
                   did: try #require(json["did"] as? String),
                   publicKeyMultibase: try #require(json["publicKeyMultibase"] as? String))
    }

    /// An unsigned VC 2.0 credential of `issuer`.
    static func credential(issuer: String, validFrom: String = "2025-01-15T09:00:00Z", index: Int = 1) -> String {
        """
        {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          "id": "urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", index))",
          "type": ["VerifiableCredential"],
          "issuer": {"id": "\(issuer)", "name": "Example University"},
          "validFrom": "\(validFrom)",
          "credentialSubject": {"id": "did:example:learner-\(index)", "name": "Learner \(index)"}
        }
        """
    }

    /// A verification method of a DID document.
    struct Method {
        var fragment = "key-1"
        var type = "Multikey"
        var controller = TrustFixtures.did
        var publicKeyMultibase: String
    }

    /// A DID document: `methods` in `verificationMethod`, and `assertion` (fragments) in `assertionMethod`.
    static func didDocument(id: String = did, methods: [Method], assertion: [String]? = nil) -> String {
        let entries = methods.map {
            """
            {"id": "\(id)#\($0.fragment)", "type": "\($0.type)", "controller": "\($0.controller)", \
            "publicKeyMultibase": "\($0.publicKeyMultibase)"}
            """
        }
        let listed = (assertion ?? methods.map(\.fragment)).map { "\"\(id)#\($0)\"" }
        return """
            {
              "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
              "id": "\(id)",
              "verificationMethod": [\(entries.joined(separator: ", "))],
              "assertionMethod": [\(listed.joined(separator: ", "))]
            }
            """
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Signs `credential` (text) with `key` as `method` at `created`; returns the signed file's path.
    static func sign(_ credential: String, key: Key, method: String? = nil, created: String = created,
                     name: String, in folder: URL) throws -> String {
        let unsigned = try write(credential, name + ".unsigned.json", in: folder)
        let out = folder.appendingPathComponent(name + ".json").path
        let signed = try CLIHarness.mcred(
            ["sign", "--key", key.privateKey, "--created", created, "--out", out]
                + (method.map { ["--verification-method", $0] } ?? []) + [unsigned])
        try #require(signed.status == 0, "sign: \(signed.stderr)")
        return out
    }

    /// A check's line of a text report: its status (`pass`, `fail`, `indeterminate`) and the rest of the line
    /// (`Key resolved — …`); nil when the report has no such check.
    struct CheckLine: CustomStringConvertible {
        let status: String
        let text: String
        var description: String { "\(status) \(text)" }
    }

    static func check(_ name: String, in output: String) -> CheckLine? {
        for line in output.split(separator: "\n") where line.hasPrefix("  ") {
            let trimmed = line.drop { $0 == " " }
            let status = trimmed.prefix { $0 != " " }
            let rest = trimmed.dropFirst(status.count).drop { $0 == " " }
            if rest.hasPrefix(name + " — ") { return CheckLine(status: String(status), text: String(rest)) }
        }
        return nil
    }

    /// The verdict line of a one-file text report.
    static func verdict(_ output: String) -> String {
        String(output.split(separator: "\n").first ?? "")
    }
}

/// Issue #11: did:web keys for `mcred verify` from `--did-document` files, a mirror over HTTP, time-outs and
/// offline mode. Every run names a fresh `--cache` folder, never the user's cache.
@Suite("CLI: did:web key resolution (--did-document, --did-web-mirror, --timeout, --offline)")
struct DIDWebCLITests {
    typealias F = TrustFixtures

    /// A temporary folder with an issuer key, a credential of `did:web:uni.example` signed as `#key-1`, the DID
    /// document naming the key, and an empty cache folder.
    struct Setup {
        let folder: URL
        let key: F.Key
        let signed: String
        let document: String
        let cache: String

        init() throws {
            folder = try CLIHarness.temporaryDirectory()
            key = try F.keygen("issuer", in: folder)
            signed = try F.sign(F.credential(issuer: F.did), key: key, method: F.method, name: "signed", in: folder)
            document = F.didDocument(methods: [F.Method(publicKeyMultibase: key.publicKeyMultibase)])
            cache = folder.appendingPathComponent("cache").path
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        }

        /// `mcred verify --at … --cache … ARGUMENTS… signed.json`.
        func verify(_ arguments: [String], file: String? = nil) throws -> CLIHarness.Result {
            try CLIHarness.mcred(["verify", "--at", F.at, "--cache", cache] + arguments + [file ?? signed])
        }

        func remove() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Expects a valid report whose key came from the DID document.
    private func expectResolved(_ result: CLIHarness.Result, _ comment: Comment) {
        #expect(result.status == 0, "\(comment): \(result.stdout)\(result.stderr)")
        #expect(F.verdict(result.stdout).contains("VALID — issued by did:web:uni.example"), comment)
        let key = F.check("Key resolved", in: result.stdout)
        #expect(key?.status == "pass", "\(comment): \(String(describing: key))")
        #expect(key?.text.contains(F.did) == true, comment)
        #expect(F.check("Issuer bound to key", in: result.stdout)?.status == "pass", comment)
        #expect(F.check("Signature", in: result.stdout)?.status == "pass", comment)
    }

    @Test("a did:web credential verifies with its DID document from --did-document")
    func localDocument() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let document = try F.write(setup.document, "did.json", in: setup.folder)
        // No network: the local document alone resolves the key.
        expectResolved(try setup.verify(["--offline", "--did-document", document]), "--offline --did-document")
        expectResolved(try setup.verify(["--did-document", document]), "--did-document")
        // The signed credential names did:web:uni.example#key-1, made with `mcred sign --verification-method`.
        let signed = try String(contentsOfFile: setup.signed, encoding: .utf8)
        #expect(signed.contains("\"verificationMethod\": \"did:web:uni.example#key-1\""))
    }

    @Test("a did:web credential verifies with its DID document fetched through --did-web-mirror from a loopback server")
    func mirroredDocument() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let document = Array(setup.document.utf8)
        let server = try await LoopbackServer.start { path, _ in
            path == F.documentPath ? .ok(document, headers: noStore) : .status(404)
        }
        defer { Task { await server.stop() } }
        expectResolved(try setup.verify(["--did-web-mirror", "uni.example=\(server.base)"]), "mirror")
        #expect(server.requests(F.documentPath) == 1)
    }

    /// A DID document that must not give the key, and the reason the report gives.
    struct BadDocument: Sendable, CustomTestStringConvertible {
        let what: String
        let document: @Sendable (_ publicKeyMultibase: String) -> String
        let reason: String
        /// Whether it can be given as a --did-document file (a document with another id names another DID's URL).
        let local: Bool
        var testDescription: String { what }
    }

    static let badDocuments: [BadDocument] = [
        BadDocument(
            what: "the method is not in assertionMethod",
            document: { key in
                F.didDocument(methods: [F.Method(publicKeyMultibase: key)], assertion: [])
            },
            reason: "did:web:uni.example#key-1 is not listed in the DID document's assertionMethod", local: true),
        BadDocument(
            what: "assertionMethod lists another method",
            document: { key in
                F.didDocument(methods: [F.Method(publicKeyMultibase: key), F.Method(fragment: "key-2", publicKeyMultibase: key)],
                              assertion: ["key-2"])
            },
            reason: "did:web:uni.example#key-1 is not listed in the DID document's assertionMethod", local: true),
        BadDocument(
            what: "the document's id is another DID",
            document: { key in
                F.didDocument(id: "did:web:other.example",
                              methods: [F.Method(controller: "did:web:other.example", publicKeyMultibase: key)])
            },
            reason: "has id \"did:web:other.example\", not did:web:uni.example", local: false),
        BadDocument(
            what: "the key is of type JsonWebKey2020",
            document: { key in
                F.didDocument(methods: [F.Method(type: "JsonWebKey2020", publicKeyMultibase: key)])
            },
            reason: "did:web:uni.example#key-1 is a key of type JsonWebKey2020", local: true),
        BadDocument(
            what: "the Multikey is a P-256 key, not Ed25519",
            document: { _ in
                F.didDocument(methods: [F.Method(publicKeyMultibase: "zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169")])
            },
            reason: "the publicKeyMultibase of did:web:uni.example#key-1 is not an Ed25519 Multikey", local: true),
    ]

    /// Expects exit 1 with "Key resolved" failed for `reason`.
    private func expectKeyFailure(_ result: CLIHarness.Result, reason: String, _ comment: Comment) {
        #expect(result.status == 1, "\(comment): \(result.stdout)\(result.stderr)")
        #expect(F.verdict(result.stdout).contains("INVALID — Key resolved: "), "\(comment): \(result.stdout)")
        let key = F.check("Key resolved", in: result.stdout)
        #expect(key?.status == "fail", "\(comment): \(String(describing: key))")
        #expect(key?.text.contains(reason) == true, "\(comment): \(String(describing: key))")
    }

    @Test("a DID document that does not give the key fails \"Key resolved\" with the reason", arguments: badDocuments)
    func badDocument(_ bad: BadDocument) async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let text = bad.document(setup.key.publicKeyMultibase)
        let bytes = Array(text.utf8)
        let server = try await LoopbackServer.start { path, _ in
            path == F.documentPath ? .ok(bytes, headers: noStore) : .status(404)
        }
        defer { Task { await server.stop() } }
        expectKeyFailure(try setup.verify(["--did-web-mirror", "uni.example=\(server.base)"]), reason: bad.reason,
                         "served by the mirror")
        #expect(server.requests(F.documentPath) == 1)
        if bad.local {
            let document = try F.write(text, "did.json", in: setup.folder)
            expectKeyFailure(try setup.verify(["--offline", "--did-document", document]), reason: bad.reason,
                             "--did-document")
        }
    }

    @Test("a server that accepts and never answers: \"Key resolved\" indeterminate within --timeout; --strict exits 1")
    func silentServer() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let server = try await LoopbackServer.start { _, _ in .silent }
        defer { Task { await server.stop() } }
        let mirror = ["--timeout", "1", "--did-web-mirror", "uni.example=\(server.base)"]
        for strict in [false, true] {
            let clock = ContinuousClock()
            let start = clock.now
            let result = try setup.verify(mirror + (strict ? ["--strict"] : []))
            let elapsed = clock.now - start
            // The time-out (1 s), then at most 1 s to finish, plus 1.5 s for starting the process: a hang guard.
            #expect(elapsed < .milliseconds(3500), "strict \(strict): took \(elapsed)")
            let key = F.check("Key resolved", in: result.stdout)
            #expect(key?.status == "indeterminate", "strict \(strict): \(result.stdout)\(result.stderr)")
            #expect(key?.text.contains("timed out after 1 s") == true, "\(String(describing: key))")
            // Unknown is never valid: with the key unknown the signature is unchecked, so the verdict is NOT
            // VERIFIED (exit 1) with or without --strict.
            #expect(result.status == 1, "strict \(strict): \(result.stdout)\(result.stderr)")
            #expect(F.verdict(result.stdout).contains("NOT VERIFIED — Key resolved: "), "\(result.stdout)")
        }
        #expect(server.connections >= 2)  // the mirror was asked, and held the request
    }

    @Test("--offline without a local document: \"Key resolved\" indeterminate and no connection is made")
    func offline() async throws {
        let setup = try Setup()
        defer { setup.remove() }
        let document = Array(setup.document.utf8)
        let server = try await LoopbackServer.start { path, _ in
            path == F.documentPath ? .ok(document, headers: noStore) : .status(404)
        }
        defer { Task { await server.stop() } }
        let mirror = ["--did-web-mirror", "uni.example=\(server.base)"]

        let offline = try setup.verify(["--offline"] + mirror)
        #expect(offline.status == 1, "\(offline.stdout)\(offline.stderr)")
        #expect(F.verdict(offline.stdout).contains("NOT VERIFIED"), "\(offline.stdout)")
        let key = F.check("Key resolved", in: offline.stdout)
        #expect(key?.status == "indeterminate", "\(offline.stdout)")
        #expect(key?.text.contains("not available here") == true, "\(String(describing: key))")
        let strict = try setup.verify(["--offline", "--strict"] + mirror)
        #expect(strict.status == 1)
        #expect(F.verdict(strict.stdout).contains("NOT VERIFIED"), "\(strict.stdout)")

        try await Task.sleep(for: .milliseconds(300))  // time for a connection, had one been made, to be accepted
        #expect(server.connections == 0)

        // The same mirror, online: the server is reachable and serves the key (so zero above means offline held).
        expectResolved(try setup.verify(mirror), "online")
        #expect(server.connections >= 1)
    }
}
