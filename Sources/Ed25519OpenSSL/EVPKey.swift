internal import COpenSSL

/// Owns one `EVP_PKEY`. It is never mutated after init, which openssl-threads(7) says makes it safe to share.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The OpenSSL name of the key's algorithm, for error messages ("RSA", "EC", "X25519", …).
    var algorithmName: String {
        if let name = EVP_PKEY_get0_type_name(pointer) { return String(cString: name) }
        let id = EVP_PKEY_get_base_id(pointer)
        if id != NID_undef, let name = OBJ_nid2sn(id) { return String(cString: name) }
        return "an unknown key type"
    }

    var isEd25519: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_ED25519 }
}
