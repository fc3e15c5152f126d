import Foundation
import TestSupport
import Testing

/// Issue #10, item 3: passphrase files are read as `openssl -passin file:` reads them, in both directions.
@Suite("CLI: passphrase files as OpenSSL reads them")
struct PassphraseFileCLITests {
    @Test("a key mcred encrypts with a CRLF passphrase file opens with `openssl pkey -passin file:` and the same file")
    func mcredToOpenSSL() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passphrase = try Samples.write("correct horse\r\nsecond line\n", "pass.txt", in: folder)
        let prefix = folder.appendingPathComponent("issuer").path
        let made = try CLIHarness.mcred(["keygen", "--out", prefix, "--passphrase-file", passphrase])
        #expect(made.status == 0, "\(made.stderr)")
        let opened = try CLIHarness.openssl(["pkey", "-in", prefix + ".key.pem", "-passin", "file:\(passphrase)",
                                             "-pubout"])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout == (try String(contentsOfFile: prefix + ".pub.pem", encoding: .utf8)))
        #expect(try CLIHarness.mcred(["key", "show", prefix + ".key.pem", "--passphrase-file", passphrase]).status == 0)
    }

    @Test("a key openssl encrypts with a CRLF (or LF) passphrase file opens with `mcred key show` and the same file")
    func openSSLToMcred() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in [("crlf.txt", "pa55 word\r\n"), ("lf.txt", "pa55 word\n"), ("cr-only.txt", "pa55\r")] {
            let passphrase = try Samples.write(text, name, in: folder)
            let key = folder.appendingPathComponent(name + ".pem").path
            let made = try TestSupport.run(["/bin/sh", "-c",
                "openssl genpkey -algorithm ed25519 | openssl pkcs8 -topk8 -v2 aes-256-cbc -passout \"file:$1\" -out \"$2\"",
                "sh", passphrase, key])
            #expect(made.status == 0, "\(made.errorOutput)")
            let shown = try CLIHarness.mcred(["key", "show", key, "--passphrase-file", passphrase])
            #expect(shown.status == 0, "\(name): \(shown.stderr)")
            #expect(shown.stdout.contains("keyType:            private"))
            let signed = try CLIHarness.mcred(["sign", "--key", key, "--passphrase-file", passphrase,
                                               try Samples.write(Samples.credential(1), "c.json", in: folder)])
            #expect(signed.status == 2)  // another issuer, but the key opened:
            #expect(signed.stderr.contains("the key belongs to did:key:"), "\(signed.stderr)")
        }
    }

    @Test("a passphrase with a NUL byte or longer than 1023 bytes is refused with one clear line")
    func refusedPassphrases() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let withNUL = folder.appendingPathComponent("nul.txt").path
        try Data("abc\u{0}def\n".utf8).write(to: URL(fileURLWithPath: withNUL))
        let long = try Samples.write(String(repeating: "x", count: 1024) + "\n", "long.txt", in: folder)
        let longest = try Samples.write(String(repeating: "x", count: 1023) + "\n", "longest.txt", in: folder)
        let prefix = folder.appendingPathComponent("k").path
        for (file, reason) in [(withNUL, "contains a NUL byte"), (long, "is 1024 bytes; at most 1023 are read")] {
            for command in [["keygen", "--out", prefix], ["key", "show", Samples.key], ["sign", "--key", Samples.key, "c.json"]] {
                let result = try CLIHarness.mcred(command + ["--passphrase-file", file])
                #expect(result.status == 2, "\(command)")
                #expect(result.stderrLines.count == 1)
                #expect(result.stderr.contains("the passphrase in \(file) \(reason)"), "\(result.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: prefix + ".key.pem"))
        // 1023 bytes is the most OpenSSL reads, and it reads them all.
        #expect(try CLIHarness.mcred(["keygen", "--out", prefix, "--passphrase-file", longest]).status == 0)
        #expect(try CLIHarness.openssl(["pkey", "-in", prefix + ".key.pem", "-passin", "file:\(longest)", "-noout"]).status == 0)
    }

    @Test("the CLI names its flags in key and signing errors, as before the library dropped them")
    func flagHints() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passphrase = try Samples.write("pw\n", "pw.txt", in: folder)
        let encrypted = folder.appendingPathComponent("enc.pem").path
        #expect(try CLIHarness.openssl(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", Samples.key, "-out", encrypted,
                                        "-passout", "file:\(passphrase)"]).status == 0)
        let credential = try Samples.write(Samples.credential(1), "c.json", in: folder)
        let noPassphrase = try CLIHarness.mcred(["sign", "--key", encrypted, credential])
        #expect(noPassphrase.stderr == "mcred sign: \(encrypted): the private key is encrypted; give its passphrase with --passphrase-file\n")
        let shown = try CLIHarness.mcred(["key", "show", encrypted])
        #expect(shown.stderr == "mcred key show: the private key is encrypted; give its passphrase with --passphrase-file\n")

        let rsa = folder.appendingPathComponent("rsa.pem").path
        #expect(try CLIHarness.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", rsa]).status == 0)
        let notEd25519 = try CLIHarness.mcred(["sign", "--key", rsa, credential])
        #expect(notEd25519.stderr == "mcred sign: \(rsa): the key is RSA, not Ed25519; mcred signs with Ed25519 keys only (make one with `mcred keygen`)\n")

        let other = try Samples.write(Samples.credential(2, issuer: "did:web:uni.example"), "other.json", in: folder)
        let mismatch = try CLIHarness.mcred(["sign", "--key", Samples.key, other])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.hasSuffix("; sign with the issuer's key, or name the issuer's verification method with --verification-method\n"),
                "\(mismatch.stderr)")
    }
}
