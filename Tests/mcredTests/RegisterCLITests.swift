import Foundation
import TestSupport
import Testing

/// Issue #12: the credential register from the command line (spec/register.md, spec/cli.md "Register").
@Suite("CLI: register, revoke, status publish")
struct RegisterCLITests {
    static let baseURL = "https://uni.example/status"

    /// A fresh folder with a new register in it.
    static func newRegister() throws -> (folder: URL, register: String) {
        let folder = try CLIHarness.temporaryDirectory()
        let register = folder.appendingPathComponent("awards.db").path
        let created = try CLIHarness.mcred(["register", "init", register, "--status-base-url", baseURL])
        #expect(created.status == 0, "\(created.stderr)")
        return (folder, register)
    }

    /// Whether `mcred verify` has `--status-list URL=FILE` yet (it is being added on another branch).
    static var verifyHasStatusList: Bool {
        ((try? CLIHarness.mcred(["verify", "--help"]))?.stdout.contains("--status-list")) ?? false
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    @Test("register init refuses a short list, a non-http URL and an existing file")
    func initRules() throws {
        let (folder, register) = try Self.newRegister()
        let other = folder.appendingPathComponent("other.db").path
        #expect(try CLIHarness.mcred(["register", "init", other, "--status-base-url", Self.baseURL, "--list-size", "1000"]).status == 64)
        #expect(try CLIHarness.mcred(["register", "init", other, "--status-base-url", "ftp://uni.example/s"]).status == 64)
        let again = try CLIHarness.mcred(["register", "init", register, "--status-base-url", Self.baseURL])
        #expect(again.status == 2)
        #expect(again.stderrLines.count == 1 && again.stderr.hasPrefix("mcred register init: "))
        let missing = try CLIHarness.mcred(["register", "show", other])
        #expect(missing.status == 2 && missing.stderrLines.count == 1)
        let notOne = try CLIHarness.mcred(["register", "show", "keys-example/issuer.key.pem"])
        #expect(notOne.status == 2 && notOne.stderr.contains("not a credential register"), "\(notOne.stderr)")
    }

    @Test("issue --register adds two status entries and records the credential; revoke, suspend, reinstate")
    func issueAndChangeStatus() throws {
        let (folder, register) = try Self.newRegister()
        let out = folder.appendingPathComponent("credential.json").path
        let issued = try CLIHarness.mcred([
            "issue", "--register", register, "--key", Samples.key, "--achievement", "spec/examples/course.json",
            "--learner", "spec/examples/learner.json", "--out", out,
        ])
        #expect(issued.status == 0, "\(issued.stderr)")
        let credential = try Self.json(out)
        let id = try #require(credential["id"] as? String)
        let status = try #require(credential["credentialStatus"] as? [[String: Any]])
        #expect(status.map { $0["statusPurpose"] as? String } == ["revocation", "suspension"])
        #expect(status.map { $0["statusListCredential"] as? String } == ["\(Self.baseURL)/1", "\(Self.baseURL)/2"])
        #expect(status.allSatisfy { ($0["id"] as? String) == "\($0["statusListCredential"]!)#\($0["statusListIndex"]!)" })
        let valid = try CLIHarness.mcred(["verify", out])
        #expect(valid.status == 0, "\(valid.stdout)")  // valid; the revocation status is indeterminate offline

        let shown = try CLIHarness.mcred(["register", "show", register, id, "--format", "json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let row = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(row["status"] as? String == "issued")
        #expect(row["issuer"] as? String == Samples.issuer)
        // The learner identifier of spec/examples/learner.json is not in the register, only its salted hash.
        let learner = try Self.json("spec/examples/learner.json")
        let plain = try #require((learner["identifier"] as? [String: Any])?["value"] as? String)
        let database = try Data(contentsOf: URL(fileURLWithPath: register))
            + ((try? Data(contentsOf: URL(fileURLWithPath: register + "-wal"))) ?? Data())
        #expect(database.range(of: Data(plain.utf8)) == nil)
        #expect((row["learnerHash"] as? String)?.count == 64)

        #expect(try CLIHarness.mcred(["suspend", "--register", register, id, "--reason", "inquiry"]).status == 0)
        #expect(try CLIHarness.mcred(["reinstate", "--register", register, id]).status == 0)
        let notSuspended = try CLIHarness.mcred(["reinstate", "--register", register, id])
        #expect(notSuspended.status == 2 && notSuspended.stderr.hasPrefix("mcred reinstate: "))
        let revoked = try CLIHarness.mcred(["revoke", "--register", register, id, "--reason", "issued in error"])
        #expect(revoked.status == 0 && revoked.stdout == "\(id): revoked\n", "\(revoked.stderr)")
        let final = try CLIHarness.mcred(["reinstate", "--register", register, id])
        #expect(final.status == 2 && final.stderrLines.count == 1 && final.stderr.contains("final"), "\(final.stderr)")
        let unknown = try CLIHarness.mcred(["revoke", "--register", register, "urn:uuid:nobody"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("mcred revoke: "))
        #expect(try CLIHarness.mcred(["revoke", "--register", register]).status == 64)
        let text = try CLIHarness.mcred(["register", "show", register, id])
        #expect(text.stdout.contains("status: revoked"))
        #expect(text.stdout.split(separator: "\n").filter { $0.hasPrefix("event: ") }.count == 3)

        let csv = try CLIHarness.mcred(["register", "export", register, "--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 2 && lines[0].hasPrefix("id,issuer,status,"))
        #expect(lines[1].hasPrefix("\(id),\(Samples.issuer),revoked,"))
        let jsonl = try CLIHarness.mcred(["register", "export", register, "--format", "jsonl"])
        #expect(jsonl.stdout.split(separator: "\n").count == 1 && jsonl.stdout.contains("\"status\":\"revoked\""))
    }

    @Test("sign --register: --out, --out-dir and JSON Lines; a credential with a credentialStatus is refused")
    func signRegister() throws {
        let (folder, register) = try Self.newRegister()
        let inputs = try (0..<5).map { try Samples.write(Samples.credential($0), "c\($0).json", in: folder) }
        let outDir = folder.appendingPathComponent("signed").path
        let batch = try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, "--out-dir", outDir] + inputs.prefix(3))
        #expect(batch.status == 0, "\(batch.stderr)")
        let one = folder.appendingPathComponent("one.json").path
        #expect(try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, "--out", one, inputs[3]]).status == 0)
        let lines = try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, inputs[4]])
        #expect(lines.status == 0)
        let exported = try CLIHarness.mcred(["register", "export", register, "--format", "jsonl"]).stdout
        for index in 0..<5 {
            #expect(exported.contains("urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", index))"))
        }
        let signed = try Self.json(outDir + "/c0.json")
        #expect((signed["credentialStatus"] as? [Any])?.count == 2)
        let verified = try CLIHarness.mcred(["verify", outDir + "/c0.json", one])
        #expect(verified.status == 0, "\(verified.stdout)")  // valid; the revocation status is indeterminate offline
        // Signed again: the ids are recorded already; a signed output as input has a credentialStatus.
        let twice = try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, "--out-dir", outDir, inputs[0]])
        #expect(twice.status == 2 && twice.stderr.contains("already has a credential"), "\(twice.stderr)")
        let withStatus = try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, "--out", folder.appendingPathComponent("x.json").path, one])
        #expect(withStatus.status == 2 && withStatus.stderrLines.count == 1 && withStatus.stderr.contains("credentialStatus"),
                "\(withStatus.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.json").path))
    }

    @Test("status publish: signed lists named by their URL; another issuer's key is refused")
    func publish() throws {
        let (folder, register) = try Self.newRegister()
        let input = try Samples.write(Samples.credential(1), "c.json", in: folder)
        #expect(try CLIHarness.mcred(["sign", "--register", register, "--key", Samples.key, "--out", folder.appendingPathComponent("s.json").path, input]).status == 0)
        let outDir = folder.appendingPathComponent("public/status").path
        let published = try CLIHarness.mcred(["status", "publish", "--register", register, "--key", Samples.key, "--out-dir", outDir, "--valid-for", "12h"])
        #expect(published.status == 0, "\(published.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outDir).sorted() == ["1", "2"])
        let list = try Self.json(outDir + "/1")
        #expect(list["id"] as? String == "\(Self.baseURL)/1")
        #expect(list["issuer"] as? String == Samples.issuer)
        #expect((list["credentialSubject"] as? [String: Any])?["statusPurpose"] as? String == "revocation")
        #expect(list["proof"] != nil && list["validUntil"] != nil)
        let listVerified = try CLIHarness.mcred(["verify", outDir + "/1", outDir + "/2"])
        #expect(listVerified.status == 0, "\(listVerified.stdout)\(listVerified.stderr)")
        let wrongKey = try CLIHarness.mcred(["status", "publish", "--register", register, "--key", "keys-example/registry.key.pem", "--out-dir", outDir])
        #expect(wrongKey.status == 2 && wrongKey.stderr.hasPrefix("mcred status publish: ") && wrongKey.stderrLines.count == 1)
        #expect(try CLIHarness.mcred(["status", "publish", "--register", register, "--key", Samples.key, "--out-dir", outDir, "--valid-for", "7w"]).status == 64)
    }

    @Test("register → issue → publish → verify --status-list; revoked and suspended credentials fail",
          .enabled(if: verifyHasStatusList, "mcred verify has no --status-list URL=FILE yet"))
    func verifyAgainstPublishedLists() throws {
        let (folder, register) = try Self.newRegister()
        let out = folder.appendingPathComponent("credential.json").path
        #expect(try CLIHarness.mcred([
            "issue", "--register", register, "--key", Samples.key, "--achievement", "spec/examples/course.json",
            "--learner", "spec/examples/learner.json", "--out", out,
        ]).status == 0)
        let id = try #require(try Self.json(out)["id"] as? String)
        let lists = folder.appendingPathComponent("lists").path
        func verify() throws -> CLIHarness.Result {
            let published = try CLIHarness.mcred(["status", "publish", "--register", register, "--key", Samples.key, "--out-dir", lists])
            #expect(published.status == 0, "\(published.stderr)")
            return try CLIHarness.mcred([
                "verify", "--status-list", "\(Self.baseURL)/1=\(lists)/1", "--status-list", "\(Self.baseURL)/2=\(lists)/2", out,
            ])
        }
        let fresh = try verify()
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(try CLIHarness.mcred(["suspend", "--register", register, id]).status == 0)
        let suspended = try verify()
        #expect(suspended.status == 1 && suspended.stdout.lowercased().contains("suspend"), "\(suspended.stdout)")
        #expect(try CLIHarness.mcred(["reinstate", "--register", register, id]).status == 0)
        #expect(try verify().status == 0)
        #expect(try CLIHarness.mcred(["revoke", "--register", register, id]).status == 0)
        let revoked = try verify()
        #expect(revoked.status == 1 && revoked.stdout.lowercased().contains("revoked"), "\(revoked.stdout)")
    }

    @Test("kill -9 of sign --register --out-dir: every written credential is in the register")
    func killedRegisteredBatch() throws {
        let (folder, register) = try Self.newRegister()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = 2000
        let inputs = folder.appendingPathComponent("in")
        let outDir = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let paths = try (0..<count).map { try Samples.write(Samples.credential($0), "c\($0).json", in: inputs) }
        let process = Process()
        process.executableURL = try CLIHarness.binary()
        process.arguments = ["sign", "--register", register, "--key", Samples.key, "--created", Samples.created,
                             "--out-dir", outDir.path] + paths
        process.currentDirectoryURL = packageRoot()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it while it writes: once its staging folder or the out folder holds some files.
        var killed = false
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: outDir.path)) ?? []
            let staged = names.filter(InterruptedWriteCLITests.isStaging).first.map {
                (try? FileManager.default.contentsOfDirectory(atPath: outDir.appendingPathComponent($0).path))?.count ?? 0
            } ?? 0
            if staged >= count / 4 || names.count > 1 {
                kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        #expect(killed, "the run finished before it could be killed")

        let written = try FileManager.default.contentsOfDirectory(atPath: outDir.path).filter { $0.hasSuffix(".json") }
        let exported = try CLIHarness.mcred(["register", "export", register, "--format", "jsonl"])
        #expect(exported.status == 0, "\(exported.stderr)")
        var recorded: Set<String> = []
        for line in exported.stdout.split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let id = row?["id"] as? String { recorded.insert(id) }
        }
        var ids: [String] = []
        for name in written {
            let credential = try Self.json(outDir.appendingPathComponent(name).path)
            ids.append(try #require(credential["id"] as? String))
        }
        let missing = ids.filter { !recorded.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) written credentials are not in the register: \(missing.prefix(3))")
        for id in ids.prefix(5) {
            #expect(try CLIHarness.mcred(["register", "show", register, id]).status == 0)
        }
        // The register is still usable: the run's recorded credentials can be revoked and the lists published.
        if let first = ids.first {
            #expect(try CLIHarness.mcred(["revoke", "--register", register, first]).status == 0)
        }
        let published = try CLIHarness.mcred(["status", "publish", "--register", register, "--key", Samples.key,
                                               "--out-dir", folder.appendingPathComponent("lists").path])
        #expect(published.status == 0, "\(published.stderr)")
    }
}
