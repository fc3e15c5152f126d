import Ed25519OpenSSL
import Foundation
import TestSupport
import Testing

struct RFC8032Vector: Decodable, Sendable, CustomTestStringConvertible {
    let name, secretKeyHex, publicKeyHex, messageHex, signatureHex: String
    var testDescription: String { name }

    static func all() throws -> [Self] {
        struct File: Decodable { let vectors: [RFC8032Vector] }
        return try JSONDecoder().decode(File.self, from: Vectors.data("ietf-rfc8032/rfc8032-section-7.1-ed25519.json"))
            .vectors
    }
}

@Suite("Ed25519 over OpenSSL: RFC 8032 §7.1")
struct RFC8032Tests {
    @Test("all five RFC 8032 vectors are present")
    func vectorCount() throws {
        #expect(try RFC8032Vector.all().count == 5)
    }

    @Test("same public key, same signature, verifies; a flipped bit does not", arguments: try RFC8032Vector.all())
    func knownAnswer(_ vector: RFC8032Vector) throws {
        let key = try Ed25519PrivateKey(seed: hex(vector.secretKeyHex))
        let message = hex(vector.messageHex)
        let signature = hex(vector.signatureHex)
        #expect(key.publicKey.rawRepresentation == hex(vector.publicKeyHex))
        #expect(key.seed == hex(vector.secretKeyHex))
        #expect(try key.signature(for: message) == signature)
        #expect(key.publicKey.isValidSignature(signature, for: message))

        var flippedSignature = signature
        flippedSignature[5] ^= 0x01
        #expect(!key.publicKey.isValidSignature(flippedSignature, for: message))
        if message.isEmpty {
            #expect(!key.publicKey.isValidSignature(signature, for: [0]))
        } else {
            var flippedMessage = message
            flippedMessage[message.count - 1] ^= 0x80
            #expect(!key.publicKey.isValidSignature(signature, for: flippedMessage))
        }
    }

    @Test("a generated key signs and verifies, and keys differ")
    func generated() throws {
        let first = try Ed25519PrivateKey()
        let second = try Ed25519PrivateKey()
        #expect(first.publicKey != second.publicKey)
        let message = Array("micro-credential".utf8)
        let signature = try first.signature(for: message)
        #expect(first.publicKey.isValidSignature(signature, for: message))
        #expect(!second.publicKey.isValidSignature(signature, for: message))
    }

    @Test("seeds and public keys must be exactly 32 bytes")
    func lengths() {
        #expect(throws: Ed25519Error.invalidKeyLength(expected: 32, actual: 31)) {
            try Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: Ed25519Error.invalidKeyLength(expected: 32, actual: 33)) {
            try Ed25519PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33))
        }
    }

    @Test("signatures of the wrong length are invalid, not errors")
    func wrongSignatureLength() throws {
        let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 7, count: 32))
        let signature = try key.signature(for: [1, 2, 3])
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: [1, 2, 3]))
        #expect(!key.publicKey.isValidSignature([], for: [1, 2, 3]))
    }

    @Test("SHA-256 matches FIPS 180-2 examples")
    func sha256() {
        #expect(SHA256.hexDigest(Array("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
