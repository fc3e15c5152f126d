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

@Suite("Bundled JSON-LD contexts")
struct BundledContextTests {
    @Test("every bundled context has the SHA-256 it is pinned by; no other URL is served")
    func pinned() throws {
        #expect(BundledContexts.urls.count == 6)
        for document in BundledContexts.documents {
            #expect(SHA256.hexDigest(Array(document.text.utf8)) == document.sha256, "\(document.url)")
        }
        #expect(throws: JSONLDError.unknownContext("https://example.org/other")) {
            try BundledContexts().context("https://example.org/other")
        }
        #expect(throws: JSONLDError.unknownContext("https://example.org/other")) {
            try JSONLDProcessor().quads(of: ["@context": "https://example.org/other", "@id": "urn:x"])
        }
    }

    @Test("the bundled mcred extension context is spec/contexts/mcred-microcredential-v1.jsonld byte for byte")
    func extensionContext() throws {
        let file = try String(contentsOf: packageRoot().appendingPathComponent("spec/contexts/mcred-microcredential-v1.jsonld"),
                              encoding: .utf8)
        let bundled = try #require(BundledContexts.documents.first { $0.url == "https://mcred.example/ns/microcredential/v1" })
        #expect(bundled.text == file)
    }

    @Test("the VC 2.0 context's digest is the one VC Data Model 2.0 §B.1 prints")
    func vcDigest() throws {
        let v2 = try #require(BundledContexts.documents.first { $0.url == "https://www.w3.org/ns/credentials/v2" })
        #expect(v2.sha256 == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734")
    }

    @Test("a protected term cannot be redefined; an undefined term or type is data loss")
    func protectedAndDataLoss() throws {
        #expect {
            try JSONLDProcessor().quads(of: ["@context": ["https://www.w3.org/ns/credentials/v2", ["name": "urn:mine"]],
                                            "name": "x"])
        } throws: { error in
            if case .invalid(let code, _)? = error as? JSONLDError { return code == "protected term redefinition" }
            return false
        }
        #expect(throws: JSONLDError.dataLoss(term: "colour", reason: "(at credentialSubject.colour) is not defined by any @context of the document")) {
            try JSONLDProcessor().quads(of: ["@context": ["https://www.w3.org/ns/credentials/v2"],
                                            "type": ["VerifiableCredential"],
                                            "credentialSubject": ["id": "urn:s", "colour": "red"]])
        }
    }
}
