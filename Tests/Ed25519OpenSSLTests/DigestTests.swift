import Ed25519OpenSSL
import Testing

@Suite("SHA-2 digests")
struct DigestTests {
    /// FIPS 180-4 examples ("abc" and the empty string).
    @Test("SHA-256 and SHA-384 of the FIPS 180-4 examples")
    func knownAnswers() {
        #expect(SHA256.hexDigest(Array("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(lowercaseHex(SHA384.hash(Array("abc".utf8)))
            == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
    }

    @Test("a reused digest context gives each input's own digest, whatever came before")
    func reusedContext() {
        let inputs: [[UInt8]] = [Array("abc".utf8), [], Array(repeating: 0x61, count: 1000), Array("abc".utf8)]
        let sha256 = DigestContext(.sha256)
        let sha384 = DigestContext(.sha384)
        for input in inputs {
            #expect(sha256.hash(input) == SHA256.hash(input))
            #expect(sha384.hash(input) == SHA384.hash(input))
        }
    }
}
