import CanonicalJSON
import RDF

/// §13.1 Expansion, §7.1 Node Map Generation and §8.1 Deserialize JSON-LD to RDF in one walk over the compacted
/// document: each node object's quads are written to the dataset as the node is expanded, without building the
/// expanded document or the node map. (The dataset is a set and RDF canonicalization relabels blank nodes, so the
/// order of quads and the numbering of blank nodes do not matter; canonicalization removes duplicate quads.)
///
/// With data-loss detection: where the algorithm would drop a property or a type because no context defines it,
/// the document is refused instead (VC Data Integrity §2.4, Digital Bazaar's "safe mode").
struct Expander {
    typealias Term = CompactDataset.Term

    let processor: ContextProcessor
    var dataset = CompactDataset()
    /// Blank node identifiers in the document (`_:x`) and the blank nodes they stand for.
    private var blankNodes: [String: Term] = [:]
    /// `rdf:type` in the dataset, once it is written.
    private var rdfTypeTerm: Term?

    init(processor: ContextProcessor) {
        self.processor = processor
    }

    /// What an element expands to, as its parent uses it: a node, node reference or value, or a list.
    enum Item {
        case term(Term)
        case list([Item])
    }

    /// Where the items of an element go.
    enum Destination {
        /// Objects of `subject predicate` in `graph`.
        case objects(subject: Term, predicate: Term, graph: Term)
        /// Each item in a graph of its own, named by a new blank node that is the object of `subject predicate`
        /// (a `@graph` container).
        case graphs(subject: Term, predicate: Term, graph: Term)
        /// The top level of `graph` (the document, or a `@graph` member): values and references are dropped.
        case nodes(graph: Term)
        /// Members of the list being collected, whose nodes are in `graph`.
        case list(graph: Term)
    }

    /// Expands the document and writes its quads (the JSON-LD API's `toRdf`).
    mutating func document(_ document: JSONValue) throws(JSONLDError) {
        var none: [Item] = []
        if case .object(let object) = document {
            _ = try expandObject(ActiveContext(), property: nil, definition: nil, object, to: .nodes(graph: .defaultGraph),
                                 list: &none, isDocument: true, path: "")
        } else {
            _ = try expand(ActiveContext(), property: nil, definition: nil, document, to: .nodes(graph: .defaultGraph),
                           list: &none, path: "")
        }
    }

    /// Expands `element`, the value of `property` (whose term definition in `active` is `definition`), sending its
    /// items to `destination` (or to `list` for ``Destination/list(graph:)``).
    ///
    /// - Returns: false when the element expands to nothing (JSON-LD's null), so a list container leaves it out.
    /// - Parameter path: where `element` is in the document, for messages; worked out only when one is needed.
    @discardableResult
    private mutating func expand(
        _ active: ActiveContext, property: String?, definition: TermDefinition?, _ element: JSONValue,
        to destination: Destination, list: inout [Item], path: @autoclosure () -> String
    ) throws(JSONLDError) -> Bool {
        switch element {
        case .null:
            return false
        case .bool, .number, .string:
            guard let property, property != "@graph" else {
                throw .dataLoss(term: path(), reason: "is a value outside any property")
            }
            let destination = openGraph(destination)
            let item: Item
            if let scoped = definition, scoped.hasContext {
                let active = try processor.process(active, scoped.context ?? .null, overrideProtected: true,
                                                   scopedBy: scoped)
                item = try expandValue(active, definition: active.definition(of: property), element, path: path())
            } else {
                item = try expandValue(active, definition: definition, element, path: path())
            }
            deliver(item, to: destination, list: &list)
            return true
        case .array(let items):
            // In a list, an array (or a set object) is a list of its own: JSON-LD 1.1 lists of lists, as jsonld.js
            // and pyld expand them.
            let isInList = if case .list = destination { true } else { false }
            for (index, item) in items.enumerated() {
                if isInList && isArrayOrSet(item, in: active) {
                    var members: [Item] = []
                    try expand(active, property: property, definition: definition, item, to: destination,
                               list: &members, path: path() + "[\(index)]")
                    list.append(.list(members))
                } else {
                    try expand(active, property: property, definition: definition, item, to: destination, list: &list,
                               path: path() + "[\(index)]")
                }
            }
            return true
        case .object(let object):
            return try expandObject(active, property: property, definition: definition, object, to: destination,
                                    list: &list, isDocument: false, path: path())
        }
    }

    /// ``expand(_:property:definition:_:to:list:path:)`` with the definition of `property` looked up in `active`.
    @discardableResult
    private mutating func expand(
        _ active: ActiveContext, property: String?, _ element: JSONValue, to destination: Destination,
        list: inout [Item], path: @autoclosure () -> String
    ) throws(JSONLDError) -> Bool {
        try expand(active, property: property, definition: property.flatMap { active.definition(of: $0) }, element,
                   to: destination, list: &list, path: path())
    }

    private mutating func expandObject(
        _ given: ActiveContext, property: String?, definition: TermDefinition?, _ element: JSONObject,
        to destination: Destination, list: inout [Item], isDocument: Bool, path: @autoclosure () -> String
    ) throws(JSONLDError) -> Bool {
        var active = given
        // Step 7: a non-propagated (type-scoped) context does not reach nested node objects.
        if let previous = active.previous {
            let isValueObject = element.members.contains { active.keyword($0.key) == .value }
            let isReference = element.members.count == 1 && active.keyword(element.members[0].key) == .id
            if !isValueObject && !isReference { active = previous.context }
        }
        if property != nil, let definition, definition.hasContext {  // a property-scoped context
            active = try processor.process(active, definition.context ?? .null, overrideProtected: true,
                                           scopedBy: definition)
        }
        if let context = element["@context"] { active = try processor.process(active, context) }
        // Step 11: the type-scoped contexts of the types, keys and values each in lexicographic order.
        let typeScoped = active
        var typeMembers = element.members.indices.lazy.filter { typeScoped.keyword(element.members[$0].key) == .type }
            .makeIterator()
        if let first = typeMembers.next() {
            if let second = typeMembers.next() {  // @type and its aliases, in order
                let all = [first, second] + IteratorSequence(typeMembers)
                for member in all.sorted(by: { utf8Precedes(element.members[$0].key, element.members[$1].key) }) {
                    try applyTypeScopedContexts(element.members[member].value, typeScoped: typeScoped, to: &active)
                }
            } else {
                try applyTypeScopedContexts(element.members[first].value, typeScoped: typeScoped, to: &active)
            }
        }

        // What each member's key expands to (IRI expansion with vocab, §5.2.2, reading its definition once; keywords
        // and their look-alikes are never terms, so a definition is the key's meaning), and so what kind of object
        // this is.
        var keys: [Key] = []
        keys.reserveCapacity(element.count)
        var kinds = KeywordSet()
        for (index, member) in element.members.enumerated() where member.key != "@context" {
            let definition = active.definition(of: member.key)
            let expanded = if let definition { definition.iri } else {
                try processor.expandIRI(member.key, active: active, vocab: true)
            }
            let keyword = expanded.flatMap(KeywordSet.init(keyword:))
            if let keyword { kinds.formUnion(keyword) }
            keys.append(Key(member: index, definition: definition, expanded: expanded,
                            keyword: keyword))
        }
        func memberPath(_ key: String) -> String {
            let parent = path()
            return parent.isEmpty ? key : parent + "." + key
        }
        /// The expanded property of a key; undefined ones are data loss.
        func checked(_ key: Key) throws(JSONLDError) -> String {
            if let definition = key.definition, definition.predicate != nil { return definition.iri! }  // absolute
            guard let expanded = key.expanded, key.keyword != nil || expanded.utf8.contains(0x3A) else {
                throw .dataLoss(term: element.name(key), reason: "(at \(memberPath(element.name(key)))) is not defined by any @context of the document")
            }
            return expanded
        }

        if kinds.contains(.value) {
            return try valueObject(keys, of: element, typeScoped: typeScoped, to: destination, list: &list,
                                   checked: checked, path: path())
        }
        if kinds.contains(.list) || kinds.contains(.set) {
            var content: JSONValue?
            for key in keys {
                _ = try checked(key)
                switch key.keyword {
                case KeywordSet.list?, KeywordSet.set?:
                    guard content == nil else {
                        throw .invalid(code: "invalid set or list object", detail: "at \(path())")
                    }
                    content = element.value(key)
                case KeywordSet.index?:
                    guard case .string = element.value(key) else {
                        throw .invalid(code: "invalid @index value", detail: "at \(memberPath(element.name(key)))")
                    }
                default:
                    throw .invalid(code: "invalid set or list object", detail: "at \(path())")
                }
            }
            if kinds.contains(.set) {
                return try expand(active, property: property, content ?? .null, to: destination, list: &list,
                                  path: path())
            }
            // A list outside any property is dropped, content and all (§13.1 step 13.4.11.1).
            guard let property, property != "@graph" else { return false }
            let destination = openGraph(destination)
            var members: [Item] = []
            try expand(active, property: property, content ?? .null, to: .list(graph: graph(of: destination)),
                       list: &members, path: path())
            deliver(.list(members), to: destination, list: &list)
            return true
        }
        if keys.count == 1 && kinds == .language {
            guard case .string = element.value(keys[0]) else {
                throw .invalid(code: "invalid language-tagged string", detail: "at \(memberPath(element.name(keys[0])))")
            }
            return false
        }
        // The JSON-LD API's expand() (§9.1 step 8.2): a document that is an object with only @graph stands for the
        // nodes in it.
        if isDocument, !keys.isEmpty, keys.allSatisfy({ $0.keyword == .graph }) {
            guard keys.count == 1 else {
                throw .invalid(code: "colliding keywords", detail: "@graph given twice at the top level")
            }
            try expand(active, property: "@graph", element.value(keys[0]), to: destination, list: &list,
                       path: memberPath(element.name(keys[0])))
            return true
        }
        return try nodeObject(keys, of: element, active: active, typeScoped: typeScoped, to: destination, list: &list,
                              checked: checked, memberPath: memberPath, path: path())
    }

    /// A member of an object being expanded, with what its key expands to.
    fileprivate struct Key {
        /// Its position in the object's members.
        let member: Int
        let definition: TermDefinition?
        /// The expanded key; nil when IRI expansion gives null.
        let expanded: String?
        /// The keyword the key expands to, if it is one.
        let keyword: KeywordSet?
    }

    /// A node object: its types and properties become quads with the node as subject, in its graph.
    private mutating func nodeObject(
        _ keys: [Key], of element: JSONObject, active: ActiveContext, typeScoped: ActiveContext, to destination: Destination,
        list: inout [Item], checked: (Key) throws(JSONLDError) -> String, memberPath: (String) -> String,
        path: @autoclosure () -> String
    ) throws(JSONLDError) -> Bool {
        let destination = openGraph(destination)
        let graph = graph(of: destination)
        let subject: Term
        var seen = KeywordSet()
        let idKey = keys.first { $0.keyword == .id }
        guard keys.lazy.filter({ $0.keyword == .id }).count <= 1 else {
            throw .invalid(code: "colliding keywords", detail: "@id given twice at \(path())")
        }
        if let key = idKey {
            guard case .string(let id) = element.value(key) else {
                throw .invalid(code: "invalid @id value", detail: "at \(memberPath(element.name(key)))")
            }
            if let iri = try processor.expandIRI(id, active: active, documentRelative: true) {
                subject = try resource(iri, path: memberPath(element.name(key)))
            } else {
                subject = dataset.newBlankNode()
            }
        } else {
            subject = dataset.newBlankNode()
        }
        deliver(.term(subject), to: destination, list: &list)

        for key in keys {
            let expandedProperty = try checked(key)
            if let keyword = key.keyword {
                if keyword != .type {
                    guard !seen.contains(keyword) else {
                        throw .invalid(code: "colliding keywords", detail: "\(expandedProperty) given twice at \(path())")
                    }
                    seen.formUnion(keyword)
                }
                switch keyword {
                case .id:
                    break
                case .type:
                    if case .array(let values) = element.value(key) {
                        for value in values {
                            try addType(value, of: subject, in: graph, active: typeScoped, path: memberPath(element.name(key)))
                        }
                    } else {
                        try addType(element.value(key), of: subject, in: graph, active: typeScoped,
                                    path: memberPath(element.name(key)))
                    }
                case .graph:
                    var none: [Item] = []
                    try expand(active, property: "@graph", element.value(key), to: .nodes(graph: subject), list: &none,
                               path: memberPath(element.name(key)))
                case .language:
                    guard case .string = element.value(key) else {
                        throw .invalid(code: "invalid language-tagged string", detail: "at \(memberPath(element.name(key)))")
                    }
                case .index:
                    guard case .string = element.value(key) else {
                        throw .invalid(code: "invalid @index value", detail: "at \(memberPath(element.name(key)))")
                    }
                default:
                    throw .unsupported("\(expandedProperty) in a document (at \(memberPath(element.name(key))))")
                }
                continue
            }
            // §8.1: blank node properties and relative IRIs are left out (no generalized RDF); their values are
            // still expanded.
            let predicate: Term
            if let text = key.definition?.predicate {
                predicate = dataset.term(nquads: text)
            } else {
                guard isAbsoluteIRI(expandedProperty) else {
                    throw .dataLoss(term: element.name(key), reason: "(at \(memberPath(element.name(key)))) expands to \(expandedProperty), "
                        + "which is not an absolute IRI, so JSON-LD leaves it out of the RDF")
                }
                predicate = dataset.iri(expandedProperty)
            }
            let container = key.definition?.container ?? []
            let target: Destination = container.contains(.graph)
                ? .graphs(subject: subject, predicate: predicate, graph: graph)
                : .objects(subject: subject, predicate: predicate, graph: graph)
            var none: [Item] = []
            if key.definition?.typeMapping == "@json" {
                let literal = Item.term(try literal(element.value(key), datatype: "@json", language: nil,
                                                    path: memberPath(element.name(key))))
                deliver(container.contains(.list) ? .list([literal]) : literal, to: openGraph(target), list: &none)
            } else if container.contains(.list) && !isListObject(element.value(key), in: active) {
                var members: [Item] = []
                if try expand(active, property: element.name(key), definition: key.definition, element.value(key), to: .list(graph: graph),
                              list: &members, path: memberPath(element.name(key))) {
                    deliver(.list(members), to: target, list: &none)
                }
            } else {
                try expand(active, property: element.name(key), definition: key.definition, element.value(key), to: target, list: &none,
                           path: memberPath(element.name(key)))
            }
        }
        return true
    }

    /// A value object (§13.1 step 15): a literal.
    private mutating func valueObject(
        _ keys: [Key], of element: JSONObject, typeScoped: ActiveContext, to destination: Destination,
        list: inout [Item], checked: (Key) throws(JSONLDError) -> String, path: @autoclosure () -> String
    ) throws(JSONLDError) -> Bool {
        var value: JSONValue?
        var type: String?
        var language: String?
        var seen = KeywordSet()
        for key in keys {
            let expandedProperty = try checked(key)
            guard let keyword = key.keyword, KeywordSet.valueObjectMembers.contains(keyword) else {
                throw .invalid(code: "invalid value object", detail: "at \(path())")
            }
            guard !seen.contains(keyword) else {
                throw .invalid(code: "colliding keywords", detail: "\(expandedProperty) given twice at \(path())")
            }
            seen.formUnion(keyword)
            switch keyword {
            case .value:
                value = element.value(key)
            case .type:
                // The one keyword a value's type may be: @json (a JSON literal).
                let isJSON = if case .string(let text) = element.value(key) {
                    (try processor.expandIRI(text, active: typeScoped, vocab: true)) == "@json"
                } else { false }
                type = isJSON ? "@json" : try expandType(element.value(key), active: typeScoped, path: path())
            case .language:
                guard case .string(let tag) = element.value(key) else {
                    throw .invalid(code: "invalid language-tagged string", detail: "at \(path())")
                }
                language = tag.lowercased()
            default:  // @index
                guard case .string = element.value(key) else { throw .invalid(code: "invalid @index value", detail: "at \(path())") }
            }
        }
        if type != "@json" {
            switch value {
            case .array?, .object?: throw .invalid(code: "invalid value object value", detail: "at \(path())")
            default: break
            }
            guard let value, value != .null else { return false }
        }
        guard let value else { return false }
        if language != nil {
            guard type == nil else {
                throw .invalid(code: "invalid value object", detail: "@type and @language together at \(path())")
            }
            guard case .string = value else {
                throw .invalid(code: "invalid language-tagged value", detail: "at \(path())")
            }
        }
        if case .nodes = destination { return false }  // a value outside any property is dropped
        let destination = openGraph(destination)
        deliver(.term(try literal(value, datatype: type, language: language, path: path())), to: destination, list: &list)
        return true
    }

    /// The quad `subject rdf:type type` for a `@type` value.
    private mutating func addType(
        _ value: JSONValue, of subject: Term, in graph: Term, active: ActiveContext, path: @autoclosure () -> String
    ) throws(JSONLDError) {
        let object: Term
        if case .string(let type) = value, let text = active.definition(of: type)?.predicate {
            object = dataset.term(nquads: text)  // what expandType and resource give for a defined type
        } else {
            object = try resource(try expandType(value, active: active, path: path()), path: path())
        }
        if rdfTypeTerm == nil { rdfTypeTerm = dataset.iri(Self.rdfType) }
        dataset.add(subject: subject, predicate: rdfTypeTerm!, object: object, graph: graph)
    }

    /// Applies to `active` the type-scoped contexts of the types in `value` (a `@type` value: a string or an array),
    /// in lexicographic (code point) order, as `typeScoped` defines them (§13.1 step 11).
    private func applyTypeScopedContexts(
        _ value: JSONValue, typeScoped: ActiveContext, to active: inout ActiveContext
    ) throws(JSONLDError) {
        func apply(_ type: String) throws(JSONLDError) {
            if let definition = typeScoped.definition(of: type), definition.hasContext {
                active = try processor.process(active, definition.context ?? .null, propagate: false,
                                               scopedBy: definition)
            }
        }
        switch value {
        case .string(let type):
            try apply(type)
        case .array(let items) where items.count == 1:
            if case .string(let type) = items[0] { try apply(type) }
        case .array(let items):
            for type in items.compactMap(\.stringValue).sorted(by: utf8Precedes) { try apply(type) }
        default:
            break
        }
    }

    /// A `@type` value, expanded: an undefined type is data loss.
    private func expandType(
        _ value: JSONValue, active: ActiveContext, path: @autoclosure () -> String
    ) throws(JSONLDError) -> String {
        guard case .string(let type) = value else { throw .invalid(code: "invalid type value", detail: "at \(path())") }
        guard let expanded = try processor.expandIRI(type, active: active, vocab: true, documentRelative: true),
              expanded.contains(":")
        else { throw .dataLoss(term: type, reason: "(a type at \(path())) is not defined by any @context of the document") }
        return expanded
    }

    /// Whether `value` is an array or a set object (an object with a key that expands to `@set`).
    private func isArrayOrSet(_ value: JSONValue, in active: ActiveContext) -> Bool {
        switch value {
        case .array: true
        case .object(let object): object.members.contains { active.keyword($0.key) == .set }
        default: false
        }
    }

    /// Whether `value` is a list object (an object with a key that expands to `@list`).
    private func isListObject(_ value: JSONValue, in active: ActiveContext) -> Bool {
        guard case .object(let object) = value else { return false }
        return object.members.contains { active.keyword($0.key) == .list }
    }

    /// §5.3.2 Value Expansion, to an RDF term.
    private mutating func expandValue(
        _ active: ActiveContext, definition: TermDefinition?, _ value: JSONValue, path: @autoclosure () -> String
    ) throws(JSONLDError) -> Item {
        if case .string(let text) = value, let type = definition?.typeMapping, type == "@id" || type == "@vocab" {
            let iri = (try? processor.expandIRI(text, active: active, vocab: type == "@vocab", documentRelative: true)) ?? nil
            guard let iri else { return .term(dataset.newBlankNode()) }
            return .term(try resource(iri, path: path()))
        }
        if let type = definition?.typeMapping, type != "@id" && type != "@vocab" && type != "@none" {
            return .term(try literal(value, datatype: type, language: nil, path: path()))
        }
        var language: String?
        if case .string = value {
            let mapped: JSONValue? = definition?.language ?? active.defaultLanguage.map(JSONValue.string)
            if case .string(let tag)? = mapped { language = tag }
        }
        return .term(try literal(value, datatype: nil, language: language, path: path()))
    }

    // MARK: - Quads

    /// For a `@graph` container: a new graph for the item about to be expanded, named by a blank node that is the
    /// object of the container's subject and predicate; the item goes to the top level of that graph.
    private mutating func openGraph(_ destination: Destination) -> Destination {
        guard case .graphs(let subject, let predicate, let graph) = destination else { return destination }
        let name = dataset.newBlankNode()
        dataset.add(subject: subject, predicate: predicate, object: name, graph: graph)
        return .nodes(graph: name)
    }

    private func graph(of destination: Destination) -> Term {
        switch destination {
        case .objects(_, _, let graph), .graphs(_, _, let graph), .nodes(let graph), .list(let graph): graph
        }
    }

    /// Sends an item where it goes: a quad with it as object, a list member, or nowhere.
    private mutating func deliver(_ item: Item, to destination: Destination, list: inout [Item]) {
        switch destination {
        case .objects(let subject, let predicate, let graph):
            dataset.add(subject: subject, predicate: predicate, object: term(of: item, graph: graph), graph: graph)
        case .list:
            list.append(item)
        case .nodes, .graphs:
            break
        }
    }

    /// §8.3 List to RDF: a list's first node (its quads written to `graph`), or `rdf:nil`.
    private mutating func term(of item: Item, graph: Term) -> Term {
        let members: [Item]
        switch item {
        case .term(let term): return term
        case .list(let list): members = list
        }
        guard !members.isEmpty else { return dataset.iri(Self.rdfNil) }
        let nodes = members.map { _ in dataset.newBlankNode() }
        for (index, member) in members.enumerated() {
            dataset.add(subject: nodes[index], predicate: dataset.iri(Self.rdfFirst), object: term(of: member, graph: graph),
                        graph: graph)
            let rest = index + 1 < nodes.count ? nodes[index + 1] : dataset.iri(Self.rdfNil)
            dataset.add(subject: nodes[index], predicate: dataset.iri(Self.rdfRest), object: rest, graph: graph)
        }
        return nodes[0]
    }

    /// The term of a node identifier: a blank node or an absolute IRI. Anything else — a relative IRI reference
    /// (documents have no base IRI), an IRI with white space — would be left out of the RDF (§8.1, as jsonld.js and
    /// pyld do), so it is data loss (what jsonld.js's safe mode reports as a relative reference).
    private mutating func resource(_ id: String, path: @autoclosure () -> String) throws(JSONLDError) -> Term {
        if id.utf8.starts(with: "_:".utf8), !containsWhitespace(id) {  // by code unit: "_:" then a combining mark is one
            if let node = blankNodes[id] { return node }
            let node = dataset.newBlankNode()
            blankNodes[id] = node
            return node
        }
        guard isAbsoluteIRI(id) else {
            throw .dataLoss(term: id, reason: "(at \(path())) is not an absolute IRI, so JSON-LD leaves it out of the RDF")
        }
        return dataset.iri(id)
    }

    /// §8.2 Object to RDF for a value. A datatype that is not an absolute IRI would leave the value out: data loss.
    /// An empty language tag is none (as jsonld.js and pyld write it).
    private mutating func literal(
        _ value: JSONValue, datatype type: String?, language: String?, path: @autoclosure () -> String
    ) throws(JSONLDError) -> Term {
        if type == "@json" {
            return dataset.literal(String(decoding: value.canonicalBytes(), as: UTF8.self), datatype: Self.rdfJSON)
        }
        if let type, !isAbsoluteIRI(type) {
            throw .dataLoss(term: type, reason: "(the datatype at \(path())) is not an absolute IRI, so JSON-LD leaves the value out of the RDF")
        }
        switch value {
        case .bool(let flag):
            return dataset.literal(flag ? "true" : "false", datatype: type ?? Self.xsdBoolean)
        case .number(let number):
            if number.rounded() == number && abs(number) < 1e21 && type != Self.xsdDouble {
                return dataset.literal(integerString(number), datatype: type ?? Self.xsdInteger)
            }
            return dataset.literal(canonicalDouble(number), datatype: type ?? Self.xsdDouble)
        case .string(let text):
            if let language, !language.isEmpty { return dataset.literal(text, language: language) }
            return dataset.literal(text, datatype: type ?? Self.xsdString)
        case .null, .array, .object:
            preconditionFailure("only @json values are null, arrays or objects")
        }
    }

    private static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    private static let xsd = "http://www.w3.org/2001/XMLSchema#"
    private static let rdfType = rdf + "type", rdfFirst = rdf + "first", rdfRest = rdf + "rest", rdfNil = rdf + "nil"
    private static let rdfJSON = rdf + "JSON", xsdBoolean = xsd + "boolean", xsdInteger = xsd + "integer"
    private static let xsdDouble = xsd + "double", xsdString = xsd + "string"
}

/// The keywords an object's keys can expand to that decide what kind of object it is, as bits.
struct KeywordSet: OptionSet, Hashable {
    let rawValue: UInt16
    static let id = KeywordSet(rawValue: 1 << 0)
    static let type = KeywordSet(rawValue: 1 << 1)
    static let value = KeywordSet(rawValue: 1 << 2)
    static let list = KeywordSet(rawValue: 1 << 3)
    static let set = KeywordSet(rawValue: 1 << 4)
    static let graph = KeywordSet(rawValue: 1 << 5)
    static let language = KeywordSet(rawValue: 1 << 6)
    static let index = KeywordSet(rawValue: 1 << 7)
    /// Any other keyword.
    static let other = KeywordSet(rawValue: 1 << 8)
    /// The keywords a value object may have (§13.1 step 15).
    static let valueObjectMembers: KeywordSet = [.value, .type, .language, .index]

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The bit of `keyword`; nil when it is not a keyword.
    init?(keyword: String) {
        guard keyword.utf8.first == 0x40 else { return nil }  // "@"
        switch keyword {
        case "@id": self = .id
        case "@type": self = .type
        case "@value": self = .value
        case "@list": self = .list
        case "@set": self = .set
        case "@graph": self = .graph
        case "@language": self = .language
        case "@index": self = .index
        default:
            guard keywords.contains(keyword) else { return nil }
            self = .other
        }
    }
}

extension JSONObject {
    /// The name of the member `key` describes.
    fileprivate func name(_ key: Expander.Key) -> String { members[key.member].key }
    /// The value of the member `key` describes.
    fileprivate func value(_ key: Expander.Key) -> JSONValue { members[key.member].value }
}
