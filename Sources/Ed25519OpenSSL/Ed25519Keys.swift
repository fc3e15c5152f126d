internal import COpenSSL

/// An Ed25519 signing key (RFC 8032 PureEdDSA). Signatures from OpenSSL are deterministic.
///
/// The key is immutable and may be shared between threads.
public struct Ed25519PrivateKey: Sendable {
    let key: EVPKey

    /// The matching public key, derived once when the private key is created.
    public let publicKey: Ed25519PublicKey

    /// Generates a new key from OpenSSL's random number generator.
    public init() throws(Ed25519Error) {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else {
            throw .openSSL("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw .openSSL("EVP_PKEY_keygen_init") }
        var pkey: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &pkey) == 1, let pkey else { throw .openSSL("EVP_PKEY_generate") }
        try self.init(validated: EVPKey(takingOwnershipOf: pkey))
    }

    /// Creates a key from its 32-byte RFC 8032 seed.
    public init(seed: [UInt8]) throws(Ed25519Error) {
        guard seed.count == 32 else { throw .invalidKeyLength(expected: 32, actual: seed.count) }
        let pkey = seed.withUnsafeBytes {
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }
        guard let pkey else { throw .openSSL("EVP_PKEY_new_raw_private_key") }
        try self.init(validated: EVPKey(takingOwnershipOf: pkey))
    }

    /// Wraps an `EVP_PKEY` that holds a private key, refusing any algorithm but Ed25519.
    init(validated key: EVPKey) throws(Ed25519Error) {
        guard key.isEd25519 else { throw .notEd25519(found: key.algorithmName) }
        self.key = key
        // Its own EVP_PKEY: the key's context pool holds signing contexts only.
        self.publicKey = try Ed25519PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// The 32-byte RFC 8032 seed. This is secret material: never print or log it.
    public var seed: [UInt8] {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        let rc = raw.withUnsafeMutableBytes { EVP_PKEY_get_raw_private_key(key.pointer, $0.baseAddress, &length) }
        precondition(rc == 1 && length == 32, "an Ed25519 EVP_PKEY always has a 32-byte private key")
        return raw
    }

    /// Signs `message` in one shot (Ed25519 has no streaming mode).
    /// - Returns: the 64-byte signature.
    public func signature(for message: [UInt8]) throws(Ed25519Error) -> [UInt8] {
        let context = try key.takeContext(for: .sign)
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        let rc = signature.withUnsafeMutableBytes { sig in
            message.withUnsafeBytes { msg in EVP_DigestSign(context, sig.baseAddress, &length, msg.baseAddress, msg.count) }
        }
        guard rc == 1, length == 64 else {
            EVP_MD_CTX_free(context)
            throw .openSSL("EVP_DigestSign")
        }
        key.putBack(context)
        return signature
    }
}

/// An Ed25519 verification key: 32 raw bytes (RFC 8032 §5.1.5 encoding).
public struct Ed25519PublicKey: Sendable {
    /// The 32-byte encoded point.
    public let rawRepresentation: [UInt8]
    let key: EVPKey

    /// Creates a public key from its 32 raw bytes.
    public init(rawRepresentation raw: [UInt8]) throws(Ed25519Error) {
        guard raw.count == 32 else { throw .invalidKeyLength(expected: 32, actual: raw.count) }
        let pkey = raw.withUnsafeBytes {
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }
        guard let pkey else { throw .openSSL("EVP_PKEY_new_raw_public_key") }
        self.rawRepresentation = raw
        self.key = EVPKey(takingOwnershipOf: pkey)
    }

    /// Wraps an `EVP_PKEY` read from a key file, refusing any algorithm but Ed25519.
    init(validated key: EVPKey) throws(Ed25519Error) {
        guard key.isEd25519 else { throw .notEd25519(found: key.algorithmName) }
        self.rawRepresentation = try key.rawPublicKey()
        self.key = key
    }

    /// Returns `true` only when OpenSSL reports a valid signature. Malformed input gives `false`, not an error.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64,
              let context = try? key.takeContext(for: .verify)
        else {
            ERR_clear_error()
            return false
        }
        let rc = signature.withUnsafeBytes { sig in
            message.withUnsafeBytes { msg in EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count) }
        }
        // 1 is a valid signature, 0 a bad one and < 0 an error: never test `!= 0`.
        if rc >= 0 { key.putBack(context) } else { EVP_MD_CTX_free(context) }
        if rc != 1 { ERR_clear_error() }  // a rejection can leave entries on this thread's error queue
        return rc == 1
    }
}

extension Ed25519PublicKey: Hashable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}
