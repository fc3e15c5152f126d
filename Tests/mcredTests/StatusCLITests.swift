import LoopbackHTTP
import Foundation
import TestSupport
import Testing

/// Issue #12, verification side: `mcred verify` reads Bitstring Status Lists from --status-list files or HTTP.
@Suite("CLI: verify with Bitstring Status Lists")
struct StatusCLITests {
    static let listURL = "http://127.0.0.1:1/status/1"  // rewritten per test when a server is used

    /// A status list credential JSON (unsigned) for `issuer` at `url` with `revoked` bits set, built with Python's
    /// gzip (an independent encoder), then signed with `mcred sign`.
    static func signedList(url: String, issuer: TrustFixtures.Key, revoked: [Int], in folder: URL) throws -> URL {
        let script = """
            import sys, gzip, base64, json
            url, issuer = sys.argv[1], sys.argv[2]
            bits = bytearray(16384)
            for i in [int(x) for x in sys.argv[3:]]: bits[i // 8] |= 0x80 >> (i % 8)
            encoded = 'u' + base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip('=')
            print(json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer,
                "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                                      "statusPurpose": "revocation", "encodedList": encoded}}))
            """
        let made = try run(["python3", "-c", script, url, issuer.did] + revoked.map(String.init))
        try #require(made.status == 0, "\(made.errorOutput)")
        let unsigned = folder.appendingPathComponent("list-unsigned.json")
        try made.stdout.write(to: unsigned)
        let signed = folder.appendingPathComponent("list.json")
        let result = try CLIHarness.mcred(["sign", "--key", issuer.privateKey, "--created", "2026-01-01T00:00:00Z",
                                           "--out", signed.path, unsigned.path])
        try #require(result.status == 0, "\(result.stderr)")
        return signed
    }

    /// A credential of `issuer` whose revocation entry points at `url`, index `index`, signed.
    static func credential(issuer: TrustFixtures.Key, url: String, index: Int, in folder: URL) throws -> URL {
        var object = try #require(try JSONSerialization.jsonObject(
            with: Data(TrustFixtures.credential(issuer: issuer.did).utf8)) as? [String: Any])
        object["credentialStatus"] = [
            "id": "\(url)#\(index)", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": String(index), "statusListCredential": url,
        ]
        let unsigned = folder.appendingPathComponent("credential-\(index)-unsigned.json")
        try JSONSerialization.data(withJSONObject: object).write(to: unsigned)
        let signed = folder.appendingPathComponent("credential-\(index).json")
        let result = try CLIHarness.mcred(["sign", "--key", issuer.privateKey, "--created", TrustFixtures.created,
                                           "--out", signed.path, unsigned.path])
        try #require(result.status == 0, "\(result.stderr)")
        return signed
    }

    static func statusLine(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.contains("Revocation status — ") }.map(String.init)
    }

    @Test("a local list: bit 0 passes, bit 1 fails 'revoked'; --offline without a copy is indeterminate; --strict exits 1")
    func localList() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let issuer = try TrustFixtures.keygen("issuer", in: folder)
        let url = "https://uni.example/status/1"
        let list = try Self.signedList(url: url, issuer: issuer, revoked: [42], in: folder)
        let good = try Self.credential(issuer: issuer, url: url, index: 41, in: folder)
        let revoked = try Self.credential(issuer: issuer, url: url, index: 42, in: folder)
        let cache = ["--cache", folder.appendingPathComponent("cache").path, "--at", TrustFixtures.at]

        let pass = try CLIHarness.mcred(["verify", "--status-list", "\(url)=\(list.path)"] + cache + [good.path])
        #expect(pass.status == 0, "\(pass.stdout)\(pass.stderr)")
        #expect(Self.statusLine(pass.stdout)?.contains("pass           Revocation status — not revoked") == true)

        let fail = try CLIHarness.mcred(["verify", "--status-list", "\(url)=\(list.path)"] + cache + [revoked.path])
        #expect(fail.status == 1)
        #expect(Self.statusLine(fail.stdout)?.contains("fail           Revocation status — revoked (list \(url), index 42)") == true)

        let offline = try CLIHarness.mcred(["verify", "--offline"] + cache + [good.path])
        #expect(offline.status == 0)
        #expect(Self.statusLine(offline.stdout)?.contains("indeterminate  Revocation status — ") == true)
        #expect(offline.stdout.contains("is unknown"))
        let strict = try CLIHarness.mcred(["verify", "--offline", "--strict"] + cache + [good.path])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("NOT VERIFIED"))
    }

    @Test("plain http lists are fetched; a stalled server is indeterminate within the time-out; the list is fetched once per run")
    func overHTTP() async throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let issuer = try TrustFixtures.keygen("issuer", in: folder)
        let holder = ListHolder()
        let server = try await LoopbackServer.start { path, _ in
            path == "/status/1" ? .ok(holder.bytes, headers: noStore) : .silent
        }
        let url = "http://127.0.0.1:\(server.port)/status/1"
        holder.bytes = try [UInt8](Data(contentsOf: try Self.signedList(url: url, issuer: issuer, revoked: [3], in: folder)))
        let credentials = try (1...4).map { try Self.credential(issuer: issuer, url: url, index: $0, in: folder).path }
        let cache = ["--cache", folder.appendingPathComponent("cache").path, "--at", TrustFixtures.at]
        let result = try CLIHarness.mcred(["verify"] + cache + credentials)
        #expect(result.status == 1)
        #expect(result.stdout.components(separatedBy: "Revocation status — not revoked").count - 1 == 3)
        #expect(result.stdout.contains("Revocation status — revoked (list \(url), index 3)"))
        #expect(server.requests("/status/1") == 1)

        let stalledURL = "http://127.0.0.1:\(server.port)/status/stalled"
        let stalled = try Self.credential(issuer: issuer, url: stalledURL, index: 9, in: folder)
        let start = Date()
        let slow = try CLIHarness.mcred(["verify", "--timeout", "1"] + cache + [stalled.path])
        #expect(Date().timeIntervalSince(start) < 3.5, "a stalled list server must not hang verify")
        #expect(slow.status == 0)
        #expect(Self.statusLine(slow.stdout)?.contains("indeterminate") == true)
        #expect(slow.stdout.contains("timed out"))
        #expect(try CLIHarness.mcred(["verify", "--timeout", "1", "--strict"] + cache + [stalled.path]).status == 1)
        await server.stop()
    }
}

/// The list the test server serves, set once the server's port is known.
final class ListHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [UInt8] = []
    var bytes: [UInt8] {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
