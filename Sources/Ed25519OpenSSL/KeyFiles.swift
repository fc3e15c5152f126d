internal import COpenSSL

/// A key read from a PEM or DER file: a private key (PKCS#8, plain or encrypted) or a public key
/// (SubjectPublicKeyInfo).
public enum Ed25519KeyFile: Sendable {
    case privateKey(Ed25519PrivateKey)
    case publicKey(Ed25519PublicKey)

    /// The public half, whichever kind of key the file held.
    public var publicKey: Ed25519PublicKey {
        switch self {
        case .privateKey(let key): key.publicKey
        case .publicKey(let key): key
        }
    }

    /// Reads a PEM (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `PUBLIC KEY`) or DER key.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - passphrase: the passphrase of an encrypted private key; never prompted for on a terminal.
    public init(bytes: [UInt8], passphrase: [UInt8]? = nil) throws(Ed25519Error) {
        switch try PEMLabel(of: bytes) {
        case .privateKey, .encryptedPrivateKey:
            self = .privateKey(try Ed25519PrivateKey(pemOrDER: bytes, passphrase: passphrase))
        case .publicKey:
            self = .publicKey(try Ed25519PublicKey(pemOrDER: bytes))
        case .none:
            // DER: a PKCS#8 private key (plain or encrypted) first, then a SubjectPublicKeyInfo.
            do {
                self = .privateKey(try Ed25519PrivateKey(pemOrDER: bytes, passphrase: passphrase))
            } catch .passphraseRequired {
                throw .passphraseRequired
            } catch .wrongPassphrase {
                throw .wrongPassphrase
            } catch .notEd25519(let found) {
                throw .notEd25519(found: found)
            } catch {
                self = .publicKey(try Ed25519PublicKey(pemOrDER: bytes))
            }
        }
    }
}

/// The PEM labels this library reads; other labels are explained in the error.
enum PEMLabel {
    case privateKey, encryptedPrivateKey, publicKey

    /// Returns the label of the first PEM block, `nil` for input that is not PEM (DER is tried then).
    init?(of bytes: [UInt8]) throws(Ed25519Error) {
        let begin = Array("-----BEGIN ".utf8)
        guard let start = bytes.firstRange(of: begin) else {
            if bytes.isEmpty { throw .malformedKey("the file is empty") }
            if bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || ($0 >= 0x20 && $0 < 0x7F) }) {
                throw .malformedKey("no \"-----BEGIN …-----\" line found (expected a PEM key file)")
            }
            return nil
        }
        let rest = bytes[start.upperBound...]
        guard let close = rest.firstRange(of: Array("-----".utf8)) else {
            throw .malformedKey("the PEM header line is incomplete")
        }
        let label = String(decoding: rest[rest.startIndex..<close.lowerBound], as: UTF8.self)
        guard bytes.firstRange(of: Array("-----END \(label)-----".utf8)) != nil else {
            throw .malformedKey("the PEM block \"\(label)\" has no END line (the file is truncated)")
        }
        switch label {
        case "PRIVATE KEY": self = .privateKey
        case "ENCRYPTED PRIVATE KEY": self = .encryptedPrivateKey
        case "PUBLIC KEY": self = .publicKey
        case "RSA PRIVATE KEY", "RSA PUBLIC KEY": throw .notEd25519(found: "RSA")
        case "EC PRIVATE KEY", "EC PARAMETERS": throw .notEd25519(found: "EC")
        case "DSA PRIVATE KEY": throw .notEd25519(found: "DSA")
        case "CERTIFICATE":
            throw .malformedKey("this is a certificate, not a key; extract its key with `openssl x509 -pubkey`")
        default:
            throw .malformedKey("PEM block \"\(label)\" is not a PKCS#8 private key or a public key")
        }
    }
}

extension Ed25519PrivateKey {
    /// Reads a PKCS#8 private key in PEM form (`PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`).
    ///
    /// - Parameters:
    ///   - pemEncoded: the PEM text.
    ///   - passphrase: the passphrase of an encrypted key; OpenSSL never prompts for one.
    public init(pemEncoded: String, passphrase: [UInt8]? = nil) throws(Ed25519Error) {
        guard pemEncoded.utf8.starts(with: "-----BEGIN ".utf8) || pemEncoded.contains("\n-----BEGIN ") else {
            throw .malformedKey("not PEM text (no -----BEGIN line)")
        }
        try self.init(pemOrDER: Array(pemEncoded.utf8), passphrase: passphrase)
    }

    /// Reads a PKCS#8 private key in DER form, plain (`PrivateKeyInfo`) or encrypted (`EncryptedPrivateKeyInfo`).
    public init(derEncoded: [UInt8], passphrase: [UInt8]? = nil) throws(Ed25519Error) {
        guard derEncoded.first == 0x30 else { throw .malformedKey("not DER (no ASN.1 SEQUENCE)") }
        try self.init(pemOrDER: derEncoded, passphrase: passphrase)
    }

    /// Reads a PKCS#8 private key, PEM or DER, plain or passphrase-encrypted.
    ///
    /// OpenSSL never prompts: without a passphrase an encrypted key fails with ``Ed25519Error/passphraseRequired``.
    public init(pemOrDER bytes: [UInt8], passphrase: [UInt8]? = nil) throws(Ed25519Error) {
        let label = try PEMLabel(of: bytes)
        if label == .publicKey {
            throw .malformedKey("this is a public key; signing needs the private key file (*.key.pem)")
        }
        let encrypted = label == .encryptedPrivateKey || (label == nil && isEncryptedPrivateKeyInfo(bytes))
        if encrypted && passphrase == nil { throw .passphraseRequired }
        var pkey: OpaquePointer? = try withMemoryBIO(bytes) { bio in
            withPassphrase(passphrase) { userdata in
                label == nil
                    ? d2i_PrivateKey_bio(bio, nil)  // plain PKCS#8 DER
                    : PEM_read_bio_PrivateKey(bio, nil, supplyPassphrase, userdata)
            }
        }
        if pkey == nil, label == nil, encrypted {
            // Encrypted PKCS#8 DER (EncryptedPrivateKeyInfo).
            pkey = try withMemoryBIO(bytes) { bio in
                withPassphrase(passphrase) { d2i_PKCS8PrivateKey_bio(bio, nil, supplyPassphrase, $0) }
            }
        }
        guard let pkey else {
            let reasons = Ed25519Error.drainErrorQueue()
            // A wrong passphrase usually fails the CBC padding check ("bad decrypt"), but one in about 256
            // passes it and fails later as an ASN.1 decode error, exactly like damaged data: the two cannot be
            // told apart, so both are reported as one error.
            if encrypted { throw .wrongPassphrase }
            throw .malformedKey(
                "the private key could not be decoded (\(reasons.last ?? "corrupt or truncated data"))")
        }
        try self.init(validated: EVPKey(takingOwnershipOf: pkey))
    }

    /// The key as a PKCS#8 PEM document.
    ///
    /// With a passphrase the key is encrypted with PBES2: scrypt (N = 2^14, r = 8, p = 1) and AES-256-CBC,
    /// which `openssl pkey -passin` opens.
    public func pemRepresentation(passphrase: [UInt8]? = nil) throws(Ed25519Error) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
        defer { BIO_free(bio) }
        if let passphrase {
            guard !passphrase.isEmpty else { throw .invalidPassphrase("the passphrase is empty") }
            guard passphrase.count <= 1024 else { throw .invalidPassphrase("longer than 1024 bytes") }
            guard let info = EVP_PKEY2PKCS8(key.pointer) else { throw .openSSL("EVP_PKEY2PKCS8") }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard let algorithm = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nil, 0, nil, 1 << 14, 8, 1) else {
                throw .openSSL("PKCS5_pbe2_set_scrypt")
            }
            let sealed = passphrase.withUnsafeBytes { pass in
                pass.withMemoryRebound(to: CChar.self) { PKCS8_set0_pbe($0.baseAddress, Int32($0.count), info, algorithm) }
            }
            guard let sealed else {
                X509_ALGOR_free(algorithm)
                throw .openSSL("PKCS8_set0_pbe")
            }
            defer { X509_SIG_free(sealed) }
            guard PEM_write_bio_PKCS8(bio, sealed) == 1 else { throw .openSSL("PEM_write_bio_PKCS8") }
        } else {
            guard PEM_write_bio_PKCS8PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) == 1 else {
                throw .openSSL("PEM_write_bio_PKCS8PrivateKey")
            }
        }
        return readAll(bio)
    }
}

extension Ed25519PublicKey {
    /// Reads a SubjectPublicKeyInfo public key in PEM form (`PUBLIC KEY`).
    public init(pemEncoded: String) throws(Ed25519Error) {
        guard pemEncoded.utf8.starts(with: "-----BEGIN ".utf8) || pemEncoded.contains("\n-----BEGIN ") else {
            throw .malformedKey("not PEM text (no -----BEGIN line)")
        }
        try self.init(pemOrDER: Array(pemEncoded.utf8))
    }

    /// Reads a SubjectPublicKeyInfo public key in DER form.
    public init(derEncoded: [UInt8]) throws(Ed25519Error) {
        guard derEncoded.first == 0x30 else { throw .malformedKey("not DER (no ASN.1 SEQUENCE)") }
        try self.init(pemOrDER: derEncoded)
    }

    /// Reads a SubjectPublicKeyInfo public key, PEM (`PUBLIC KEY`) or DER.
    public init(pemOrDER bytes: [UInt8]) throws(Ed25519Error) {
        let label = try PEMLabel(of: bytes)
        if label == .privateKey || label == .encryptedPrivateKey {
            throw .malformedKey("this is a private key; expected a public key (*.pub.pem)")
        }
        let pkey: OpaquePointer?
        if label == nil {
            ERR_clear_error()
            pkey = bytes.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                let key = d2i_PUBKEY(nil, &cursor, buffer.count)
                // Trailing bytes after the SubjectPublicKeyInfo make the file malformed.
                guard let key, let cursor, cursor == buffer.baseAddress! + buffer.count else {
                    if let key { EVP_PKEY_free(key) }
                    return nil
                }
                return key
            }
        } else {
            pkey = try withMemoryBIO(bytes) { bio in PEM_read_bio_PUBKEY(bio, nil, supplyPassphrase, nil) }
        }
        guard let pkey else {
            let reasons = Ed25519Error.drainErrorQueue()
            throw .malformedKey("the public key could not be decoded (\(reasons.last ?? "corrupt or truncated data"))")
        }
        try self.init(validated: EVPKey(takingOwnershipOf: pkey))
    }

    /// The key as a SubjectPublicKeyInfo PEM document (`-----BEGIN PUBLIC KEY-----`).
    public func pemRepresentation() throws(Ed25519Error) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key.pointer) == 1 else { throw .openSSL("PEM_write_bio_PUBKEY") }
        return readAll(bio)
    }
}

// MARK: - BIO and passphrase plumbing

/// Whether DER bytes are a PKCS#8 EncryptedPrivateKeyInfo (an `X509_SIG` structure).
private func isEncryptedPrivateKeyInfo(_ bytes: [UInt8]) -> Bool {
    defer { ERR_clear_error() }
    return bytes.withUnsafeBufferPointer { buffer in
        var cursor = buffer.baseAddress
        guard let sealed = d2i_X509_SIG(nil, &cursor, buffer.count) else { return false }
        X509_SIG_free(sealed)
        return cursor == buffer.baseAddress! + buffer.count
    }
}

/// Runs `body` with a read-only memory BIO over `bytes`; the BIO never outlives the call.
private func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) -> T) throws(Ed25519Error) -> T {
    guard bytes.count < Int(Int32.max) else { throw .malformedKey("the file is too large to be a key") }
    ERR_clear_error()
    let result: T? = bytes.withUnsafeBytes { raw in
        guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
        defer { BIO_free(bio) }
        return body(bio)
    }
    guard let result else { throw .openSSL("BIO_new_mem_buf") }
    return result
}

/// Everything written to a memory BIO, as text.
private func readAll(_ bio: OpaquePointer) -> String {
    var data: UnsafeMutablePointer<CChar>?
    let length = mcred_BIO_get_mem_data(bio, &data)
    guard let data, length > 0 else { return "" }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}

/// Runs `body` with the `userdata` that ``supplyPassphrase`` reads: a pointer to the passphrase, or `nil`
/// when there is none, so that OpenSSL never falls back to prompting on the terminal.
private func withPassphrase<T>(_ passphrase: [UInt8]?, _ body: (UnsafeMutableRawPointer?) -> T) -> T {
    guard let passphrase else { return body(nil) }
    return passphrase.withUnsafeBytes { bytes in
        var buffer = bytes
        return withUnsafeMutablePointer(to: &buffer) { body(UnsafeMutableRawPointer($0)) }
    }
}

/// OpenSSL's `pem_password_cb`: copies the passphrase that `userdata` points at, or declines with -1.
private func supplyPassphrase(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    guard let buffer, let userdata else { return -1 }
    let passphrase = userdata.assumingMemoryBound(to: UnsafeRawBufferPointer.self).pointee
    guard passphrase.count <= Int(size), let source = passphrase.baseAddress else { return -1 }
    UnsafeMutableRawPointer(buffer).copyMemory(from: source, byteCount: passphrase.count)
    return Int32(passphrase.count)
}
