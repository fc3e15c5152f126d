import Foundation
import TestSupport
import Testing

/// Issue #11: trust lists from the command line — `mcred trust add|retire-key|remove|sign|show`, and
/// `verify`/`inspect`/`lint` with `--trust`, `--trust-anchor` and `--strict`. Every verification names a fresh
/// `--cache` folder, never the user's cache.
@Suite("CLI: trust lists (mcred trust, --trust, --trust-anchor, --strict)")
struct TrustCLITests {
    typealias F = TrustFixtures

    /// A temporary folder with a registry (trust-list operator) key and an empty cache folder.
    struct Setup {
        let folder: URL
        let registry: F.Key
        let cache: String

        init() throws {
            folder = try CLIHarness.temporaryDirectory()
            registry = try F.keygen("registry", in: folder)
            cache = folder.appendingPathComponent("cache").path
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// `mcred ARGUMENTS…`, which must succeed.
        @discardableResult
        func run(_ arguments: [String]) throws -> CLIHarness.Result {
            let result = try CLIHarness.mcred(arguments)
            try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        /// `mcred verify --at AT --cache … ARGUMENTS…`.
        func verify(_ arguments: [String], at: String = F.at) throws -> CLIHarness.Result {
            try CLIHarness.mcred(["verify", "--at", at, "--cache", cache] + arguments)
        }

        func remove() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    // MARK: 5. The W3C vector with a trust list

    @Test("the W3C eddsa-jcs-2022 signedJCS.json verifies with a trust list naming its key for its https issuer, and not without")
    func w3cVectorWithTrustList() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let vector = try Vectors.url("w3c-vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json").path
        let vectorKey = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        let list = setup.path("list.json")
        try setup.run(["trust", "add", list, "--list-name", "Test registry", "--issuer", "https://vc.example/issuers/5678",
                       "--name", "Example Issuer", "--country", "US", "--key", vectorKey,
                       "--key-valid-from", "2023-01-01T00:00:00Z"])
        try setup.run(["trust", "sign", list, "--key", setup.registry.privateKey, "--created", "2024-01-01T00:00:00Z"])
        let at = "2025-01-01T00:00:00Z"

        // The anchor as a public key file, and as the operator's did:key.
        for anchor in [setup.registry.publicKey, setup.registry.did] {
            let trusted = try setup.verify(["--trust", list, "--trust-anchor", anchor, vector], at: at)
            #expect(trusted.status == 0, "\(anchor): \(trusted.stdout)\(trusted.stderr)")
            #expect(F.verdict(trusted.stdout).contains("VALID — issued by https://vc.example/issuers/5678"))
            let binding = F.check("Issuer bound to key", in: trusted.stdout)
            #expect(binding?.status == "pass", "\(String(describing: binding))")
            #expect(binding?.text.contains("«Test registry» names this key for the issuer https://vc.example/issuers/5678")
                    == true, "\(String(describing: binding))")
            #expect(F.check("Issuer trusted", in: trusted.stdout)?.status == "pass")
            #expect(F.check("Key valid for issuer", in: trusted.stdout)?.status == "pass")
        }

        let alone = try setup.verify([vector], at: at)
        #expect(alone.status == 1, "\(alone.stdout)")
        #expect(F.verdict(alone.stdout).contains("INVALID — Issuer bound to key: "), "\(alone.stdout)")
        #expect(F.check("Issuer bound to key", in: alone.stdout)?.status == "fail")
    }

    // MARK: 6. Key rotation

    @Test("rotation: a proof by the retired key before the retirement passes, after it fails; an unlisted key fails")
    func rotation() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let a = try F.keygen("a", in: setup.folder)
        let b = try F.keygen("b", in: setup.folder)
        let c = try F.keygen("c", in: setup.folder)
        // All three keys belong to did:web:uni.example; the trust list names A (retired at T) and B (from T).
        let document = try F.write(
            F.didDocument(methods: [
                F.Method(fragment: "key-1", publicKeyMultibase: a.publicKeyMultibase),
                F.Method(fragment: "key-2", publicKeyMultibase: b.publicKeyMultibase),
                F.Method(fragment: "key-3", publicKeyMultibase: c.publicKeyMultibase),
            ]), "did.json", in: setup.folder)
        let t0 = "2025-01-01T00:00:00Z", t = "2026-01-01T00:00:00Z"
        let list = setup.path("list.json")
        let entry = ["--issuer", F.did, "--name", "Example University", "--country", "NL"]
        try setup.run(["trust", "add", list] + entry + ["--key", a.did, "--key-valid-from", t0])
        try setup.run(["trust", "add", list] + entry + ["--key", b.publicKeyMultibase, "--key-valid-from", t])
        try setup.run(["trust", "retire-key", list, "--issuer", F.did, "--key", a.did, "--valid-until", t])
        try setup.run(["trust", "sign", list, "--key", setup.registry.privateKey, "--created", "2024-06-01T00:00:00Z"])
        let shown = try setup.run(["trust", "show", list]).stdout
        #expect(shown.contains("key \(a.publicKeyMultibase) valid from \(t0) until \(t)"), "\(shown)")
        #expect(shown.contains("key \(b.publicKeyMultibase) valid from \(t)\n"), "\(shown)")

        func verify(_ key: F.Key, _ fragment: String, created: String, _ name: String) throws -> CLIHarness.Result {
            let signed = try F.sign(F.credential(issuer: F.did), key: key, method: "\(F.did)#\(fragment)",
                                    created: created, name: name, in: setup.folder)
            return try setup.verify(["--trust", list, "--trust-anchor", setup.registry.publicKey, "--offline",
                                     "--did-document", document, signed])
        }

        let before = try verify(a, "key-1", created: "2025-06-01T00:00:00Z", "a-before")
        #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
        #expect(F.check("Key valid for issuer", in: before.stdout)?.status == "pass", "\(before.stdout)")

        let after = try verify(a, "key-1", created: "2026-03-01T00:00:00Z", "a-after")
        #expect(after.status == 1, "\(after.stdout)\(after.stderr)")
        let retired = F.check("Key valid for issuer", in: after.stdout)
        #expect(retired?.status == "fail", "\(after.stdout)")
        #expect(retired?.text.contains("after the key was retired at \(t)") == true, "\(String(describing: retired))")
        #expect(F.verdict(after.stdout).contains("INVALID — Key valid for issuer: "), "\(after.stdout)")

        let successor = try verify(b, "key-2", created: "2026-03-01T00:00:00Z", "b-after")
        #expect(successor.status == 0, "\(successor.stdout)\(successor.stderr)")
        #expect(F.check("Key valid for issuer", in: successor.stdout)?.status == "pass")

        let unlisted = try verify(c, "key-3", created: "2026-03-01T00:00:00Z", "c")
        #expect(unlisted.status == 1, "\(unlisted.stdout)\(unlisted.stderr)")
        #expect(F.check("Key resolved", in: unlisted.stdout)?.status == "pass")  // the DID document gives it
        let notListed = F.check("Key valid for issuer", in: unlisted.stdout)
        #expect(notListed?.status == "fail", "\(unlisted.stdout)")
        #expect(notListed?.text.contains("is not one of the keys «Recognised awarding bodies» lists") == true,
                "\(String(describing: notListed))")
    }

    @Test("a retired key stays retired when trust add lists it again (a proof after the retirement fails)")
    func retiredKeyListedAgain() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let issuer = F.Key(privateKey: Samples.key, publicKey: "keys-example/issuer.pub.pem", did: Samples.issuer,
                           publicKeyMultibase: String(Samples.issuer.dropFirst("did:key:".count)))
        let list = setup.path("list.json")
        let entry = ["--issuer", Samples.issuer, "--name", "Example University", "--country", "NL", "--key", Samples.issuer]
        // The operator updates the entry repeating --key (as when it was added), then retires the key.
        try setup.run(["trust", "add", list] + entry + ["--key-valid-from", "2025-01-01T00:00:00Z"])
        try setup.run(["trust", "add", list] + entry + ["--key-valid-from", "2025-06-01T00:00:00Z"])
        try setup.run(["trust", "retire-key", list, "--issuer", Samples.issuer, "--key", Samples.issuer,
                       "--valid-until", "2026-01-01T00:00:00Z"])
        try setup.run(["trust", "sign", list, "--key", setup.registry.privateKey, "--created", "2024-06-01T00:00:00Z"])
        let trust = ["--trust", list, "--trust-anchor", setup.registry.publicKey]

        let before = try F.sign(F.credential(issuer: Samples.issuer), key: issuer, created: "2025-08-01T00:00:00Z",
                                name: "before", in: setup.folder)
        let beforeResult = try setup.verify(trust + [before])
        #expect(beforeResult.status == 0, "\(beforeResult.stdout)\(beforeResult.stderr)")

        let after = try F.sign(F.credential(issuer: Samples.issuer), key: issuer, created: "2026-03-01T00:00:00Z",
                               name: "after", in: setup.folder)
        let afterResult = try setup.verify(trust + [after])
        #expect(afterResult.status == 1, "\(afterResult.stdout)\(afterResult.stderr)")
        let validity = F.check("Key valid for issuer", in: afterResult.stdout)
        #expect(validity?.status == "fail", "\(afterResult.stdout)")
        #expect(validity?.text.contains("after the key was retired at 2026-01-01T00:00:00Z") == true,
                "\(String(describing: validity))")
    }

    // MARK: 7. Lists that cannot be used; unlisted issuers; --strict

    @Test("a tampered list, a list signed by a non-anchor and an expired list: exit 2 with one line; --trust alone: 64")
    func unusableLists() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let stranger = try F.keygen("stranger", in: setup.folder)
        let signed = try F.sign(Samples.credential(1), key: F.Key(
            privateKey: Samples.key, publicKey: "keys-example/issuer.pub.pem", did: Samples.issuer,
            publicKeyMultibase: String(Samples.issuer.dropFirst("did:key:".count))), name: "signed", in: setup.folder)
        let list = setup.path("list.json")
        try setup.run(["trust", "add", list, "--issuer", Samples.issuer, "--name", "Example University",
                       "--country", "NL", "--key", Samples.issuer, "--key-valid-from", "2025-01-01T00:00:00Z"])
        let unsigned = try String(contentsOfFile: list, encoding: .utf8)
        try setup.run(["trust", "sign", list, "--key", setup.registry.privateKey, "--created", "2026-01-01T00:00:00Z"])
        let anchor = ["--trust-anchor", setup.registry.publicKey]

        // The good list, for comparison.
        let good = try setup.verify(["--trust", list] + anchor + [signed])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(F.check("Issuer trusted", in: good.stdout)?.status == "pass")

        let tampered = try F.write(
            try String(contentsOfFile: list, encoding: .utf8).replacingOccurrences(of: "Example University", with: "Evil University"),
            "tampered.json", in: setup.folder)
        let byStranger = setup.path("stranger-list.json")
        try unsigned.write(toFile: byStranger, atomically: true, encoding: .utf8)
        try setup.run(["trust", "sign", byStranger, "--key", stranger.privateKey, "--created", "2026-01-01T00:00:00Z"])
        let expired = setup.path("expired.json")
        try unsigned.write(toFile: expired, atomically: true, encoding: .utf8)
        try setup.run(["trust", "sign", expired, "--key", setup.registry.privateKey, "--created", "2025-01-01T00:00:00Z",
                       "--valid-until", "2026-01-01T00:00:00Z"])
        for (file, reason) in [(tampered, "does not verify"), (byStranger, "which is not a trust anchor"),
                               (expired, "expired at 2026-01-01T00:00:00Z")] {
            let result = try setup.verify(["--trust", file] + anchor + [signed])
            #expect(result.status == 2, "\(file): \(result.stdout)\(result.stderr)")
            #expect(result.stderrLines.count == 1, "\(file): \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(file): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(file): \(result.stdout)")
        }

        let noAnchor = try setup.verify(["--trust", list, signed])
        #expect(noAnchor.status == 64, "\(noAnchor.stderr)")
        #expect(noAnchor.stderr.contains("--trust-anchor"))
    }

    @Test("an unlisted issuer fails \"Issuer trusted\" naming the list; --strict without a list is NOT VERIFIED")
    func unlistedIssuerAndStrict() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let signed = try F.sign(Samples.credential(1), key: F.Key(
            privateKey: Samples.key, publicKey: "keys-example/issuer.pub.pem", did: Samples.issuer,
            publicKeyMultibase: String(Samples.issuer.dropFirst("did:key:".count))), name: "signed", in: setup.folder)
        let list = setup.path("list.json")
        try setup.run(["trust", "add", list, "--list-name", "Test registry", "--issuer", "https://other.example/issuer",
                       "--name", "Other University", "--country", "BE"])
        try setup.run(["trust", "sign", list, "--key", setup.registry.privateKey, "--created", "2026-01-01T00:00:00Z"])

        let unlisted = try setup.verify(["--trust", list, "--trust-anchor", setup.registry.did, signed])
        #expect(unlisted.status == 1, "\(unlisted.stdout)\(unlisted.stderr)")
        let trusted = F.check("Issuer trusted", in: unlisted.stdout)
        #expect(trusted?.status == "fail", "\(unlisted.stdout)")
        #expect(trusted?.text.contains("is not on the trust list «Test registry»") == true, "\(String(describing: trusted))")
        #expect(F.verdict(unlisted.stdout).contains("INVALID — Issuer trusted: "))

        let lenient = try setup.verify([signed])
        #expect(lenient.status == 0, "\(lenient.stdout)")
        #expect(F.check("Issuer trusted", in: lenient.stdout)?.status == "indeterminate")
        let strict = try setup.verify(["--strict", signed])
        #expect(strict.status == 1, "\(strict.stdout)")
        #expect(F.verdict(strict.stdout).contains(": NOT VERIFIED — Issuer trusted: "), "\(strict.stdout)")
        #expect(!strict.stdout.contains("INVALID"))
        #expect(F.check("Issuer trusted", in: strict.stdout)?.status == "indeterminate")
    }

    // MARK: 8. The demo registry

    @Test("the demo trust list: a credential issued with the demo key is VALID and trusted as University of Zed; inspect and lint name the awarding body")
    func demoRegistry() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let credential = setup.path("credential.json")
        try setup.run(["issue", "--key", "keys-example/issuer.key.pem", "--achievement", "spec/examples/course.json",
                       "--learner", "spec/examples/learner.json", "--created", "2026-02-01T00:00:00Z", "--out", credential])
        let demo = ["--trust", "keys-example/trust-list.json", "--trust-anchor", "keys-example/registry.pub.pem",
                    "--cache", setup.cache]

        let verified = try CLIHarness.mcred(["verify", "--at", F.at] + demo + [credential])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(F.verdict(verified.stdout).contains(": VALID — issued by did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"),
                "\(verified.stdout)")
        let trusted = F.check("Issuer trusted", in: verified.stdout)
        #expect(trusted?.status == "pass", "\(verified.stdout)")
        #expect(trusted?.text.contains("listed on «mcred demo registry of awarding bodies (NOT FOR PRODUCTION)» as "
                                       + "University of Zed (NL)") == true, "\(String(describing: trusted))")
        #expect(F.check("Key valid for issuer (proof 1)", in: verified.stdout)?.status == "pass", "\(verified.stdout)")
        #expect(F.check("Key valid for issuer (proof 2)", in: verified.stdout)?.status == "pass")

        let inspected = try CLIHarness.mcred(["inspect", "--at", F.at] + demo + [credential])
        #expect(inspected.status == 0, "\(inspected.stdout)\(inspected.stderr)")
        let linted = try CLIHarness.mcred(["lint"] + demo + [credential])
        #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        for (command, output) in [("inspect", inspected.stdout), ("lint", linted.stdout)] {
            let line = output.split(separator: "\n").first { $0.hasPrefix("Awarding body: ") }
            #expect(line?.hasPrefix("Awarding body: listed on «") == true, "\(command): \(output)")
            #expect(line?.contains("University of Zed") == true, "\(command): \(String(describing: line))")
        }
        // Without the list there is nothing to say of the awarding body.
        let plain = try CLIHarness.mcred(["inspect", "--at", F.at, "--cache", setup.cache, credential])
        #expect(!plain.stdout.contains("Awarding body: listed on"), "\(plain.stdout)")
    }

    // MARK: 9. trust show, remove, and edits dropping the proof

    @Test("trust show prints the demo list as text and JSON")
    func showDemoList() throws {
        let text = try CLIHarness.mcred(["trust", "show", "keys-example/trust-list.json"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == """
            «mcred demo registry of awarding bodies (NOT FOR PRODUCTION)» — operator \
            did:key:z6MkodK3VPRGhE1Po7h9c4Lnf16skM7NNevatUr9jLv1Bwxa, signed, valid from 2026-01-01T00:00:00Z \
            until 2036-01-01T00:00:00Z
              University of Zed (NL), accredited by NVAO (demo) (ref. DEMO-2026-001)
                did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ
                key z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ valid from 2025-01-01T00:00:00Z

            """, "\(text.stdout)")

        let json = try CLIHarness.mcred(["trust", "show", "keys-example/trust-list.json", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["signed"] as? Bool == true)
        #expect(object["issuer"] as? String == "did:key:z6MkodK3VPRGhE1Po7h9c4Lnf16skM7NNevatUr9jLv1Bwxa")
        #expect(object["validFrom"] as? String == "2026-01-01T00:00:00Z")
        #expect(object["validUntil"] as? String == "2036-01-01T00:00:00Z")
        #expect(object["proof"] == nil)
        let subject = try #require(object["credentialSubject"] as? [String: Any])
        let entries = try #require(subject["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["id"] as? String == "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ")
        #expect(entries.first?["name"] as? String == "University of Zed")
        #expect(entries.first?["country"] as? String == "NL")
        let keys = try #require(entries.first?["keys"] as? [[String: Any]])
        #expect(keys.first?["publicKeyMultibase"] as? String == "z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ")
    }

    @Test("trust add on a signed list drops its proof; trust remove removes an entry")
    func editsAndRemove() throws {
        let setup = try Setup()
        defer { setup.remove() }
        let list = setup.path("list.json")
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("keys-example/trust-list.json").path,
                                         toPath: list)
        let added = try setup.run(["trust", "add", list, "--issuer", "https://other.example/issuer",
                                   "--name", "Other University", "--country", "BE"])
        #expect(added.stdout.contains("added https://other.example/issuer in"))
        let text = try setup.run(["trust", "show", list]).stdout
        #expect(text.hasPrefix("«mcred demo registry of awarding bodies (NOT FOR PRODUCTION)» — operator "), "\(text)")
        #expect(text.contains(", unsigned"), "\(text)")
        #expect(!text.contains(", signed"), "\(text)")
        #expect(text.contains("Other University (BE)"))
        #expect(text.contains("University of Zed (NL)"))
        #expect(!(try String(contentsOfFile: list, encoding: .utf8)).contains("\"proof\""))
        let json = try setup.run(["trust", "show", list, "--format", "json"]).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["signed"] as? Bool == false)

        // An edited list is not accepted by verify until it is signed again.
        let unsignedUse = try setup.verify(["--trust", list, "--trust-anchor", "keys-example/registry.pub.pem",
                                            "spec/examples/credential-signed.json"])
        #expect(unsignedUse.status == 2, "\(unsignedUse.stdout)\(unsignedUse.stderr)")
        #expect(unsignedUse.stderrLines.count == 1)

        let removed = try setup.run(["trust", "remove", list, "--issuer", "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"])
        #expect(removed.stdout.contains("removed did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ from"))
        let after = try setup.run(["trust", "show", list]).stdout
        #expect(!after.contains("University of Zed"), "\(after)")
        #expect(!after.contains("z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"), "\(after)")
        #expect(after.contains("Other University (BE)"), "\(after)")

        let missing = try CLIHarness.mcred(["trust", "remove", list, "--issuer", "https://nobody.example/"])
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderr.contains("has no entry for https://nobody.example/"), "\(missing.stderr)")
    }
}
