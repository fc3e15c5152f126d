import CanonicalJSON
import Ed25519OpenSSL
import Foundation
import JSONLD
import RDF
import RDFCanonicalization
import TestSupport
import Testing

/// The canonical N-Quads of a JSON-LD document: our JSON-LD, then our RDFC-1.0.
private func canonical(_ document: JSONValue) throws -> String {
    try RDFCanonicalizer().canonicalize(JSONLDProcessor().quads(of: document)).canonicalNQuads
}

private func json(_ path: String) throws -> JSONValue {
    try JSONValue(parsing: Vectors.bytes(path))
}

@Suite("JSON-LD 1.1 expansion and RDF, against bundled contexts")
struct JSONLDTests {
    @Test("the W3C eddsa-rdfc-2022 vectors: documents and proof configurations give their canonical N-Quads",
          arguments: [
            ("w3c-vc-di-eddsa/TestVectors/unsigned.json", "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt"),
            ("w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/proofConfigDataInt.json",
             "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/proofCanonDataInt.txt"),
            ("w3c-vc-di-eddsa/TestVectors/employmentAuth.json",
             "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/canonDocDataInt.txt"),
            ("w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
             "w3c-vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/proofCanonDataInt.txt"),
          ])
    func vectors(_ input: String, _ expected: String) throws {
        #expect(try canonical(json(input)) == (try Vectors.text(expected)))
    }
}
