public import CanonicalJSON
#if canImport(Glibc)
import Glibc
#endif
public import RDF

/// JSON-LD 1.1 for Data Integrity: expansion of a document against bundled contexts, with data-loss detection,
/// and its deserialization to RDF (JSON-LD 1.1 Processing Algorithms §13.1, §7.1 Node Map Generation, §8.1
/// Deserialize JSON-LD to RDF). See `spec/json-ld.md` for the subset implemented.
public struct JSONLDProcessor: Sendable {
    private let loader: any ContextLoader

    /// A processor that reads contexts from `loader` (by default the bundled ones only).
    public init(loader: any ContextLoader = BundledContexts()) {
        self.loader = loader
    }

    /// The RDF dataset a JSON-LD document stands for.
    ///
    /// - Throws: ``JSONLDError/dataLoss(term:reason:)`` when a property or type would be dropped because no
    ///   context defines it; ``JSONLDError/unknownContext(_:)`` for a context that is not bundled; other cases for
    ///   documents the algorithms reject or features mcred does not implement.
    public func quads(of document: JSONValue) throws(JSONLDError) -> [RDFQuad] {
        let processor = ContextProcessor(loader: loader)
        let expanded = try Expander(processor: processor).expand(ActiveContext(), property: nil, document, path: "")
        var map = NodeMap()
        map.add(arrayOf(expanded ?? .array([])), graph: "@default", subject: nil, list: nil)
        return map.quads()
    }
}

/// §7.1 Node Map Generation, and §8.1 Deserialize JSON-LD to RDF over its result.
private struct NodeMap {
    enum Item: Equatable {
        case reference(String)
        case value(JSONObject)
        case list([Item])
    }

    final class Node {
        var types: [String] = []
        var properties: [(name: String, items: [Item])] = []

        func add(_ item: Item, to property: String) {
            if let index = properties.firstIndex(where: { $0.name == property }) {
                if case .list = item {
                    properties[index].items.append(item)
                } else if !properties[index].items.contains(item) {
                    properties[index].items.append(item)
                }
            } else {
                properties.append((property, [item]))
            }
        }
    }

    /// Graph name → node id → node, in order of appearance.
    var graphs: [String: [String: Node]] = [:]
    var graphOrder: [String] = []
    var nodeOrder: [String: [String]] = [:]
    var blankNodes: [String: String] = [:]
    var counter = 0

    mutating func blankNode(_ label: String?) -> String {
        if let label, let issued = blankNodes[label] { return issued }
        let issued = "_:b\(counter)"
        counter += 1
        if let label { blankNodes[label] = issued }
        return issued
    }

    mutating func node(_ id: String, graph: String) -> Node {
        if graphs[graph] == nil {
            graphs[graph] = [:]
            graphOrder.append(graph)
        }
        if let node = graphs[graph]![id] { return node }
        let node = Node()
        graphs[graph]![id] = node
        nodeOrder[graph, default: []].append(id)
        return node
    }

    /// Adds expanded elements: as values of `subject`'s property `subject.property`, or, with `list`, as members
    /// collected there instead.
    mutating func add(
        _ elements: [JSONValue], graph: String, subject: (node: Node, property: String)?,
        list: UnsafeMutablePointer<[Item]>?
    ) {
        for element in elements {
            guard case .object(var object) = element else { continue }
            if case .array(let types)? = object["@type"] {
                object["@type"] = .array(types.map { type in
                    guard case .string(let text) = type, text.hasPrefix("_:") else { return type }
                    return .string(blankNode(text))
                })
            }
            if object["@value"] != nil {
                let item = Item.value(object)
                if let list { list.pointee.append(item) } else if let subject { subject.node.add(item, to: subject.property) }
            } else if case .array(let members)? = object["@list"] {
                var items: [Item] = []
                withUnsafeMutablePointer(to: &items) { pointer in
                    add(members, graph: graph, subject: subject, list: pointer)
                }
                if let list {
                    list.pointee.append(.list(items))
                } else if let subject {
                    subject.node.add(.list(items), to: subject.property)
                }
            } else {
                let id: String
                if case .string(let given)? = object["@id"] {
                    id = given.hasPrefix("_:") ? blankNode(given) : given
                } else {
                    id = blankNode(nil)
                }
                let current = node(id, graph: graph)
                if let list { list.pointee.append(.reference(id)) } else if let subject {
                    subject.node.add(.reference(id), to: subject.property)
                }
                if case .array(let types)? = object["@type"] {
                    for case .string(let type) in types where !current.types.contains(type) { current.types.append(type) }
                }
                if case .array(let members)? = object["@graph"] {
                    if graphs[id] == nil {
                        graphs[id] = [:]
                        graphOrder.append(id)
                    }
                    add(members, graph: id, subject: nil, list: nil)
                }
                for member in object.members where !member.key.hasPrefix("@") {
                    let name = member.key.hasPrefix("_:") ? blankNode(member.key) : member.key
                    if !current.properties.contains(where: { $0.name == name }) { current.properties.append((name, [])) }
                    add(arrayOf(member.value), graph: graph, subject: (current, name), list: nil)
                }
            }
        }
    }

    private static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    private static let xsd = "http://www.w3.org/2001/XMLSchema#"
    private static let rdfType = RDFTerm.iri(rdf + "type"), rdfFirst = RDFTerm.iri(rdf + "first")
    private static let rdfRest = RDFTerm.iri(rdf + "rest"), rdfNil = RDFTerm.iri(rdf + "nil")
    private static let rdfJSON = rdf + "JSON", xsdBoolean = xsd + "boolean", xsdInteger = xsd + "integer"
    private static let xsdDouble = xsd + "double", xsdString = xsd + "string"

    /// §8.1: relative IRIs are left out; blank node properties are left out (no generalized RDF).
    mutating func quads() -> [RDFQuad] {
        var quads: [RDFQuad] = []
        for graph in graphOrder.sorted() {
            guard graph == "@default" || graph.hasPrefix("_:") || isAbsoluteIRI(graph) else { continue }
            let graphTerm: RDFTerm? = graph == "@default" ? nil : term(graph)
            for subject in (nodeOrder[graph] ?? []).sorted() {
                guard let subjectTerm = resource(subject), let node = graphs[graph]?[subject] else { continue }
                for type in node.types {
                    guard let object = resource(type) else { continue }
                    quads.append(RDFQuad(subject: subjectTerm, predicate: Self.rdfType, object: object,
                                         graph: graphTerm))
                }
                for (property, items) in node.properties where isAbsoluteIRI(property) && !property.hasPrefix("_:") {
                    for item in items {
                        var listQuads: [RDFQuad] = []
                        guard let object = objectTerm(item, graph: graphTerm, extra: &listQuads) else { continue }
                        quads.append(RDFQuad(subject: subjectTerm, predicate: .iri(property), object: object, graph: graphTerm))
                        quads += listQuads
                    }
                }
            }
        }
        return quads
    }

    private func term(_ id: String) -> RDFTerm {
        id.hasPrefix("_:") ? .blankNode(String(id.dropFirst(2))) : .iri(id)
    }

    private func resource(_ id: String) -> RDFTerm? {
        id.hasPrefix("_:") || isAbsoluteIRI(id) ? term(id) : nil
    }

    /// §8.2 Object to RDF, and §8.3 List to RDF.
    private mutating func objectTerm(_ item: Item, graph: RDFTerm?, extra: inout [RDFQuad]) -> RDFTerm? {
        switch item {
        case .reference(let id):
            return resource(id)
        case .list(let members):
            guard !members.isEmpty else { return Self.rdfNil }
            let nodes = members.map { _ in blankNode(nil) }
            for (index, member) in members.enumerated() {
                let subject = term(nodes[index])
                var nested: [RDFQuad] = []
                if let object = objectTerm(member, graph: graph, extra: &nested) {
                    extra.append(RDFQuad(subject: subject, predicate: Self.rdfFirst, object: object, graph: graph))
                }
                extra += nested
                let rest: RDFTerm = index + 1 < nodes.count ? term(nodes[index + 1]) : Self.rdfNil
                extra.append(RDFQuad(subject: subject, predicate: Self.rdfRest, object: rest, graph: graph))
            }
            return term(nodes[0])
        case .value(let object):
            let value = object["@value"]!
            let type = object["@type"]?.stringValue
            if let type, type != "@json", !isAbsoluteIRI(type) { return nil }
            if type == "@json" {
                return .literal(RDFLiteral(String(decoding: value.canonicalBytes(), as: UTF8.self),
                                           datatype: Self.rdfJSON))
            }
            switch value {
            case .bool(let flag):
                return .literal(RDFLiteral(flag ? "true" : "false", datatype: type ?? Self.xsdBoolean))
            case .number(let number):
                if number.rounded() == number && abs(number) < 1e21 && type != Self.xsdDouble {
                    return .literal(RDFLiteral(Self.integerString(number), datatype: type ?? Self.xsdInteger))
                }
                return .literal(RDFLiteral(Self.canonicalDouble(number), datatype: type ?? Self.xsdDouble))
            case .string(let text):
                if let language = object["@language"]?.stringValue { return .literal(RDFLiteral(text, language: language)) }
                return .literal(RDFLiteral(text, datatype: type ?? Self.xsdString))
            default:
                return nil
            }
        }
    }

    /// The decimal integer an integral number below 10^21 in magnitude is exactly equal to, as jsonld.js
    /// (`toFixed(0)`) and pyld (`str(int(value))`) write it: 2^60 is 1152921504606846976, not ECMAScript's
    /// shortest 1152921504606847000; -0 is 0.
    static func integerString(_ number: Double) -> String {
        let magnitude = UInt128(number.magnitude)  // exact: the number is integral and below 2^70
        return (number < 0 && magnitude != 0 ? "-" : "") + String(magnitude)
    }

    /// The canonical xsd:double form as the JSON-LD processors write it (jsonld.js `toExponential(15)`, pyld
    /// `'%1.15E'`): the value rounded to 16 significant digits, trailing zeros of the fraction removed but one,
    /// `E`, the exponent without `+` or leading zeros: `1.1E0`, `5.0E-1`, `1.797693134862316E308`.
    static func canonicalDouble(_ number: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 48)
        _ = withVaList([number]) { vsnprintf(&buffer, buffer.count, "%1.15E", $0) }
        let printed = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let parts = printed.split(separator: "E")
        var mantissa = String(parts[0])
        while mantissa.hasSuffix("0") && !mantissa.hasSuffix(".0") { mantissa.removeLast() }
        let exponent = parts[1]
        let digits = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
        return mantissa + "E" + (exponent.hasPrefix("-") ? "-" : "") + (digits.isEmpty ? "0" : String(digits))
    }
}
