/// A term of an RDF 1.1 dataset: an IRI, a blank node or a literal (RDF 1.1 Concepts §3).
public enum RDFTerm: Hashable, Sendable {
    /// An absolute IRI, without angle brackets.
    case iri(String)
    /// A blank node, by its label without the `_:` prefix.
    case blankNode(String)
    /// A literal.
    case literal(RDFLiteral)
}

/// An RDF literal: a lexical form with a datatype IRI, and a language tag when the datatype is `rdf:langString`.
public struct RDFLiteral: Hashable, Sendable {
    /// `http://www.w3.org/2001/XMLSchema#string`.
    public static let xsdString = "http://www.w3.org/2001/XMLSchema#string"
    /// `http://www.w3.org/1999/02/22-rdf-syntax-ns#langString`.
    public static let langString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

    /// The lexical form, unescaped.
    public var lexicalForm: String
    /// The datatype IRI.
    public var datatype: String
    /// The language tag, present exactly when ``datatype`` is ``langString``.
    public var language: String?

    /// A literal with a datatype (`xsd:string` by default) and no language tag.
    public init(_ lexicalForm: String, datatype: String = RDFLiteral.xsdString) {
        self.lexicalForm = lexicalForm
        self.datatype = datatype
        self.language = nil
    }

    /// A language-tagged string.
    public init(_ lexicalForm: String, language: String) {
        self.lexicalForm = lexicalForm
        self.datatype = RDFLiteral.langString
        self.language = language
    }
}

/// One statement of an RDF dataset: subject, predicate, object, and the graph it is in (`nil`: the default graph).
public struct RDFQuad: Hashable, Sendable {
    public var subject: RDFTerm
    public var predicate: RDFTerm
    public var object: RDFTerm
    public var graph: RDFTerm?

    public init(subject: RDFTerm, predicate: RDFTerm, object: RDFTerm, graph: RDFTerm? = nil) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.graph = graph
    }
}
