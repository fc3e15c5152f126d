import Foundation
import RDF
import RDFCanonicalization
import TestSupport
import Testing

/// One test of the W3C RDF Dataset Canonicalization test suite (`tests/manifest.csv`).
struct CanonTest: Sendable, CustomTestStringConvertible {
    let id: String
    let name: String
    /// `TRUE` (evaluation), or `RDFC10NegativeEvalTest`.
    let kind: String
    let hashAlgorithm: String
    let hasMap: Bool

    var testDescription: String { "\(id) \(name)" }

    static let all: [CanonTest] = {
        guard let text = try? Vectors.text("w3c-rdf-canon/tests/manifest.csv") else { return [] }
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            // test,name,comment,complexity,approval,hashAlgorithm,rdfc10,rdfc10map — names may be quoted.
            var fields: [String] = []
            var field = ""
            var quoted = false
            for character in line {
                if character == "\"" { quoted.toggle() } else if character == "," && !quoted {
                    fields.append(field)
                    field = ""
                } else { field.append(character) }
            }
            fields.append(field)
            return CanonTest(id: fields[0], name: fields[1], kind: fields[6], hashAlgorithm: fields[5],
                             hasMap: fields[7] == "TRUE")
        }
    }()
}

private func input(_ test: CanonTest) throws -> [RDFQuad] {
    try NQuads.parse(Vectors.text("w3c-rdf-canon/tests/rdfc10/\(test.id)-in.nq"))
}

@Suite("RDF Dataset Canonicalization (RDFC-1.0)")
struct RDFCanonicalizationTests {
    @Test("the W3C test suite manifest lists the tests")
    func manifest() {
        #expect(CanonTest.all.count == 65)
        #expect(CanonTest.all.contains { $0.kind == "RDFC10NegativeEvalTest" })
    }

    @Test("every W3C evaluation test gives the expected canonical N-Quads byte for byte, and its map",
          arguments: CanonTest.all.filter { $0.kind == "TRUE" })
    func evaluation(_ test: CanonTest) throws {
        let canonicalizer = RDFCanonicalizer(hashAlgorithm: test.hashAlgorithm == "SHA384" ? .sha384 : .sha256)
        let result = try canonicalizer.canonicalize(try input(test))
        #expect(result.canonicalNQuads == (try Vectors.text("w3c-rdf-canon/tests/rdfc10/\(test.id)-rdfc10.nq")))
        if test.hasMap {
            let expected = try #require(try JSONSerialization.jsonObject(
                with: Vectors.data("w3c-rdf-canon/tests/rdfc10/\(test.id)-rdfc10map.json")) as? [String: String])
            #expect(result.issuedIdentifiers == expected)
        }
    }

    @Test("the W3C negative (poison graph) tests are refused by the work limit",
          arguments: CanonTest.all.filter { $0.kind == "RDFC10NegativeEvalTest" })
    func poison(_ test: CanonTest) throws {
        let quads = try input(test)
        #expect(throws: RDFCanonicalizationError.self) { try RDFCanonicalizer().canonicalize(quads) }
    }

    @Test("shuffling the quads and renaming the blank nodes does not change the canonical form",
          arguments: ["test020", "test024", "test044", "test053"])
    func isomorphism(_ id: String) throws {
        let test = try #require(CanonTest.all.first { $0.id == id })
        let quads = try input(test)
        let expected = try RDFCanonicalizer().canonicalize(quads).canonicalNQuads
        var generator = SplitMix64(seed: UInt64(id.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        for round in 0..<5 {
            func rename(_ term: RDFTerm) -> RDFTerm {
                if case .blankNode(let label) = term { return .blankNode("r\(round)x\(label)") }
                return term
            }
            let renamed = quads.shuffled(using: &generator).map {
                RDFQuad(subject: rename($0.subject), predicate: $0.predicate, object: rename($0.object),
                        graph: $0.graph.map(rename))
            }
            #expect(try RDFCanonicalizer().canonicalize(renamed).canonicalNQuads == expected)
        }
    }

    @Test("N-Quads: escapes are read and written in canonical form; malformed lines name their line")
    func nquads() throws {
        let quads = try NQuads.parse("""
            # a comment
            <urn:s> <urn:p> "a\\u0009b\\\\c\\"d\\u0001\\U0001F303" .
            _:x <urn:p> "chat"@fr <urn:g> .

            <urn:s> <urn:p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .
            """)
        #expect(quads.count == 3)
        #expect(NQuads.line(quads[0]) == "<urn:s> <urn:p> \"a\\tb\\\\c\\\"d\\u0001🌃\" .\n")
        #expect(NQuads.line(quads[1]) == "_:x <urn:p> \"chat\"@fr <urn:g> .\n")
        #expect(NQuads.line(quads[2]) == "<urn:s> <urn:p> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
        #expect {
            try NQuads.parse("<urn:s> <urn:p> <urn:o> .\n<urn:s> \"p\" <urn:o> .")
        } throws: { error in
            (error as? NQuads.ParseError)?.description == "line 2: the predicate must be an IRI"
        }
    }
}

@Suite("RDFC-1.0 work limits")
struct RDFCanonicalizationLimitTests {
    @Test("a ring of 300 indistinguishable blank nodes is refused by a limit, not by exhausting the stack")
    func ring() {
        let count = 300
        let quads = (0..<count).map { index in
            RDFQuad(subject: .blankNode("n\(index)"), predicate: .iri("urn:p"), object: .blankNode("n\((index + 1) % count)"))
        }
        #expect(throws: RDFCanonicalizationError.self) { try RDFCanonicalizer().canonicalize(quads) }
    }

    @Test("a work factor of 0 refuses any dataset that needs Hash N-Degree Quads, and a dataset that does not passes")
    func workFactorZero() throws {
        let ring = (0..<3).map { RDFQuad(subject: .blankNode("n\($0)"), predicate: .iri("urn:p"), object: .blankNode("n\(($0 + 1) % 3)")) }
        #expect(throws: RDFCanonicalizationError.self) { try RDFCanonicalizer(workFactor: 0).canonicalize(ring) }
        let distinct = [RDFQuad(subject: .blankNode("x"), predicate: .iri("urn:p"), object: .literal(RDFLiteral("a")))]
        #expect(try RDFCanonicalizer(workFactor: 0).canonicalize(distinct).canonicalNQuads == "_:c14n0 <urn:p> \"a\" .\n")
    }

    @Test("canonical N-Quads keep canonically equivalent but different literals apart, in code point order")
    func unicodeEquivalentLiterals() {
        let precomposed = RDFQuad(subject: .iri("urn:s"), predicate: .iri("urn:p"), object: .literal(RDFLiteral("caf\u{E9}")))
        let decomposed = RDFQuad(subject: .iri("urn:s"), predicate: .iri("urn:p"), object: .literal(RDFLiteral("cafe\u{301}")))
        let document = NQuads.canonicalDocument([precomposed, decomposed, precomposed])
        // "e" + U+0301 sorts before U+00E9 in code point order; Swift's `<` on strings would call them equal.
        #expect(Array(document.utf8) == Array((NQuads.line(decomposed) + NQuads.line(precomposed)).utf8))
    }
}

