/// Why a multibase, Multikey or did:key value could not be decoded.
public enum MultibaseError: Error, Hashable, Sendable {
    /// The value is empty.
    case empty
    /// The multibase prefix is not one this toolkit reads (`z`, base58btc).
    case unsupportedBase(String)
    /// A character outside the base58btc alphabet (0, O, I, l and non-ASCII are not in it).
    case invalidCharacter(String, position: Int)
    /// The multicodec prefix is not the expected one (e.g. `0xed01` for an Ed25519 public key).
    case unexpectedMulticodec(expected: String, found: String)
    /// The key after the multicodec prefix has the wrong length.
    case invalidKeyLength(expected: Int, actual: Int)
    /// A DID or DID URL is not a did:key of an Ed25519 public key.
    case invalidDIDKey(String)
    /// The value is longer than anything this toolkit decodes (keys and signatures are under 100 characters);
    /// base58 decoding time grows with the square of the length, so long values are refused unread.
    case tooLong(length: Int, limit: Int)
    /// A value that should be base64url (multibase `u`) is not.
    case invalidBase64url(String)
}

extension MultibaseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "the multibase value is empty"
        case .unsupportedBase(let prefix):
            "multibase prefix \"\(prefix)\" is not supported; expected \"z\" (base58btc)"
        case .invalidCharacter(let character, let position):
            "\"\(character)\" at position \(position) is not a base58btc character"
        case .unexpectedMulticodec(let expected, let found):
            "multicodec prefix \(found) is not the expected \(expected)"
        case .invalidKeyLength(let expected, let actual):
            "the key is \(actual) bytes after its multicodec prefix; expected \(expected)"
        case .invalidDIDKey(let reason): "not an Ed25519 did:key: \(reason)"
        case .tooLong(let length, let limit): "the multibase value is \(length) characters; at most \(limit) are read"
        case .invalidBase64url(let reason): "not multibase base64url (prefix \"u\", no padding): \(reason)"
        }
    }
}

/// Multibase (draft-multiformats-multibase) with the one base the W3C Data Integrity specs use for
/// keys and signatures: base58btc, prefix `z`.
public enum Multibase {
    /// `z` followed by the base58btc encoding of `bytes`.
    public static func encodeBase58btc(_ bytes: [UInt8]) -> String {
        "z" + Base58.encode(bytes)
    }

    /// The longest multibase value decoded: ample for keys (48 characters) and signatures (88).
    public static let maximumLength = 256

    /// Decodes a `z`-prefixed base58btc value of at most ``maximumLength`` characters.
    public static func decodeBase58btc(_ text: String) throws(MultibaseError) -> [UInt8] {
        guard let first = text.unicodeScalars.first else { throw .empty }
        guard text.utf8.count <= maximumLength else { throw .tooLong(length: text.utf8.count, limit: maximumLength) }
        guard first == "z" else { throw .unsupportedBase(String(first)) }
        do {
            return try Base58.decode(utf8: Array(text.utf8).dropFirst())  // "z" is one byte
        } catch .invalidCharacter(let character, let position) {
            throw .invalidCharacter(character, position: position + 1)
        } catch {
            throw error
        }
    }
}
