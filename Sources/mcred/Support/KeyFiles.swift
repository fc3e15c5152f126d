import CommandLineRuntime
import Ed25519OpenSSL
import MicroCredentials

/// Reading key and passphrase files, with messages that name this program's flags.
extension Files {
    /// Reads an issuer's private key file (PKCS#8, PEM or DER, plain or encrypted).
    static func signingKey(_ path: String, passphraseFile: String?) throws -> Ed25519PrivateKey {
        let passphrase = try passphraseFile.map(readPassphrase)
        let bytes = try read(path, limit: 1024 * 1024)
        do {
            return try openingEncryptedKey(passphrase) { try Ed25519PrivateKey(pemOrDER: bytes, passphrase: $0) }
        } catch {
            throw InputError("\(path): \(commandLineMessage(error))")
        }
    }

    /// A signer with the issuer's private key file: its did:key names the verification method.
    static func signer(_ path: String, passphraseFile: String?) throws -> CredentialSigner {
        try CredentialSigner(key: signingKey(path, passphraseFile: passphraseFile))
    }

    /// Reads a passphrase file as `openssl -passin file:` does: the bytes before the first LF, a CR before it
    /// included (OpenSSL keeps it). OpenSSL reads at most 1023 bytes and stops at a NUL byte, so a longer
    /// passphrase or one with a NUL is refused rather than used differently from OpenSSL.
    static func readPassphrase(_ path: String) throws -> [UInt8] {
        let bytes = try read(path, limit: 64 * 1024)
        let passphrase = Array(bytes.prefix(while: { $0 != 0x0A }))
        guard !passphrase.isEmpty else { throw InputError("the passphrase file \(path) is empty") }
        if passphrase.contains(0) {
            throw InputError("the passphrase in \(path) contains a NUL byte; `openssl -passin file:` would stop "
                + "there, so it is refused")
        }
        if passphrase.count > 1023 {
            throw InputError("the passphrase in \(path) is \(passphrase.count) bytes; at most 1023 are read, as "
                + "`openssl -passin file:` reads them")
        }
        return passphrase
    }

    /// Opens an encrypted key with `passphrase`; if that passphrase does not open it and ends with a CR, tries
    /// again without that CR: mcred 0.1.0 removed a CR before the LF of a passphrase file (OpenSSL does not),
    /// so keys it encrypted with such a file still open with the same file.
    static func openingEncryptedKey<T>(_ passphrase: [UInt8]?, _ open: ([UInt8]?) throws -> T) throws -> T {
        do {
            return try open(passphrase)
        } catch let error as Ed25519Error where error == .wrongPassphrase {
            guard let passphrase, passphrase.count > 1, passphrase.last == 0x0D,
                  let opened = try? open(Array(passphrase.dropLast())) else { throw error }
            return opened
        }
    }
}
