import Foundation
import TestSupport
import Testing

/// Regression tests for failures found by adversarial review: each must stay a clean error or a correct verdict.
@Suite("CLI: robustness")
struct RobustnessCLITests {
    static let signedExample = "spec/examples/credential-signed.json"

    @Test("a full or closed standard output is one line on stderr and exit 2, never a trap")
    func unwritableStandardOutput() throws {
        for command in [["canonicalize", Self.signedExample], ["verify", "--at", "2026-01-01T00:00:00Z", Self.signedExample],
                        ["key", "show", Samples.key]] {
            let result = try TestSupport.run(["/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", try CLIHarness.binary().path]
                + command)
            #expect(result.status == 2, "\(command)")
            #expect(result.errorLines.count == 1, "\(command): \(result.errorOutput)")
            #expect(result.errorOutput.contains("cannot write to standard output"))
        }
    }

    @Test("control characters from a credential are escaped in the text report")
    func terminalEscapes() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = try String(contentsOfFile: packageRoot().appendingPathComponent(Self.signedExample).path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"type\": \"DataIntegrityProof\"",
                                         with: "\"type\": \"X\\r\\u001b[2Kfake: \\u001b[32mVALID\\n\"")
        let path = try Samples.write(text, "spoof.json", in: folder)
        let result = try CLIHarness.mcred(["verify", "--at", "2026-01-01T00:00:00Z", path])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\r"))
        #expect(result.stdout.contains("\\u{1B}[32mVALID\\u{A}"))
        #expect(result.stdout.split(separator: "\n")[0].contains("INVALID"))
    }

    @Test("a keygen --force that fails keeps the old key pair as it was")
    func keygenRollback() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("a").path
        #expect(try CLIHarness.mcred(["keygen", "--out", prefix]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem"))
        try FileManager.default.removeItem(atPath: prefix + ".pub.pem")
        try FileManager.default.createDirectory(atPath: prefix + ".pub.pem/x", withIntermediateDirectories: true)
        let failed = try CLIHarness.mcred(["keygen", "--out", prefix, "--force"])
        #expect(failed.status == 2)
        #expect(failed.stderrLines.count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem")) == before)
    }

    @Test("sign --out-dir writes nothing when one output cannot be written")
    func outDirAllOrNothing() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try (0..<5).map { try Samples.write(Samples.credential($0), "c\($0).json", in: folder) }
        let outDir = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outDir.appendingPathComponent("c3.json/x"),
                                                withIntermediateDirectories: true)
        let result = try CLIHarness.mcred(["sign", "--key", Samples.key, "--out-dir", outDir.path] + inputs)
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outDir.path) == ["c3.json"])
    }

    @Test("sign refuses a malformed existing proof and a verification method that is not a URL")
    func signRefusals() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let withProof = Samples.credential(1).replacingOccurrences(of: "\"validFrom\"", with: "\"proof\": 5, \"validFrom\"")
        let proof5 = try CLIHarness.mcred(["sign", "--key", Samples.key, try Samples.write(withProof, "p.json", in: folder)])
        #expect(proof5.status == 2)
        #expect(proof5.stderr.contains("the credential's proof is a number"))
        let emptyMethod = try CLIHarness.mcred(["sign", "--key", Samples.key, "--verification-method", "",
                                                try Samples.write(Samples.credential(2), "c.json", in: folder)])
        #expect(emptyMethod.status == 2)
        #expect(emptyMethod.stderr.contains("is not a URL"))
    }

    @Test("standard input named twice is a usage error")
    func standardInputOnce() throws {
        #expect(try CLIHarness.mcred(["sign", "--key", Samples.key, "--passphrase-file", "-", "-"]).status == 64)
        #expect(try CLIHarness.mcred(["sign", "--key", "-", "--passphrase-file", "-", "c.json"]).status == 64)
        #expect(try CLIHarness.mcred(["key", "show", "-", "--passphrase-file", "-"]).status == 64)
    }

    @Test("demo opens an encrypted key with --passphrase-file, and refuses it without")
    func demoPassphrase() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passphrase = try Samples.write("demo passphrase\n", "pass.txt", in: folder)
        let encrypted = folder.appendingPathComponent("issuer.key.pem").path
        #expect(try CLIHarness.openssl(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", Samples.key, "-out", encrypted,
                                        "-passout", "file:\(passphrase)"]).status == 0)
        let opened = try CLIHarness.mcred(["demo", "--key", encrypted, "--passphrase-file", passphrase])
        #expect(opened.status == 0, "\(opened.stderr)")
        let refused = try CLIHarness.mcred(["demo", "--key", encrypted])
        #expect(refused.status == 2)
        #expect(refused.stderrLines.count == 1)
    }
}
