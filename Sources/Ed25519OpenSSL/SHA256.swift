internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL.
public enum SHA256 {
    /// The algorithm, fetched from the default provider once rather than on every call.
    private static let algorithm: SendableMD? = EVP_MD_fetch(nil, "SHA256", nil).map(SendableMD.init)

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
package func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// An `EVP_MD` fetched once and never freed; OpenSSL's fetched algorithms are safe to share between threads.
private struct SendableMD: @unchecked Sendable {
    let pointer: OpaquePointer
}
