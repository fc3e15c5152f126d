import Ed25519OpenSSL
import Foundation
@testable import DataIntegrity
import TestSupport
import Testing

/// Rows `encoding, "value"` of a multiformats/multibase test CSV.
func multibaseRows(_ file: String) throws -> [String: String] {
    let text = String(decoding: try Vectors.data("multiformats-multibase/tests/\(file)"), as: UTF8.self)
    var rows: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { continue }
        // The suite writes a zero byte as the four characters `\x00`.
        rows[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            .replacingOccurrences(of: "\\x00", with: "\u{0}")
    }
    return rows
}

@Suite("Multibase, Multikey and did:key")
struct MultibaseTests {
    @Test("base58btc rows of the multibase test suite", arguments: ["basic.csv", "leading_zero.csv", "two_leading_zeros.csv"])
    func multibaseSuite(_ file: String) throws {
        let rows = try multibaseRows(file)
        let input = try #require(rows["encoding"])
        let expected = try #require(rows["base58btc"])
        #expect(Multibase.encodeBase58btc(Array(input.utf8)) == expected)
        #expect(try Multibase.decodeBase58btc(expected) == Array(input.utf8))
    }

    @Test("round trip of random byte strings, including leading zeros")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<80 {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if length > 3 { bytes[0] = 0; bytes[1] = 0 }
            #expect(try Base58.decode(Base58.encode(bytes)) == bytes)
        }
        #expect(Base58.encode([]) == "")
        #expect(Base58.encode([0, 0, 0]) == "111")
    }

    @Test("invalid characters, prefixes and lengths are explained")
    func errors() {
        #expect(throws: MultibaseError.invalidCharacter("0", position: 3)) {
            try Multibase.decodeBase58btc("z6M0k")
        }
        #expect(throws: MultibaseError.invalidCharacter("é", position: 2)) {
            try Multibase.decodeBase58btc("z6é")
        }
        #expect(throws: MultibaseError.unsupportedBase("u")) { try Multibase.decodeBase58btc("ueWVz") }
        #expect(throws: MultibaseError.empty) { try Multibase.decodeBase58btc("") }
        // The ed25519-priv prefix where a public key is expected.
        #expect(throws: MultibaseError.unexpectedMulticodec(expected: "0xed01 (ed25519-pub)", found: "0x8026")) {
            try Multikey.decodePublicKey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
        }
        // An unknown multicodec (secp256k1-pub, 0xe701).
        #expect(throws: MultibaseError.unexpectedMulticodec(expected: "0xed01 (ed25519-pub)", found: "0xe701")) {
            try Multikey.decodePublicKey(Multibase.encodeBase58btc([0xE7, 0x01] + [UInt8](repeating: 2, count: 33)))
        }
        #expect(throws: MultibaseError.invalidKeyLength(expected: 32, actual: 31)) {
            try Multikey.decodePublicKey(Multibase.encodeBase58btc([0xED, 0x01] + [UInt8](repeating: 2, count: 31)))
        }
    }

    @Test("the W3C vc-di-eddsa key pair decodes to a matching pair and re-encodes to the same strings")
    func w3cKeyPair() throws {
        struct KeyPair: Decodable { let publicKeyMultibase, privateKeyMultibase: String }
        let pair = try JSONDecoder().decode(KeyPair.self, from: Vectors.data("w3c-vc-di-eddsa/TestVectors/keyPair.json"))
        let publicKey = try Multikey.decodePublicKey(pair.publicKeyMultibase)
        let secretKey = try Multikey.decodeSecretKey(pair.privateKeyMultibase)
        #expect(secretKey.publicKey == publicKey)
        #expect(publicKey.rawRepresentation == hex("b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f"))
        #expect(secretKey.seed == hex("c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"))
        #expect(Multikey.encode(publicKey) == pair.publicKeyMultibase)
        #expect(Multikey.encodeSecret(secretKey) == pair.privateKeyMultibase)
        #expect(pair.publicKeyMultibase.hasPrefix("z6Mk"))
        #expect(pair.privateKeyMultibase.hasPrefix("z3u2"))
    }

    @Test("did:key and its verification method")
    func didKey() throws {
        let id = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        let did = try DIDKey(parsing: id)
        #expect(did.did == id)
        #expect(did.verificationMethod == id + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
        #expect(try DIDKey(parsing: did.verificationMethod) == did)
        #expect(DIDKey(publicKey: did.publicKey) == did)
        #expect(throws: MultibaseError.self) { try DIDKey(parsing: "did:web:example.com") }
        #expect(throws: MultibaseError.self) { try DIDKey(parsing: id + "#z6MkOther") }
        #expect(throws: MultibaseError.self) { try DIDKey(parsing: "did:key:") }
    }
}
