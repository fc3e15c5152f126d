/// An RDF dataset in the form that JSON-LD deserialization writes and RDF canonicalization reads: every IRI and
/// literal written once, as its canonical N-Quads text, into one byte buffer, and every blank node a number. Building
/// one allocates a few growing arrays rather than a string for every term.
///
/// Quads are kept as added, duplicates included; ``NQuads`` describes the text form.
package struct CompactDataset: Sendable {
    /// A term of a quad: an IRI or a literal (a range of ``text``), a blank node (a number), or no graph.
    package struct Term: Hashable, Sendable {
        /// For an IRI or a literal, where its text starts in ``text``; for a blank node, its number.
        package let start: Int32
        /// For an IRI or a literal, the length of its text (more than 0); -1 for a blank node; 0 for the default
        /// graph (as the graph of a quad).
        package let length: Int32

        /// The graph term of a quad in the default graph.
        package static let defaultGraph = Term(start: 0, length: 0)

        @inlinable package var isBlankNode: Bool { length < 0 }
        @inlinable package var isDefaultGraph: Bool { length == 0 }
        /// The blank node's number, for a blank node.
        @inlinable package var blankNode: Int { Int(start) }

        static func blankNode(_ number: Int) -> Term { Term(start: Int32(number), length: -1) }
    }

    /// A statement: subject, predicate, object and graph (``Term/defaultGraph`` for the default graph).
    package struct Quad: Sendable {
        package var subject: Term
        package var predicate: Term
        package var object: Term
        package var graph: Term
    }

    /// The N-Quads text of the IRIs and literals, one after another.
    package private(set) var text: [UInt8] = []
    package private(set) var quads: [Quad] = []
    /// Blank nodes are numbered 0 ..< `blankNodeCount`.
    package private(set) var blankNodeCount = 0

    package init() {
        text.reserveCapacity(8192)
        quads.reserveCapacity(64)
    }

    /// A new blank node.
    package mutating func newBlankNode() -> Term {
        blankNodeCount += 1
        return .blankNode(blankNodeCount - 1)
    }

    /// An IRI (absolute, without angle brackets).
    package mutating func iri(_ iri: String) -> Term {
        let start = text.count
        text.append(0x3C)  // <
        append(iri)
        text.append(0x3E)  // >
        return Term(start: Int32(start), length: Int32(text.count - start))
    }

    /// A term whose N-Quads text (`<…>` or a literal) is `nquads`, written beforehand.
    package mutating func term(nquads: [UInt8]) -> Term {
        let start = text.count
        text += nquads
        return Term(start: Int32(start), length: Int32(nquads.count))
    }

    /// A literal with a datatype IRI (`xsd:string` is left out of the text, as canonical N-Quads does; so is
    /// `rdf:langString` without a language tag, as rdf-canonize and pyld write it).
    package mutating func literal(_ lexicalForm: String, datatype: String) -> Term {
        let start = text.count
        appendQuoted(lexicalForm)
        if datatype != RDFLiteral.xsdString && datatype != RDFLiteral.langString {
            text.append(0x5E)  // ^^<
            text.append(0x5E)
            text.append(0x3C)
            append(datatype)
            text.append(0x3E)
        }
        return Term(start: Int32(start), length: Int32(text.count - start))
    }

    /// A language-tagged string.
    package mutating func literal(_ lexicalForm: String, language: String) -> Term {
        let start = text.count
        appendQuoted(lexicalForm)
        text.append(0x40)  // @
        append(language)
        return Term(start: Int32(start), length: Int32(text.count - start))
    }

    /// Any term of the general data model: blank nodes by a label mapped to a number in `blankNodes`.
    package mutating func term(_ term: RDFTerm, blankNodes: inout [String: Int]) -> Term {
        switch term {
        case .blankNode(let label):
            if let number = blankNodes[label] { return .blankNode(number) }
            let node = newBlankNode()
            blankNodes[label] = node.blankNode
            return node
        case .iri, .literal:
            let start = text.count
            NQuads.append(term, to: &text)
            return Term(start: Int32(start), length: Int32(text.count - start))
        }
    }

    package mutating func add(subject: Term, predicate: Term, object: Term, graph: Term) {
        quads.append(Quad(subject: subject, predicate: predicate, object: object, graph: graph))
    }

    /// The text of an IRI or literal term.
    package func bytes(of term: Term) -> ArraySlice<UInt8> {
        text[Int(term.start)..<Int(term.start + term.length)]
    }

    /// The quads as an N-Quads document in the order they were added, blank node `n` written `_:b`n.
    package func nquads() -> String {
        var lines: [UInt8] = []
        for quad in quads {
            for (index, term) in [quad.subject, quad.predicate, quad.object, quad.graph].enumerated()
            where !term.isDefaultGraph {
                if index > 0 { lines.append(0x20) }
                if term.isBlankNode { lines += Array("_:b\(term.blankNode)".utf8) } else { lines += bytes(of: term) }
            }
            lines += [0x20, 0x2E, 0x0A]  // " .\n"
        }
        return String(decoding: lines, as: UTF8.self)
    }

    /// Appends the UTF-8 of `string` to ``text`` (in one copy, where `text += string.utf8` goes byte by byte).
    private mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { text.append(contentsOf: $0) }
    }

    private mutating func appendQuoted(_ lexicalForm: String) {
        text.append(0x22)
        NQuads.appendEscaped(lexicalForm, to: &text)
        text.append(0x22)
    }
}
