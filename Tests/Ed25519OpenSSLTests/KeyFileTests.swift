import Ed25519OpenSSL
import Foundation
import TestSupport
import Testing

@Suite("Key files: PKCS#8, SPKI and the openssl command line")
struct KeyFileTests {
    @Test("a key from `openssl genpkey -algorithm ed25519` loads, and its public key matches `openssl pkey -pubout`")
    func opensslGeneratedKey() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyPath = folder.appendingPathComponent("k.pem").path
        let pubPath = folder.appendingPathComponent("k.pub.pem").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", keyPath]).status == 0)
        #expect(try run(["openssl", "pkey", "-in", keyPath, "-pubout", "-out", pubPath]).status == 0)

        let key = try Ed25519PrivateKey(pemOrDER: Array(Data(contentsOf: URL(fileURLWithPath: keyPath))))
        let publicKey = try Ed25519PublicKey(pemOrDER: Array(Data(contentsOf: URL(fileURLWithPath: pubPath))))
        #expect(key.publicKey == publicKey)
        #expect(try publicKey.pemRepresentation() == String(contentsOfFile: pubPath, encoding: .utf8))
        #expect(try key.pemRepresentation() == String(contentsOfFile: keyPath, encoding: .utf8))
    }

    @Test("DER private and public keys load too")
    func derKeys() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyPath = folder.appendingPathComponent("k.der").path
        let pubPath = folder.appendingPathComponent("p.der").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "ed25519", "-outform", "DER", "-out", keyPath]).status == 0)
        #expect(try run(["openssl", "pkey", "-inform", "DER", "-in", keyPath, "-pubout", "-outform", "DER",
                         "-out", pubPath]).status == 0)
        let file = try Ed25519KeyFile(bytes: Array(Data(contentsOf: URL(fileURLWithPath: keyPath))))
        guard case .privateKey(let key) = file else { Issue.record("DER PKCS#8 read as a public key"); return }
        let publicFile = try Ed25519KeyFile(bytes: Array(Data(contentsOf: URL(fileURLWithPath: pubPath))))
        guard case .publicKey(let publicKey) = publicFile else { Issue.record("DER SPKI not read"); return }
        #expect(key.publicKey == publicKey)
    }

    @Test("the plain PEM key read directly equals OpenSSL's reading; other PEM forms still go to OpenSSL")
    func directlyReadPEM() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyPath = folder.appendingPathComponent("k.pem").path
        let derPath = folder.appendingPathComponent("k.der").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", keyPath]).status == 0)
        #expect(try run(["openssl", "pkey", "-in", keyPath, "-outform", "DER", "-out", derPath]).status == 0)
        let pem = Array(try Data(contentsOf: URL(fileURLWithPath: keyPath)))
        let fromPEM = try Ed25519PrivateKey(pemOrDER: pem)
        let fromDER = try Ed25519PrivateKey(pemOrDER: Array(try Data(contentsOf: URL(fileURLWithPath: derPath))))
        #expect(fromPEM.seed == fromDER.seed && fromPEM.publicKey == fromDER.publicKey)

        // The same key with its body on two lines and CRLF line ends, as OpenSSL also reads it.
        let lines = String(decoding: pem, as: UTF8.self).split(separator: "\n")
        let rewrapped = [lines[0], lines[1].prefix(20), lines[1].dropFirst(20), lines[2]].joined(separator: "\r\n")
        #expect(try Ed25519PrivateKey(pemOrDER: Array(rewrapped.utf8)).seed == fromDER.seed)

        // RFC 8410 OneAsymmetricKey v2 (with the public key) is not the direct form; it goes to OpenSSL, whose
        // 3.0 decoders refuse it (as `openssl pkey` does).
        let der = Array(try Data(contentsOf: URL(fileURLWithPath: derPath)))
        let v2 = [0x30, 0x51, 0x02, 0x01, 0x01] + der[5...] + [0x81, 0x21, 0x00] + fromDER.publicKey.rawRepresentation
        let v2PEM = "-----BEGIN PRIVATE KEY-----\n" + Data(v2).base64EncodedString() + "\n-----END PRIVATE KEY-----\n"
        #expect(throws: Ed25519Error.self) { try Ed25519PrivateKey(pemOrDER: Array(v2PEM.utf8)) }

        // Only a file that is exactly the three lines is read directly; anything else is OpenSSL's to read,
        // so a BEGIN line inside a comment does not make the direct path read another key than OpenSSL.
        let other = try Ed25519PrivateKey()
        let otherPEM = try other.pemRepresentation()
        let commented = "# " + String(decoding: pem, as: UTF8.self) + otherPEM
        #expect(try Ed25519PrivateKey(pemOrDER: Array(commented.utf8)).seed == other.seed)
        let oneLine = otherPEM.split(separator: "\n").joined()
        #expect(throws: Ed25519Error.self) { try Ed25519PrivateKey(pemOrDER: Array(oneLine.utf8)) }

        // A body whose prefix claims the plain form but whose padding says it is shorter is refused.
        let short = [0x30, 0x2E] + der[2..<46]
        let shortPEM = "-----BEGIN PRIVATE KEY-----\n" + Data(short).base64EncodedString() + "\n-----END PRIVATE KEY-----\n"
        #expect(throws: Ed25519Error.self) { try Ed25519PrivateKey(pemOrDER: Array(shortPEM.utf8)) }
    }

    @Test("a signature by `openssl pkeyutl -sign -rawin` verifies here, and ours verifies in openssl")
    func signatureInterop() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = try Ed25519PrivateKey()
        let keyPath = folder.appendingPathComponent("k.pem").path
        let pubPath = folder.appendingPathComponent("k.pub.pem").path
        let messagePath = folder.appendingPathComponent("msg").path
        let theirSignaturePath = folder.appendingPathComponent("theirs.sig").path
        let ourSignaturePath = folder.appendingPathComponent("ours.sig").path
        try key.pemRepresentation().write(toFile: keyPath, atomically: true, encoding: .utf8)
        try key.publicKey.pemRepresentation().write(toFile: pubPath, atomically: true, encoding: .utf8)
        let message = Array("An employer checks a micro-credential.".utf8)
        try Data(message).write(to: URL(fileURLWithPath: messagePath))

        #expect(try run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", keyPath, "-in", messagePath,
                         "-out", theirSignaturePath]).status == 0)
        let theirs = Array(try Data(contentsOf: URL(fileURLWithPath: theirSignaturePath)))
        #expect(key.publicKey.isValidSignature(theirs, for: message))
        #expect(try key.signature(for: message) == theirs)  // Ed25519 is deterministic

        try Data(try key.signature(for: message)).write(to: URL(fileURLWithPath: ourSignaturePath))
        let verify = try run(["openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", pubPath,
                              "-in", messagePath, "-sigfile", ourSignaturePath])
        #expect(verify.status == 0)
        // …and openssl rejects it for another message.
        try Data(message + [0x21]).write(to: URL(fileURLWithPath: messagePath))
        #expect(try run(["openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", pubPath,
                         "-in", messagePath, "-sigfile", ourSignaturePath]).status != 0)
    }

    @Test("a key encrypted by `openssl pkcs8 -topk8 -v2 aes-256-cbc` opens with its passphrase only")
    func opensslEncryptedKey() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plainPath = folder.appendingPathComponent("plain.pem").path
        let encryptedPath = folder.appendingPathComponent("enc.pem").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", plainPath]).status == 0)
        #expect(try run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plainPath, "-out", encryptedPath,
                         "-passout", "pass:correct horse"]).status == 0)
        let plain = try Ed25519PrivateKey(pemOrDER: Array(Data(contentsOf: URL(fileURLWithPath: plainPath))))
        let encrypted = Array(try Data(contentsOf: URL(fileURLWithPath: encryptedPath)))
        #expect(String(decoding: encrypted, as: UTF8.self).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

        let opened = try Ed25519PrivateKey(pemOrDER: encrypted, passphrase: Array("correct horse".utf8))
        #expect(opened.publicKey == plain.publicKey)
        #expect(throws: Ed25519Error.wrongPassphrase) {
            try Ed25519PrivateKey(pemOrDER: encrypted, passphrase: Array("wrong horse".utf8))
        }
        #expect(throws: Ed25519Error.passphraseRequired) {
            try Ed25519PrivateKey(pemOrDER: encrypted)
        }
    }

    @Test("our encrypted PEM (scrypt + AES-256-CBC) opens in `openssl pkey -passin file:` and not without it")
    func ourEncryptedKeyInOpenSSL() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = try Ed25519PrivateKey()
        let pem = try key.pemRepresentation(passphrase: Array("s3cret phrase".utf8))
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        let keyPath = folder.appendingPathComponent("enc.pem").path
        let passPath = folder.appendingPathComponent("pass.txt").path
        try pem.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try "s3cret phrase\n".write(toFile: passPath, atomically: true, encoding: .utf8)

        let opened = try run(["openssl", "pkey", "-in", keyPath, "-passin", "file:\(passPath)", "-pubout"])
        #expect(opened.status == 0)
        #expect(String(decoding: opened.stdout, as: UTF8.self) == (try key.publicKey.pemRepresentation()))
        let withoutPassphrase = try run(["openssl", "pkey", "-in", keyPath, "-passin", "pass:", "-pubout"])
        #expect(withoutPassphrase.status != 0)

        let roundTrip = try Ed25519PrivateKey(pemOrDER: Array(pem.utf8), passphrase: Array("s3cret phrase".utf8))
        #expect(roundTrip.seed == key.seed)
    }

    @Test("an empty passphrase is refused when encrypting")
    func emptyPassphrase() throws {
        let key = try Ed25519PrivateKey()
        #expect(throws: Ed25519Error.invalidPassphrase("the passphrase is empty")) {
            try key.pemRepresentation(passphrase: [])
        }
    }

    @Test("RSA and P-256 keys are refused by name")
    func otherAlgorithms() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rsaPath = folder.appendingPathComponent("rsa.pem").path
        let ecPath = folder.appendingPathComponent("ec.pem").path
        let ecPubPath = folder.appendingPathComponent("ec.pub.pem").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
                         "-out", rsaPath]).status == 0)
        #expect(try run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                         "-out", ecPath]).status == 0)
        #expect(try run(["openssl", "pkey", "-in", ecPath, "-pubout", "-out", ecPubPath]).status == 0)
        #expect(throws: Ed25519Error.notEd25519(found: "RSA")) {
            try Ed25519KeyFile(bytes: Array(Data(contentsOf: URL(fileURLWithPath: rsaPath))))
        }
        #expect(throws: Ed25519Error.notEd25519(found: "EC")) {
            try Ed25519KeyFile(bytes: Array(Data(contentsOf: URL(fileURLWithPath: ecPath))))
        }
        #expect(throws: Ed25519Error.notEd25519(found: "EC")) {
            try Ed25519KeyFile(bytes: Array(Data(contentsOf: URL(fileURLWithPath: ecPubPath))))
        }
    }

    @Test("truncated, empty and garbage key files are clear errors")
    func malformed() throws {
        let pem = try Ed25519PrivateKey().pemRepresentation()
        let truncated = Array(pem.utf8.prefix(pem.utf8.count / 2))
        #expect(throws: Ed25519Error.self) { try Ed25519KeyFile(bytes: truncated) }
        do {
            _ = try Ed25519KeyFile(bytes: truncated)
        } catch {
            #expect("\(error)".contains("truncated"))
        }
        // A complete frame around a damaged body.
        let lines = pem.split(separator: "\n")
        let damaged = [lines[0], "AAAA" + lines[1].dropFirst(4), lines[2]].joined(separator: "\n") + "\n"
        #expect(throws: Ed25519Error.self) { try Ed25519KeyFile(bytes: Array(damaged.utf8)) }
        #expect(throws: Ed25519Error.malformedKey("the file is empty")) { try Ed25519KeyFile(bytes: []) }
        #expect(throws: Ed25519Error.self) { try Ed25519KeyFile(bytes: Array("hello world\n".utf8)) }
        #expect(throws: Ed25519Error.self) { try Ed25519KeyFile(bytes: [0x30, 0x03, 0x02, 0x01]) }
    }
}

@Suite("Key files: encrypted DER and damaged encrypted PEM")
struct EncryptedKeyEdgeTests {
    @Test("an encrypted DER key asks for its passphrase, names a wrong one, and opens with the right one")
    func encryptedDER() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("k.pem").path
        let der = folder.appendingPathComponent("k.p8.der").path
        #expect(try run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", plain]).status == 0)
        #expect(try run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain, "-outform", "DER",
                         "-out", der, "-passout", "pass:open sesame"]).status == 0)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: der)))
        #expect(throws: Ed25519Error.passphraseRequired) { try Ed25519KeyFile(bytes: bytes) }
        #expect(throws: Ed25519Error.wrongPassphrase) {
            try Ed25519KeyFile(bytes: bytes, passphrase: Array("open barley".utf8))
        }
        let opened = try Ed25519KeyFile(bytes: bytes, passphrase: Array("open sesame".utf8))
        let expected = try Ed25519PrivateKey(pemOrDER: Array(Data(contentsOf: URL(fileURLWithPath: plain))))
        #expect(opened.publicKey == expected.publicKey)
    }

    @Test("a damaged encrypted PEM key is an error that does not open, never a key")
    func damagedEncryptedPEM() throws {
        let pem = try Ed25519PrivateKey().pemRepresentation(passphrase: Array("pass".utf8))
        var lines = pem.split(separator: "\n").map(String.init)
        lines[1] = "AAAA" + lines[1].dropFirst(4)
        let damaged = Array((lines.joined(separator: "\n") + "\n").utf8)
        do {
            _ = try Ed25519KeyFile(bytes: damaged, passphrase: Array("pass".utf8))
            Issue.record("a damaged key was accepted")
        } catch .wrongPassphrase {
        } catch .malformedKey {
        } catch {
            Issue.record("expected wrongPassphrase or malformedKey, got \(error)")
        }
    }
}
