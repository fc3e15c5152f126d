import Foundation
import TestSupport
import Testing

/// Unsigned credentials issued by the keys-example key.
enum Samples {
    static let issuer = "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"
    static let key = "keys-example/issuer.key.pem"
    /// A fixed proof time and verification time, so that no test depends on the machine's clock.
    static let created = "2026-01-15T09:00:05Z"
    static let at = "2026-06-01T00:00:00Z"

    static func credential(_ index: Int, issuer: String = issuer) -> String {
        """
        {
          "@context": ["https://www.w3.org/ns/credentials/v2"],
          "id": "urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", index))",
          "type": ["VerifiableCredential"],
          "issuer": {"id": "\(issuer)", "name": "Example University"},
          "validFrom": "2026-01-15T09:00:00Z",
          "credentialSubject": {"id": "did:example:learner-\(index)", "name": "Learner \(index)"}
        }
        """
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite("CLI: sign, verify and canonicalize")
struct CredentialCLITests {
    @Test("verify's text report, line for line (spec/cli.md), for a valid and a tampered credential")
    func textReportGolden() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unsigned = try Samples.write(Samples.credential(1), "c.json", in: folder)
        let signed = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, unsigned])
        let valid = try Samples.write(signed.stdout, "valid.json", in: folder)
        let tampered = try Samples.write(signed.stdout.replacingOccurrences(of: "Learner 1", with: "Learner 9"),
                                         "tampered.json", in: folder)
        let result = try CLIHarness.mcred(["verify", "--at", Samples.at, valid, tampered])
        #expect(result.status == 1)
        let issuer = Samples.issuer
        let checks = { (signature: String) in [
            "  pass           Well-formed JSON — the credential is well-formed I-JSON",
            "  pass           VC 2.0 data model — a VC 2.0 credential with issuer \(issuer)",
            "  pass           Proof well-formed — a DataIntegrityProof for assertionMethod",
            "  pass           Cryptosuite supported — DataIntegrityProof with eddsa-jcs-2022",
            "  pass           Key resolved — Ed25519 key of \(issuer)",
            "  pass           Issuer bound to key — the key belongs to the issuer \(issuer)",
            signature,
            "  pass           Proof created not in the future — created 2026-01-15T09:00:05Z",
            "  pass           Validity period — valid at 2026-06-01T00:00:00Z: from 2026-01-15T09:00:00Z with no end",
            "  pass           Revocation status — the credential has no credentialStatus, so it cannot be revoked",
            "  indeterminate  Issuer trusted — no trust list was given: the proof shows who controls the issuer "
                + "identifier, not whether that issuer is a recognised awarding body",
        ] }
        let mismatch = "the signature does not match: the credential or its proof changed after signing, or another "
            + "key signed it"
        let expected = ["\(valid): VALID — issued by \(issuer)"]
            + checks("  pass           Signature — the Ed25519 signature over the canonical credential is valid")
            + ["\(tampered): INVALID — Signature: \(mismatch)"]
            + checks("  fail           Signature — \(mismatch) [CRYPTOGRAPHIC_SECURITY_ERROR]")
        #expect(result.stdout == expected.joined(separator: "\n") + "\n")
    }

    @Test("on a terminal the verdict and the padded status are coloured (run under script(1))")
    func colouredReport() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unsigned = try Samples.write(Samples.credential(1), "c.json", in: folder)
        let signed = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, unsigned])
        let path = try Samples.write(signed.stdout, "valid.json", in: folder)
        // NO_COLOR (no-color.org) would turn colour off; the test runner may set it.
        let command = "env -u NO_COLOR \(try CLIHarness.binary().path) verify --at \(Samples.at) \(path)"
        let terminal = try run(["script", "-qec", command, "/dev/null"])
        #expect(terminal.status == 0)
        #expect(terminal.output.contains("\(path): \u{1B}[32mVALID\u{1B}[0m — issued by \(Samples.issuer)"))
        #expect(terminal.output.contains("  \u{1B}[32mpass         \u{1B}[0m  Signature — "))
        #expect(terminal.output.contains("  \u{1B}[33mindeterminate\u{1B}[0m  Issuer trusted — "))
        let plain = try CLIHarness.mcred(["verify", "--at", Samples.at, path])
        #expect(!plain.stdout.contains("\u{1B}"))
    }

    @Test("--out and --out-dir find a path's last slash by byte, even before a combining mark")
    func combiningMarkAfterSlash() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let subfolder = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
        let unsigned = try Samples.write(Samples.credential(1), "\u{301}c.json", in: subfolder)
        let out = folder.appendingPathComponent("\u{301}signed.json").path
        let single = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, "--out", out, unsigned])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let outDir = folder.appendingPathComponent("out").path
        let batch = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created,
                                          "--out-dir", outDir, unsigned])
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outDir) == ["\u{301}c.json"])
    }

    @Test("sign one file, verify it (exit 0); tamper with it (exit 1, the failing check named)")
    func signAndVerify() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unsigned = try Samples.write(Samples.credential(1), "c.json", in: folder)
        let signed = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", "2026-01-15T09:00:05Z", unsigned])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.contains("\"proofValue\": \"z"))
        let signedPath = try Samples.write(signed.stdout, "signed.json", in: folder)

        let verified = try CLIHarness.mcred(["verify", "--at", "2026-06-01T00:00:00Z", signedPath])
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("\(signedPath): VALID"))
        #expect(verified.stdout.contains("pass           Signature"))

        let tamperedPath = try Samples.write(signed.stdout.replacingOccurrences(of: "Learner 1", with: "Learner 9"),
                                             "tampered.json", in: folder)
        let tampered = try CLIHarness.mcred(["verify", "--at", "2026-06-01T00:00:00Z", "--format", "json", tamperedPath])
        #expect(tampered.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(tampered.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == false)
        let results = try #require(report?["results"] as? [[String: Any]])
        let checks = try #require(results.first?["checks"] as? [[String: Any]])
        let failed = checks.filter { $0["status"] as? String == "fail" }
        #expect(failed.map { $0["id"] as? String } == ["signature"])
        #expect(failed.first?["errorCode"] as? String == "CRYPTOGRAPHIC_SECURITY_ERROR")

        // Both files at once: one invalid makes the exit status 1, and each file gets its verdict line.
        let both = try CLIHarness.mcred(["verify", "--at", "2026-06-01T00:00:00Z", signedPath, tamperedPath])
        #expect(both.status == 1)
        #expect(both.stdout.contains("\(signedPath): VALID"))
        #expect(both.stdout.contains("\(tamperedPath): INVALID — Signature"))
    }

    @Test("several files: JSON Lines in input order, or one file each with --out-dir; all verify")
    func batch() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = try (0..<12).map { try Samples.write(Samples.credential($0), "c\($0).json", in: folder) }
        let lines = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created] + inputs)
        #expect(lines.status == 0)
        let records = lines.stdout.split(separator: "\n")
        #expect(records.count == 12)
        for (index, record) in records.enumerated() {
            #expect(record.contains("did:example:learner-\(index)\""))
        }
        let outDir = folder.appendingPathComponent("signed").path
        #expect(try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, "--out-dir", outDir] + inputs)
            .status == 0)
        let outputs = inputs.map { outDir + "/" + URL(fileURLWithPath: $0).lastPathComponent }
        #expect(try CLIHarness.mcred(["verify", "--at", Samples.at] + outputs).status == 0)
        // From standard input too.
        let piped = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, "-"],
                                         stdin: Data(Samples.credential(3).utf8))
        #expect(try CLIHarness.mcred(["verify", "--at", Samples.at, "-"], stdin: Data(piped.stdout.utf8)).status == 0)
    }

    @Test("sign refuses a credential whose issuer is not the key's did:key, and writes nothing")
    func signRefusesOtherIssuer() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Samples.write(Samples.credential(1), "good.json", in: folder)
        let bad = try Samples.write(Samples.credential(2, issuer: "did:web:other.example"), "bad.json", in: folder)
        let out = folder.appendingPathComponent("out.json").path
        let single = try CLIHarness.mcred(["sign", "--key", Samples.key, "--out", out, bad])
        #expect(single.status == 2)
        #expect(single.stderrLines.count == 1)
        #expect(single.stderr.contains("did:web:other.example"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let outDir = folder.appendingPathComponent("signed").path
        let batch = try CLIHarness.mcred(["sign", "--key", Samples.key, "--out-dir", outDir, good, bad])
        #expect(batch.status == 2)
        #expect(batch.stderrLines.count == 1)
        #expect(!FileManager.default.fileExists(atPath: outDir + "/good.json"))
        // Naming the issuer's verification method lets the key sign for it.
        let named = try CLIHarness.mcred(["sign", "--key", Samples.key, "--verification-method",
                                          "did:web:other.example#key-1", bad])
        #expect(named.status == 0)
        #expect(named.stdout.contains("did:web:other.example#key-1"))
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try CLIHarness.mcred(["sign", "--key", Samples.key, "--out", "x.json", "a.json", "b.json"]).status == 64)
        #expect(try CLIHarness.mcred(["verify"]).status == 64)
        #expect(try CLIHarness.mcred(["verify", "--at", "tomorrow", "x.json"]).status == 64)
        #expect(try CLIHarness.mcred(["no-such-command"]).status == 64)
    }

    @Test("verify: bad input gives the documented exit code and a one-line reason")
    func verifyBadInput() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let signed = try CLIHarness.mcred(["sign", "--key", Samples.key, "-"], stdin: Data(Samples.credential(1).utf8)).stdout

        let notJSON = try CLIHarness.mcred(["verify", "-"], stdin: Data("{\"a\": tru}".utf8))
        #expect(notJSON.status == 2)
        #expect(notJSON.stderrLines.count == 1)
        #expect(notJSON.stderr.contains("line 1, column"))

        let array = try CLIHarness.mcred(["verify", "-"], stdin: Data("[1, 2]".utf8))
        #expect(array.status == 1)
        #expect(array.stdout.split(separator: "\n")[0].contains("a credential is a JSON object; this is an array"))

        let noProof = try CLIHarness.mcred(["verify", "-"], stdin: Data(Samples.credential(1).utf8))
        #expect(noProof.status == 1)
        #expect(noProof.stdout.split(separator: "\n")[0].contains("INVALID — Proof well-formed: the credential has no proof"))

        let badValue = signed.replacingOccurrences(
            of: #""proofValue": "z"#, with: #""proofValue": "u"#)
        let notMultibase = try CLIHarness.mcred(["verify", "-"], stdin: Data(badValue.utf8))
        #expect(notMultibase.status == 1)
        #expect(notMultibase.stdout.split(separator: "\n")[0].contains("multibase"))

        let huge = folder.appendingPathComponent("huge.json")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 50 * 1024 * 1024)
        try handle.close()
        let tooLarge = try CLIHarness.mcred(["verify", huge.path])
        #expect(tooLarge.status == 2)
        #expect(tooLarge.stderrLines.count == 1)
        #expect(tooLarge.stderr.contains("limit"))

        let missing = try CLIHarness.mcred(["verify", folder.appendingPathComponent("absent.json").path])
        #expect(missing.status == 2)
        #expect(missing.stderrLines.count == 1)
    }

    @Test("canonicalize: canonical bytes without newline, --sha256, and a positioned error")
    func canonicalize() throws {
        let input = Data(#"{"b": [1.0, 1e21, "\u00e9"], "a": {"z": null, "é": true}}"#.utf8)
        let result = try CLIHarness.mcred(["canonicalize", "-"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout == #"{"a":{"z":null,"é":true},"b":[1,1e+21,"é"]}"#)
        let digest = try CLIHarness.mcred(["canonicalize", "--sha256", "-"], stdin: input)
        let reference = try TestSupport.run(["openssl", "dgst", "-sha256", "-r"], stdin: Data(result.stdout.utf8))
        #expect(digest.stdout == String(reference.output.prefix(64)) + "\n")
        let bad = try CLIHarness.mcred(["canonicalize", "-"], stdin: Data("{\"a\":1,\n \"a\":2}".utf8))
        #expect(bad.status == 2)
        #expect(bad.stderrLines.count == 1)
        #expect(bad.stderr.contains("line 2"))
        #expect(bad.stderr.contains("duplicate"))
    }
}
