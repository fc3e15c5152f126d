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

    /// The literal a JSON number becomes, through the public API.
    private func literal(_ number: Double) throws -> String {
        let quads = try JSONLDProcessor().quads(of: ["@context": ["n": "urn:n"], "@id": "urn:x", "n": .number(number)])
        guard quads.count == 1, case .literal(let literal) = quads[0].object else { return "(no literal)" }
        return literal.lexicalForm + " " + literal.datatype
    }

    @Test("numbers become the literals jsonld.js and pyld write: exact integers below 10^21, doubles to 16 digits")
    func numbers() throws {
        let xsd = "http://www.w3.org/2001/XMLSchema#"
        #expect(try literal(1_152_921_504_606_846_976) == "1152921504606846976 \(xsd)integer")  // 2^60
        #expect(try literal(9.3e18) == "9300000000000000000 \(xsd)integer")  // above Int64.max
        #expect(try literal(1e20) == "100000000000000000000 \(xsd)integer")
        #expect(try literal(-0.0) == "0 \(xsd)integer")
        #expect(try literal(1e21) == "1.0E21 \(xsd)double")
        #expect(try literal(0.5) == "5.0E-1 \(xsd)double")
        #expect(try literal(1.7976931348623157e308) == "1.797693134862316E308 \(xsd)double")
        #expect(try literal(5e-324) == "4.940656458412465E-324 \(xsd)double")

        // Random finite doubles, against Python's '%1.15E' with pyld's regular expression and str(int(x)).
        var generator = SplitMix64(seed: 21)
        var numbers: [Double] = []
        while numbers.count < 300 {
            let candidate = Double(bitPattern: generator.next())
            if candidate.isFinite { numbers.append(numbers.count % 3 == 0 ? candidate.rounded() : candidate) }
        }
        numbers += (0..<100).map { _ in Double(Int64.random(in: -(1 << 62)...(1 << 62), using: &generator)) }
        // Numbers short in binary, which are rounded in integers rather than by printf: halves to 2^-27ths, large
        // multiples of powers of two, and ties at the 16th digit (2^51 + 1/2, 2^52 - 1/2: half to even).
        numbers += (0..<300).map { _ in
            Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator))
                / Double(1 << Int.random(in: 1...27, using: &generator))
        }
        numbers += (0..<100).map { _ in
            Double(Int64.random(in: 1...(1 << 53), using: &generator)) * Double(1 << Int.random(in: 10...62, using: &generator))
                * 1e10
        }
        numbers += [2_251_799_813_685_248.5, 4_503_599_627_370_495.5, 0.25, 7.5, -2.75, 1.5e30, 3.4e38, 1e22]
        let script = """
            import re, sys
            for line in sys.stdin.read().split():
                v = float.fromhex(line)
                if v.is_integer() and abs(v) < 1e21:
                    print(str(int(v)) + " integer")
                else:
                    print(re.sub(r'(\\d)0*E\\+?(-)?0*(\\d)', r'\\1E\\2\\3', f'{v:1.15E}') + " double")
            """
        let input = numbers.map { hexFloat($0) }.joined(separator: "\n")
        let result = try run(["python3", "-c", script], stdin: Data(input.utf8))
        try #require(result.status == 0, "\(result.errorOutput)")
        let expected = result.output.split(separator: "\n").map(String.init)
        try #require(expected.count == numbers.count)
        for (number, line) in zip(numbers, expected) {
            #expect(try literal(number) == line.replacingOccurrences(of: " ", with: " \(xsd)"), "\(number)")
        }
    }
}

/// The canonical N-Quads of a JSON document given as text.
private func canonical(json text: String) throws -> String {
    try canonical(JSONValue(parsing: Array(text.utf8)))
}

/// The expected N-Quads are pyld's for the same documents (the outputs jsonld.js gives too, where its code was read).
@Suite("JSON-LD to RDF: the cases independent processors agree on")
struct JSONLDToRDFTests {
    @Test("a document that is only @graph stands for its nodes; a node described twice gives its quads once")
    func topLevelGraphAndDuplicates() throws {
        let document = """
            {"@context": {"ex": "https://example.org/"}, "@graph": [{"@id": "urn:a", "ex:p": "v"},
             {"@id": "urn:a", "ex:p": "v", "ex:q": [{"@id": "_:x", "ex:r": "w"}, {"@id": "_:x", "ex:r": "w"}]}]}
            """
        #expect(try canonical(json: document) == """
            <urn:a> <https://example.org/p> "v" .
            <urn:a> <https://example.org/q> _:c14n0 .
            _:c14n0 <https://example.org/r> "w" .

            """)
    }

    @Test("\"_:\" is read by code unit: \"_:\" then a combining mark is still a blank node identifier")
    func blankNodeIdentifierByCodeUnit() throws {
        let document = #"{"@context": {"ex": "https://example.org/"}, "@id": "_:\u0301x", "ex:p": {"@id": "_:\u0301x"}}"#
        #expect(try canonical(json: document) == "_:c14n0 <https://example.org/p> _:c14n0 .\n")
    }

    @Test("type-scoped contexts apply in order: @type keys by name, then each key's types by name; the last wins")
    func typeScopedContextOrder() throws {
        let context = """
            {"@version": 1.1, "ex": "https://example.org/", "t": "@type",
             "A": {"@id": "ex:A", "@context": {"p": "ex:fromA"}}, "B": {"@id": "ex:B", "@context": {"p": "ex:fromB"}}}
            """
        let types = """
            <urn:n> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/A> .
            <urn:n> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/B> .

            """
        #expect(try canonical(json: #"{"@context": \#(context), "@id": "urn:n", "@type": ["B", "A"], "p": "v"}"#)
            == types + "<urn:n> <https://example.org/fromB> \"v\" .\n")
        #expect(try canonical(json: #"{"@context": \#(context), "@id": "urn:n", "t": "A", "@type": "B", "p": "v"}"#)
            == types + "<urn:n> <https://example.org/fromA> \"v\" .\n")
    }

    @Test("value objects: @type is the datatype, @json a JSON literal; an empty language tag and rdf:langString without one are plain strings; -0 is 0.0E0")
    func values() throws {
        let document = """
            {"@context": {"ex": "https://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
                          "d": {"@id": "ex:d", "@type": "xsd:double"}},
             "@id": "urn:a", "ex:date": {"@value": "2020-01-01", "@type": "xsd:date"},
             "ex:json": {"@value": {"b": [1, 2.5], "a": null}, "@type": "@json"},
             "ex:empty": {"@value": "x", "@language": ""},
             "ex:ls": {"@value": "y", "@type": "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}, "d": -0}
            """
        #expect(try canonical(json: document) == """
            <urn:a> <https://example.org/d> "0.0E0"^^<http://www.w3.org/2001/XMLSchema#double> .
            <urn:a> <https://example.org/date> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
            <urn:a> <https://example.org/empty> "x" .
            <urn:a> <https://example.org/json> "{\\"a\\":null,\\"b\\":[1,2.5]}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .
            <urn:a> <https://example.org/ls> "y" .

            """)
        #expect(throws: JSONLDError.self) {
            try canonical(json: #"{"@context": {"ex": "https://example.org/"}, "@id": "urn:a", "ex:p": {"@value": "x", "@type": "ex:t", "@language": "en"}}"#)
        }
    }

    @Test("arrays and set objects inside a list are lists of their own")
    func listsOfLists() throws {
        let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        #expect(try canonical(json: #"{"@context": {"ex": "https://example.org/"}, "@id": "urn:a", "ex:l": {"@list": [[1], {"@set": ["a"]}, []]}}"#) == """
            <urn:a> <https://example.org/l> _:c14n1 .
            _:c14n0 <\(rdf)first> "a" .
            _:c14n0 <\(rdf)rest> <\(rdf)nil> .
            _:c14n1 <\(rdf)first> _:c14n4 .
            _:c14n1 <\(rdf)rest> _:c14n3 .
            _:c14n2 <\(rdf)first> <\(rdf)nil> .
            _:c14n2 <\(rdf)rest> <\(rdf)nil> .
            _:c14n3 <\(rdf)first> _:c14n0 .
            _:c14n3 <\(rdf)rest> _:c14n2 .
            _:c14n4 <\(rdf)first> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
            _:c14n4 <\(rdf)rest> <\(rdf)nil> .

            """)
    }

    @Test("what JSON-LD would leave out of the RDF is data loss: relative IRIs, IRIs with white space, keys that are not absolute IRIs",
          arguments: [
            #"{"@context": {"ex": "https://example.org/"}, "@id": "credentials/1", "ex:p": "v"}"#,
            #"{"@context": {"ex": "https://example.org/", "r": {"@id": "ex:r", "@type": "@id"}}, "@id": "urn:a", "r": "../x"}"#,
            #"{"@context": {"ex": "https://example.org/", "r": {"@id": "ex:r", "@type": "@id"}}, "@id": "urn:a", "r": "https://example.org/a b"}"#,
            #"{"@context": {"ex": "https://example.org/"}, "@id": "urn:a", "@type": "1a:b"}"#,
            #"{"@context": {"ex": "https://example.org/"}, "@id": "urn:a", "1a:b": "v"}"#,
            #"{"@context": {"ex": "https://example.org/"}, "@id": "urn:a", "ex:p": {"@value": "v", "@type": "t:\u0001"}}"#,
          ])
    func droppedIsDataLoss(_ document: String) throws {
        #expect { try canonical(json: document) } throws: { error in
            if case .dataLoss? = error as? JSONLDError { return true }
            return false
        }
    }
}

/// A double in C99 hexadecimal notation, which Python's float.fromhex reads exactly.
private func hexFloat(_ value: Double) -> String {
    let sign = value.sign == .minus ? "-" : ""
    if value == 0 { return sign + "0x0p+0" }
    let exponent = value.isSubnormal ? -1022 : Int(value.exponent)
    let leading = value.isSubnormal ? "0" : "1"
    return sign + "0x" + leading + "." + String(value.significandBitPattern, radix: 16).leftPadded(to: 13) + "p" + String(exponent)
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}

