internal import COpenSSL
import Synchronization

/// Owns one `EVP_PKEY`. It is never mutated after init, which openssl-threads(7) says makes it safe to share.
///
/// It also keeps a few idle `EVP_MD_CTX` already initialised for this key. `openssl speed` signs and verifies
/// Ed25519 through one context initialised once; doing the same saves the `EVP_Digest*Init` set-up (about
/// 2 µs, some 7 % of a signature) on every call. A context is used by one thread at a time: it is taken out
/// of the pool for the call and put back after it. A key holds either signing or verifying contexts, never
/// both: a private key's public half has an `EVP_PKEY` of its own.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    private let idle = Mutex<[IdleContext]>([])
    /// More idle contexts than cores would only hold memory.
    private static let poolLimit = 16

    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        for context in idle.withLock({ $0 }) { EVP_MD_CTX_free(context.pointer) }
        EVP_PKEY_free(pointer)
    }

    /// What a context is initialised for.
    enum Operation {
        case sign, verify
    }

    /// A context initialised for this key and `operation`: an idle one when this OpenSSL can reuse them, else
    /// a new one. Hand it back with ``putBack(_:)``.
    func takeContext(for operation: Operation) throws(Ed25519Error) -> OpaquePointer {
        if Self.reusesOneShotContexts, let context = idle.withLock({ $0.popLast()?.pointer }) { return context }
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        // PureEdDSA: the digest argument must be NULL.
        let initialised = switch operation {
        case .sign: EVP_DigestSignInit(context, nil, nil, nil, pointer) == 1
        case .verify: EVP_DigestVerifyInit(context, nil, nil, nil, pointer) == 1
        }
        guard initialised else {
            EVP_MD_CTX_free(context)
            throw .openSSL(operation == .sign ? "EVP_DigestSignInit" : "EVP_DigestVerifyInit")
        }
        return context
    }

    /// Returns a context after a one-shot call: kept for the next call when this OpenSSL can reuse it and the
    /// pool has room, freed otherwise.
    func putBack(_ context: OpaquePointer) {
        let handle = IdleContext(pointer: context)
        let kept = Self.reusesOneShotContexts && idle.withLock { contexts in
            guard contexts.count < Self.poolLimit else { return false }
            contexts.append(handle)
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
    }

    /// Whether a context that made one `EVP_DigestSign` or `EVP_DigestVerify` call gives the right answer to
    /// the next (OpenSSL 3.x does for Ed25519; the documentation does not promise it). Probed once per process
    /// with a fixed key: sign twice, verify a good, a bad and the good signature again with one context each.
    static let reusesOneShotContexts: Bool = {
        let seed = [UInt8](repeating: 7, count: 32)
        guard let pkey = seed.withUnsafeBytes({ EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) })
        else { ERR_clear_error(); return false }
        defer { EVP_PKEY_free(pkey); ERR_clear_error() }
        let message: [UInt8] = Array("mcred context reuse probe".utf8)
        guard let signing = EVP_MD_CTX_new(), let verifying = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(signing); EVP_MD_CTX_free(verifying) }
        guard EVP_DigestSignInit(signing, nil, nil, nil, pkey) == 1,
              EVP_DigestVerifyInit(verifying, nil, nil, nil, pkey) == 1 else { return false }
        func sign() -> [UInt8]? {
            var signature = [UInt8](repeating: 0, count: 64)
            var length = 64
            let rc = signature.withUnsafeMutableBytes { EVP_DigestSign(signing, $0.baseAddress, &length, message, message.count) }
            return rc == 1 && length == 64 ? signature : nil
        }
        func verify(_ signature: [UInt8]) -> Int32 {
            EVP_DigestVerify(verifying, signature, signature.count, message, message.count)
        }
        guard let first = sign(), let second = sign(), first == second else { return false }
        var bad = first
        bad[0] ^= 1
        return verify(first) == 1 && verify(bad) == 0 && verify(first) == 1
    }()

    /// The OpenSSL name of the key's algorithm, for error messages ("RSA", "EC", "X25519", …).
    var algorithmName: String {
        if let name = EVP_PKEY_get0_type_name(pointer) { return String(cString: name) }
        let id = EVP_PKEY_get_base_id(pointer)
        if id != NID_undef, let name = OBJ_nid2sn(id) { return String(cString: name) }
        return "an unknown key type"
    }

    var isEd25519: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_ED25519 }

    /// The 32-byte encoded public point of an Ed25519 key.
    func rawPublicKey() throws(Ed25519Error) -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        let rc = raw.withUnsafeMutableBytes { EVP_PKEY_get_raw_public_key(pointer, $0.baseAddress, &length) }
        guard rc == 1, length == 32 else { throw .openSSL("EVP_PKEY_get_raw_public_key") }
        return raw
    }
}

/// An idle `EVP_MD_CTX`: owned by the pool, and by one thread at a time once taken out.
private struct IdleContext: @unchecked Sendable {
    let pointer: OpaquePointer
}
