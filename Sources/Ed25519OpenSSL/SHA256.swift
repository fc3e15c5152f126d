internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL.
public enum SHA256 {
    /// The algorithm, fetched from the default provider once rather than on every call.
    fileprivate static let algorithm: SendableMD? = EVP_MD_fetch(nil, "SHA256", nil).map(SendableMD.init)

    /// Returns the 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBytes { output in
                hash(input, into: output)
            }
        }
        return digest
    }

    /// Writes the 32-byte digest of `input` into the first 32 bytes of `output`.
    package static func hash(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= 32, "a SHA-256 digest needs 32 bytes")
        var length: UInt32 = 0
        let rc = EVP_Digest(
            input.baseAddress, input.count,
            output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
            algorithm?.pointer ?? EVP_sha256(), nil)
        // SHA-256 over memory cannot fail short of memory exhaustion, which Swift treats as fatal too.
        precondition(rc == 1 && length == 32, "EVP_Digest(SHA-256) failed: \(Ed25519Error.drainErrorQueue())")
    }

    /// Lowercase hexadecimal of the digest of `bytes`.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        lowercaseHex(hash(bytes))
    }
}

/// Lowercase hexadecimal, two digits a byte: the package's one hex encoder.
///
/// Inlinable so that callers get a copy specialised to their sequence type (salts, ids and identity hashes are
/// written for every credential of a cohort).
@inlinable
package func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
    String(decoding: lowercaseHexUTF8(bytes), as: UTF8.self)
}

/// ``lowercaseHex(_:)`` as the UTF-8 of its digits.
@inlinable
package func lowercaseHexUTF8(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    let digits: StaticString = "0123456789abcdef"
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(digits.utf8Start[Int(byte >> 4)])
        text.append(digits.utf8Start[Int(byte & 0x0F)])
    }
    return text
}

/// An `EVP_MD` fetched once and never freed; OpenSSL's fetched algorithms are safe to share between threads.
private struct SendableMD: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// SHA-256 computed incrementally, for input read in blocks (a file too large to hold in memory). Not shared
/// between threads.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private var finished = false

    public init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        self.context = context
        let rc = EVP_DigestInit_ex(context, EVP_sha256(), nil)
        precondition(rc == 1, "EVP_DigestInit_ex(SHA-256) failed: \(Ed25519Error.drainErrorQueue())")
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the hashed input.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher used after finalize()")
        guard bytes.count > 0 else { return }
        let rc = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        precondition(rc == 1, "EVP_DigestUpdate(SHA-256) failed: \(Ed25519Error.drainErrorQueue())")
    }

    /// Adds `bytes` to the hashed input.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest of everything added; the hasher cannot be used afterwards.
    public func finalize() -> [UInt8] {
        precondition(!finished, "SHA256Hasher finalized twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let rc = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        precondition(rc == 1 && length == 32, "EVP_DigestFinal_ex(SHA-256) failed: \(Ed25519Error.drainErrorQueue())")
        return digest
    }
}

/// SHA-384 (FIPS 180-4) through OpenSSL: RDF Dataset Canonicalization allows it instead of SHA-256.
public enum SHA384 {
    fileprivate static let algorithm: SendableMD? = EVP_MD_fetch(nil, "SHA384", nil).map(SendableMD.init)

    /// Returns the 48-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 48)
        var length: UInt32 = 0
        let rc = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBytes { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                           &length, algorithm?.pointer ?? EVP_sha384(), nil)
            }
        }
        precondition(rc == 1 && length == 48, "EVP_Digest(SHA-384) failed: \(Ed25519Error.drainErrorQueue())")
        return digest
    }
}

/// SHA-256 or SHA-384 of one input after another through one OpenSSL digest context, set up once: for short inputs,
/// setting up a context costs more than the hashing (RDF canonicalization hashes a short input per blank node). Not
/// shared between threads.
package final class DigestContext {
    package enum Algorithm: Sendable {
        case sha256, sha384
    }

    private let context: OpaquePointer
    private let algorithm: OpaquePointer
    private let size: Int

    package init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        self.context = context
        switch algorithm {
        case .sha256: (self.algorithm, size) = (SHA256.algorithm?.pointer ?? EVP_sha256(), 32)
        case .sha384: (self.algorithm, size) = (SHA384.algorithm?.pointer ?? EVP_sha384(), 48)
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// The digest of `bytes`: the same as ``SHA256/hash(_:)`` or ``SHA384/hash(_:)``.
    package func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        let done = EVP_DigestInit_ex2(context, algorithm, nil) == 1
            && bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) } == 1
            && digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) } == 1
        // Hashing memory cannot fail short of memory exhaustion, which Swift treats as fatal too.
        precondition(done && Int(length) == size, "SHA-2 digest failed: \(Ed25519Error.drainErrorQueue())")
        return digest
    }
}
