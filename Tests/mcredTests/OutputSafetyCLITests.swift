import Foundation
import TestSupport
import Testing

/// Issue #10, item 2: an output never replaces the key or the passphrase file, nor an --out file that is not JSON
/// unless --force is given.
@Suite("CLI: outputs never replace the key")
struct OutputSafetyCLITests {
    /// A copy of the example key and an unsigned credential in a fresh folder.
    private func setUp() throws -> (folder: URL, key: String, credential: String) {
        let folder = try CLIHarness.temporaryDirectory()
        let key = folder.appendingPathComponent("k.pem").path
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent(Samples.key).path, toPath: key)
        return (folder, key, try Samples.write(Samples.credential(1), "c.json", in: folder))
    }

    private func expectRefused(_ result: CLIHarness.Result, _ command: String, _ reason: String) {
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.hasPrefix("mcred \(command): "), "\(result.stderr)")
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("sign --out and issue --out naming the key file (directly or through a link) are refused; the key stays")
    func outIsTheKey() throws {
        let (folder, key, credential) = try setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: key))
        let link = folder.appendingPathComponent("link.pem").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: key)
        for out in [key, link] {
            expectRefused(try CLIHarness.mcred(["sign", "--key", key, "--out", out, credential]), "sign", "it is the key file")
            expectRefused(try CLIHarness.mcred(["sign", "--key", key, "--out", out, "--force", credential]), "sign",
                          "it is the key file")
            expectRefused(try CLIHarness.mcred(["issue", "--key", key, "--achievement", "spec/examples/course.json",
                                                "--learner", "spec/examples/learner.json", "--out", out, "--force"]),
                          "issue", "it is the key file")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == original)
    }

    @Test("an output that is the passphrase file is refused, for sign and for keygen")
    func outIsThePassphrase() throws {
        let (folder, key, credential) = try setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passphrase = try Samples.write("secret\n", "p.key.pem", in: folder)
        expectRefused(try CLIHarness.mcred(["sign", "--key", key, "--passphrase-file", passphrase, "--out", passphrase,
                                            credential]), "sign", "it is the passphrase file")
        expectRefused(try CLIHarness.mcred(["keygen", "--out", folder.appendingPathComponent("p").path, "--force",
                                            "--passphrase-file", passphrase]), "keygen", "it is the passphrase file")
        #expect(try String(contentsOfFile: passphrase, encoding: .utf8) == "secret\n")
    }

    @Test("sign --out-dir into the key's folder, where an output would replace the key, is refused")
    func outDirHoldsTheKey() throws {
        let (folder, _, _) = try setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyInside = folder.appendingPathComponent("c2.json").path
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent(Samples.key).path, toPath: keyInside)
        let original = try Data(contentsOf: URL(fileURLWithPath: keyInside))
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let files = try (1...3).map { try Samples.write(Samples.credential($0), "c\($0).json", in: inputs) }
        expectRefused(try CLIHarness.mcred(["sign", "--key", keyInside, "--out-dir", folder.path] + files), "sign",
                      "cannot write \(keyInside): it is the key file")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyInside)) == original)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("c1.json").path))
    }

    @Test("an existing --out that is not JSON is replaced only with --force; a JSON one is replaced")
    func outNotJSON() throws {
        let (folder, key, credential) = try setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try Samples.write("my notes\n", "notes.txt", in: folder)
        expectRefused(try CLIHarness.mcred(["sign", "--key", key, "--out", notes, credential]), "sign",
                      "\(notes) already exists and is not JSON; use --force to replace it")
        expectRefused(try CLIHarness.mcred(["issue", "--key", key, "--achievement", "spec/examples/course.json",
                                            "--learner", "spec/examples/learner.json", "--out", notes]),
                      "issue", "is not JSON; use --force")
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my notes\n")
        #expect(try CLIHarness.mcred(["sign", "--key", key, "--out", notes, "--force", credential]).status == 0)
        #expect(try String(contentsOfFile: notes, encoding: .utf8).contains("\"proof\""))
        // A JSON file (an earlier output) is replaced without --force.
        #expect(try CLIHarness.mcred(["sign", "--key", key, "--out", notes, credential]).status == 0)
        let issued = try CLIHarness.mcred(["issue", "--key", key, "--achievement", "spec/examples/course.json",
                                           "--learner", "spec/examples/learner.json", "--out", notes])
        #expect(issued.status == 0, "\(issued.stderr)")
    }
}
