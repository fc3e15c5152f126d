import Foundation
import TestSupport
import Testing

@Suite("CLI: keygen and key show")
struct KeyCLITests {
    @Test("keygen writes a 0600 private key and a public key, prints the did:key, and refuses to overwrite")
    func keygen() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("issuer").path
        let first = try CLIHarness.mcred(["keygen", "--out", prefix, "--format", "json"])
        #expect(first.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let did = try #require(report?["did"] as? String)
        #expect(did.hasPrefix("did:key:z6Mk"))
        #expect(report?["verificationMethod"] as? String == did + "#" + did.dropFirst("did:key:".count))
        #expect(!first.stdout.contains("PRIVATE KEY"))

        let attributes = try FileManager.default.attributesOfItem(atPath: prefix + ".key.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(FileManager.default.fileExists(atPath: prefix + ".pub.pem"))

        let shown = try CLIHarness.mcred(["key", "show", prefix + ".pub.pem", "--format", "json"])
        #expect(shown.stdout.contains(did))

        let again = try CLIHarness.mcred(["keygen", "--out", prefix])
        #expect(again.status == 2)
        #expect(again.stderrLines.count == 1)
        #expect(again.stderr.contains("--force"))
        let forced = try CLIHarness.mcred(["keygen", "--out", prefix, "--force", "--format", "json"])
        #expect(forced.status == 0)
        #expect(!forced.stdout.contains(did))  // a new key
    }

    @Test("a key written with --passphrase-file opens in `openssl pkey -passin file:` and not without it")
    func encryptedKeygen() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("issuer").path
        let passphrase = folder.appendingPathComponent("pass.txt").path
        try "correct horse battery staple\n".write(toFile: passphrase, atomically: true, encoding: .utf8)
        #expect(try CLIHarness.mcred(["keygen", "--out", prefix, "--passphrase-file", passphrase]).status == 0)
        let key = prefix + ".key.pem"
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

        let opened = try CLIHarness.openssl(["pkey", "-in", key, "-passin", "file:\(passphrase)", "-pubout"])
        #expect(opened.status == 0)
        #expect(opened.stdout == (try String(contentsOfFile: prefix + ".pub.pem", encoding: .utf8)))
        #expect(try CLIHarness.openssl(["pkey", "-in", key, "-passin", "pass:", "-pubout"]).status != 0)

        // mcred itself: with the passphrase it opens; without, or with a wrong one, one line and exit 2.
        #expect(try CLIHarness.mcred(["key", "show", key, "--passphrase-file", passphrase]).status == 0)
        let missing = try CLIHarness.mcred(["key", "show", key])
        #expect(missing.status == 2)
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderr.contains("encrypted"))
        let wrongFile = folder.appendingPathComponent("wrong.txt").path
        try "wrong\n".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let wrong = try CLIHarness.mcred(["key", "show", key, "--passphrase-file", wrongFile])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("passphrase does not open"))
    }

    @Test("key show reads a did:key, Multikey values and a JSON Multikey document")
    func keyShowForms() throws {
        let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        for input in [did, did + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
                      "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
                      "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"] {
            let result = try CLIHarness.mcred(["key", "show", input])
            #expect(result.status == 0, "\(input): \(result.stderr)")
            #expect(result.stdout.contains(did))
            #expect(!result.stdout.contains("z3u2"))  // never the secret
        }
    }

    /// A bad key input, named in test output by what is wrong with it.
    struct BadInput: Sendable, CustomTestStringConvertible {
        let what, expected, content: String
        var testDescription: String { what }
    }

    /// Each bad input gives exit 2 and exactly one line naming the problem.
    static let badInputs: [BadInput] = badInputList.map { BadInput(what: $0.0, expected: $0.1, content: $0.2) }

    private static let badInputList: [(String, String, String)] = [
        ("truncated PEM", "truncated", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"),
        ("a 31-byte seed", "31 bytes", "secret Multikey with a 31-byte seed"),
        ("a non-base58 character", "not a base58btc character", "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0"),
        ("an unknown multicodec prefix", "multicodec prefix", "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"),
        ("a did:key of another method", "did:key", "did:web:uni.example"),
    ]

    @Test("bad key input: exit 2, one line, no prompt", arguments: badInputs)
    func badKeyInput(_ input: BadInput) throws {
        let (what, expected, content) = (input.what, input.expected, input.content)
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var argument = content
        if content.hasPrefix("-----") {
            argument = folder.appendingPathComponent("key.pem").path
            try content.write(toFile: argument, atomically: true, encoding: .utf8)
        } else if content == "secret Multikey with a 31-byte seed" {
            argument = try Self.secretMultikey(seedLength: 31)
        }
        let result = try CLIHarness.mcred(["key", "show", argument])
        #expect(result.status == 2, "\(what)")
        #expect(result.stderrLines.count == 1, "\(what): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(what): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("an RSA key file: exit 2, one line naming RSA")
    func rsaKey() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("rsa.pem").path
        #expect(try CLIHarness.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
                                        "-out", path]).status == 0)
        for command in [["key", "show", path], ["sign", "--key", path, "-"]] {
            let result = try CLIHarness.mcred(command)
            #expect(result.status == 2)
            #expect(result.stderrLines.count == 1)
            #expect(result.stderr.contains("RSA"))
        }
    }

    /// `z` + base58btc(0x8026 ‖ seed) for a seed of the given length, encoded independently of the tool.
    static func secretMultikey(seedLength: Int) throws -> String {
        let bytes: [UInt8] = [0x80, 0x26] + [UInt8](repeating: 0x42, count: seedLength)
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        var digits: [Int] = []
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += digits[index] * 256
                digits[index] = carry % 58
                carry /= 58
            }
            while carry > 0 {
                digits.append(carry % 58)
                carry /= 58
            }
        }
        return "z" + String(digits.reversed().map { alphabet[$0] })
    }
}
