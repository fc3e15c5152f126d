internal import COpenSSL

/// Why an Ed25519 key, signature or digest operation could not be carried out.
///
/// Each description is one plain sentence that names what went wrong and, where there is one, the next step.
public enum Ed25519Error: Error, Hashable, Sendable {
    /// Ed25519 seeds and public keys are exactly 32 bytes.
    case invalidKeyLength(expected: Int, actual: Int)
    /// The key file holds a key of another algorithm (RSA, P-256, X25519, …).
    case notEd25519(found: String)
    /// The input is not a PEM or DER key of a kind this library reads.
    case malformedKey(String)
    /// The private key is encrypted and no passphrase was given.
    case passphraseRequired
    /// The passphrase does not open the encrypted private key, or the encrypted data is damaged.
    case wrongPassphrase
    /// A passphrase was given but is empty or unusable.
    case invalidPassphrase(String)
    /// An OpenSSL call failed; `reasons` is this thread's drained error queue.
    case openSSL(function: String, reasons: [String])

    /// Drains this thread's OpenSSL error queue into an error. Call it right after the failing call.
    static func openSSL(_ function: String) -> Self {
        .openSSL(function: function, reasons: drainErrorQueue())
    }

    /// Empties this thread's OpenSSL error queue and returns the reasons it held, oldest first.
    static func drainErrorQueue() -> [String] {
        var reasons: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            reasons.append(ERR_reason_error_string(code).map { String(cString: $0) } ?? "error code \(code)")
            code = ERR_get_error()
        }
        return reasons
    }
}

extension Ed25519Error: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidKeyLength(let expected, let actual):
            "an Ed25519 key is \(expected) bytes, this one is \(actual) bytes"
        case .notEd25519(let found):
            "the key is \(found), not Ed25519; only Ed25519 keys are supported"
        case .malformedKey(let reason):
            "not a readable key file: \(reason)"
        case .passphraseRequired:
            "the private key is encrypted; a passphrase is needed to open it"
        case .wrongPassphrase:
            "the passphrase does not open this encrypted private key (or the key file is damaged)"
        case .invalidPassphrase(let reason):
            "unusable passphrase: \(reason)"
        case .openSSL(let function, let reasons):
            reasons.isEmpty
                ? "OpenSSL \(function) failed"
                : "OpenSSL \(function) failed: \(reasons.joined(separator: "; "))"
        }
    }
}
