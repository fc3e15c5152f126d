internal import COpenSSL
import Synchronization

/// Owns one `EVP_PKEY`. It is never mutated after init, which openssl-threads(7) says makes it safe to share.
///
/// It also keeps a few idle `EVP_MD_CTX` already initialised for this key. `openssl speed` signs and verifies
/// Ed25519 through one context initialised once; doing the same saves the `EVP_Digest*Init` set-up (about
/// 2 µs, some 7 % of a signature) on every call. A context is used by one thread at a time: it is taken out
/// of the pool for the call and put back after a successful one.
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

    /// An idle context initialised for this key, if one is waiting.
    func takeIdleContext() -> OpaquePointer? {
        idle.withLock { $0.popLast()?.pointer }
    }

    /// Returns a context after a successful one-shot call, or frees it when the pool is full.
    func putBack(_ context: OpaquePointer) {
        let handle = IdleContext(pointer: context)
        let kept = idle.withLock { contexts in
            guard contexts.count < Self.poolLimit else { return false }
            contexts.append(handle)
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
    }

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
