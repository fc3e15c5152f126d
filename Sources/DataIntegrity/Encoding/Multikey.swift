public import Ed25519OpenSSL

/// Ed25519 keys in the W3C Controlled Identifiers (CID 1.0) `Multikey` form and as `did:key` identifiers.
///
/// - Public key: multibase base58btc of the multicodec `ed25519-pub` prefix `0xed 0x01` and the 32 key bytes
///   (`z6Mk…`).
/// - Secret key: multibase base58btc of the multicodec `ed25519-priv` prefix `0x80 0x26` and the 32-byte seed
///   (`z3u2…`).
public enum Multikey {
    static let publicPrefix: [UInt8] = [0xED, 0x01]
    static let secretPrefix: [UInt8] = [0x80, 0x26]

    /// The `publicKeyMultibase` value of a public key.
    public static func encode(_ key: Ed25519PublicKey) -> String {
        Multibase.encodeBase58btc(publicPrefix + key.rawRepresentation)
    }

    /// Decodes a `publicKeyMultibase` value.
    public static func decodePublicKey(_ multibase: String) throws(MultibaseError) -> Ed25519PublicKey {
        let raw = try decode(multibase, prefix: publicPrefix, codec: "0xed01 (ed25519-pub)")
        do {
            return try Ed25519PublicKey(rawRepresentation: raw)
        } catch {
            throw .invalidKeyLength(expected: 32, actual: raw.count)
        }
    }

    /// The `secretKeyMultibase` value of a private key. This is secret material: never print or log it.
    public static func encodeSecret(_ key: Ed25519PrivateKey) -> String {
        Multibase.encodeBase58btc(secretPrefix + key.seed)
    }

    /// Decodes a `secretKeyMultibase` value into a signing key.
    public static func decodeSecretKey(_ multibase: String) throws(MultibaseError) -> Ed25519PrivateKey {
        let seed = try decode(multibase, prefix: secretPrefix, codec: "0x8026 (ed25519-priv)")
        do {
            return try Ed25519PrivateKey(seed: seed)
        } catch {
            throw .invalidKeyLength(expected: 32, actual: seed.count)
        }
    }

    private static func decode(_ multibase: String, prefix: [UInt8], codec: String) throws(MultibaseError) -> [UInt8] {
        let bytes = try Multibase.decodeBase58btc(multibase)
        guard bytes.count >= 2, Array(bytes[0..<2]) == prefix else {
            let found = lowercaseHex(bytes.prefix(2))
            throw .unexpectedMulticodec(expected: codec, found: found.isEmpty ? "(none)" : "0x" + found)
        }
        let key = Array(bytes.dropFirst(2))
        guard key.count == 32 else { throw .invalidKeyLength(expected: 32, actual: key.count) }
        return key
    }
}

/// A `did:key` identifier of an Ed25519 public key (W3C CCG did:key method, Multikey form).
public struct DIDKey: Hashable, Sendable, CustomStringConvertible {
    /// The key the DID names.
    public let publicKey: Ed25519PublicKey
    /// The `z6Mk…` multibase form of the key, which is both the DID's method-specific id and its fragment.
    public let multibase: String

    public init(publicKey: Ed25519PublicKey) {
        self.publicKey = publicKey
        self.multibase = Multikey.encode(publicKey)
    }

    /// Parses `did:key:z6Mk…` or the verification-method URL `did:key:z6Mk…#z6Mk…`.
    ///
    /// A fragment, when present, must repeat the method-specific identifier, as the did:key method requires.
    public init(parsing text: String) throws(MultibaseError) {
        let prefix = "did:key:"
        guard text.hasPrefix(prefix) else { throw .invalidDIDKey("\"\(text)\" does not start with did:key:") }
        let rest = text.dropFirst(prefix.count)
        let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let identifier = String(parts[0])
        guard !identifier.isEmpty else { throw .invalidDIDKey("the method-specific identifier is empty") }
        if parts.count == 2, !parts[1].utf8.elementsEqual(parts[0].utf8) {
            throw .invalidDIDKey("the fragment \"#\(parts[1])\" must repeat the key \"\(identifier)\"")
        }
        self.publicKey = try Multikey.decodePublicKey(identifier)
        self.multibase = identifier
    }

    /// `did:key:z6Mk…`
    public var did: String { "did:key:" + multibase }

    /// The verification method id, `did:key:z6Mk…#z6Mk…`.
    public var verificationMethod: String { did + "#" + multibase }

    public var description: String { did }
}
