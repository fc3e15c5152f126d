import CanonicalJSON
import RDF

/// §13.1 Expansion, with data-loss detection: where the algorithm would drop a property or a type because no
/// context defines it, the document is refused instead (VC Data Integrity §2.4, Digital Bazaar's "safe mode").
struct Expander {
    let processor: ContextProcessor

    /// - Parameters:
    ///   - definition: the term definition of `property` in `active`, looked up once by the caller.
    ///   - path: where `element` is in the document, for messages; worked out only when one is needed.
    func expand(
        _ active: ActiveContext, property: String?, definition: TermDefinition?, _ element: JSONValue,
        fromMap: Bool = false, path: @autoclosure () -> String
    ) throws(JSONLDError) -> JSONValue? {
        switch element {
        case .null:
            return nil
        case .bool, .number, .string:
            guard let property, property != "@graph" else {
                throw .dataLoss(term: path(), reason: "is a value outside any property")
            }
            guard let definition, definition.hasContext else {
                return expandValue(active, definition: definition, element)
            }
            let scoped = try processor.process(active, definition.context ?? .null, overrideProtected: true,
                                               scopedBy: property)
            return expandValue(scoped, definition: scoped.terms[property], element)
        case .array(let items):
            var result: [JSONValue] = []
            for (index, item) in items.enumerated() {
                guard var expanded = try expand(active, property: property, definition: definition, item,
                                                fromMap: fromMap, path: path() + "[\(index)]")
                else { continue }
                if definition?.container.contains("@list") == true, case .array(let list) = expanded {
                    expanded = ["@list": .array(list)]
                }
                if case .array(let nested) = expanded { result += nested } else { result.append(expanded) }
            }
            return .array(result)
        case .object(let object):
            return try expandObject(active, property: property, definition: definition, object, fromMap: fromMap,
                                    path: path())
        }
    }

    /// ``expand(_:property:definition:_:fromMap:path:)`` with the definition of `property` looked up in `active`.
    func expand(
        _ active: ActiveContext, property: String?, _ element: JSONValue, path: @autoclosure () -> String
    ) throws(JSONLDError) -> JSONValue? {
        try expand(active, property: property, definition: property.flatMap { active.terms[$0] }, element,
                   path: path())
    }

    /// Whether the key expands to `keyword` (IRI expansion with vocab, §5.2.2): the keyword itself, or a term that
    /// aliases it — no other key can expand to a keyword.
    private func expands(_ key: String, to keyword: String, in active: ActiveContext) -> Bool {
        key == keyword || active.terms[key]?.iri == keyword
    }

    private func expandObject(
        _ given: ActiveContext, property: String?, definition: TermDefinition?, _ element: JSONObject, fromMap: Bool,
        path: @autoclosure () -> String
    ) throws(JSONLDError) -> JSONValue? {
        var active = given
        // Step 7: a non-propagated (type-scoped) context does not reach nested node objects.
        if let previous = active.previous, !fromMap {
            let isValueObject = element.keys.contains { expands($0, to: "@value", in: active) }
            let isReference = element.keys.count == 1 && expands(element.keys[0], to: "@id", in: active)
            if !isValueObject && !isReference { active = previous.context }
        }
        if let property, let definition, definition.hasContext {
            // Cached by the term only when the definition comes from the context it is applied to.
            active = try processor.process(active, definition.context ?? .null, overrideProtected: true,
                                           scopedBy: active.derivation == given.derivation ? property : nil)
        }
        if let context = element["@context"] { active = try processor.process(active, context) }
        let typeScoped = active
        var inputType: String?
        for key in element.keys.filter({ expands($0, to: "@type", in: active) }).sorted(by: utf8Precedes) {
            let values: [JSONValue] = if case .array(let items) = element[key]! { items } else { [element[key]!] }
            for case .string(let type) in values.sorted(by: { utf8Precedes($0.stringValue ?? "", $1.stringValue ?? "") }) {
                if let definition = typeScoped.terms[type], definition.hasContext {
                    active = try processor.process(active, definition.context ?? .null, propagate: false,
                                                   scopedBy: active.derivation == typeScoped.derivation ? type : nil)
                }
            }
            if case .string(let last)? = values.last {
                inputType = try processor.expandIRI(last, active: typeScoped, vocab: true, documentRelative: true)
            }
        }

        var result = JSONObject()
        for member in element.members where member.key != "@context" {
            let key = member.key, value = member.value
            func memberPath() -> String {
                let parent = path()
                return parent.isEmpty ? key : parent + "." + key
            }
            // IRI expansion with vocab (§5.2.2), reading the key's definition once. Keywords and their look-alikes
            // are never terms, so a definition is the key's meaning.
            let definition = active.terms[key]
            let expandedIRI = if let definition { definition.iri } else {
                try processor.expandIRI(key, active: active, vocab: true)
            }
            guard let expandedProperty = expandedIRI else {
                throw .dataLoss(term: key, reason: "(at \(memberPath())) is not defined by any @context of the document")
            }
            let isKeyword = expandedProperty.utf8.first == 0x40 && keywords.contains(expandedProperty)
            guard isKeyword || expandedProperty.utf8.contains(0x3A) else {
                throw .dataLoss(term: key, reason: "(at \(memberPath())) is not defined by any @context of the document")
            }
            if isKeyword {
                guard let expanded = try expandKeyword(expandedProperty, value, active: active, typeScoped: typeScoped,
                                                       property: property, inputType: inputType, path: memberPath())
                else { continue }
                if expandedProperty == "@type", case .array(let existing)? = result["@type"],
                   case .array(let more) = expanded {
                    result["@type"] = .array(existing + more)
                } else if result[expandedProperty] != nil {
                    throw .invalid(code: "colliding keywords", detail: "\(expandedProperty) given twice at \(path())")
                } else {
                    result[expandedProperty] = expanded
                }
                continue
            }
            var expanded: JSONValue
            if definition?.typeMapping == "@json" {
                expanded = ["@value": value, "@type": "@json"]
            } else {
                guard let value = try expand(active, property: key, definition: definition, value, path: memberPath())
                else { continue }
                expanded = value
            }
            let container = definition?.container ?? []
            if container.contains("@list") && !isList(expanded) { expanded = ["@list": .array(arrayOf(expanded))] }
            if container.contains("@graph") {
                expanded = .array(arrayOf(expanded).map { ["@graph": .array(arrayOf($0))] })
            }
            result[expandedProperty] = .array(arrayOf(result[expandedProperty] ?? .array([])) + arrayOf(expanded))
        }

        if result["@value"] != nil {
            let allowed: Set<String> = ["@value", "@type", "@language", "@index"]
            guard result.keys.allSatisfy(allowed.contains) else {
                throw .invalid(code: "invalid value object", detail: "at \(path())")
            }
            if result["@value"] == .null { return nil }
            if result["@type"] != .string("@json"), result["@language"] != nil, result["@value"]?.stringValue == nil {
                throw .invalid(code: "invalid language-tagged value", detail: "at \(path())")
            }
            return .object(result)
        }
        if let type = result["@type"], case .string = type { result["@type"] = .array([type]) }
        if result["@set"] != nil || result["@list"] != nil {
            guard result.keys.allSatisfy({ ["@set", "@list", "@index"].contains($0) }) else {
                throw .invalid(code: "invalid set or list object", detail: "at \(path())")
            }
            if let set = result["@set"] { return set }
        }
        if result.keys == ["@language"] { return nil }
        if property == nil || property == "@graph" {
            if result.isEmpty || result["@value"] != nil || result["@list"] != nil { return nil }
            if result.keys == ["@id"] { return nil }
        }
        return .object(result)
    }

    private func expandKeyword(
        _ keyword: String, _ value: JSONValue, active: ActiveContext, typeScoped: ActiveContext, property: String?,
        inputType: String?, path: @autoclosure () -> String
    ) throws(JSONLDError) -> JSONValue? {
        switch keyword {
        case "@id":
            guard case .string(let id) = value else { throw .invalid(code: "invalid @id value", detail: "at \(path())") }
            return try processor.expandIRI(id, active: active, documentRelative: true).map(JSONValue.string) ?? .null
        case "@type":
            let values: [JSONValue] = if case .array(let items) = value { items } else { [value] }
            var types: [JSONValue] = []
            for value in values {
                guard case .string(let type) = value else {
                    throw .invalid(code: "invalid type value", detail: "at \(path())")
                }
                guard let expanded = try processor.expandIRI(type, active: typeScoped, vocab: true, documentRelative: true),
                      expanded.contains(":")
                else { throw .dataLoss(term: type, reason: "(a type at \(path())) is not defined by any @context of the document") }
                types.append(.string(expanded))
            }
            return .array(types)
        case "@graph":
            return .array(arrayOf(try expand(active, property: "@graph", value, path: path()) ?? .array([])))
        case "@value":
            if inputType == "@json" { return value }
            switch value {
            case .null, .bool, .number, .string: return value
            default: throw .invalid(code: "invalid value object value", detail: "at \(path())")
            }
        case "@language":
            guard case .string(let language) = value else {
                throw .invalid(code: "invalid language-tagged string", detail: "at \(path())")
            }
            return .string(language.lowercased())
        case "@index":
            guard case .string = value else { throw .invalid(code: "invalid @index value", detail: "at \(path())") }
            return value
        case "@list":
            guard let property, property != "@graph" else { return nil }
            return .array(arrayOf(try expand(active, property: property, value, path: path()) ?? .array([])))
        case "@set":
            return try expand(active, property: property, value, path: path())
        default:
            throw .unsupported("\(keyword) in a document (at \(path()))")
        }
    }

    /// §5.3.2 Value Expansion.
    private func expandValue(_ active: ActiveContext, definition: TermDefinition?, _ value: JSONValue) -> JSONValue {
        if case .string(let text) = value, let type = definition?.typeMapping, type == "@id" || type == "@vocab" {
            let iri = (try? processor.expandIRI(text, active: active, vocab: type == "@vocab", documentRelative: true)) ?? nil
            return ["@id": iri.map(JSONValue.string) ?? .null]
        }
        var result: JSONObject = ["@value": value]
        if let type = definition?.typeMapping, !["@id", "@vocab", "@none"].contains(type) {
            result["@type"] = .string(type)
        } else if case .string = value {
            let language: JSONValue? = definition?.language ?? active.defaultLanguage.map(JSONValue.string)
            if case .string(let tag)? = language { result["@language"] = .string(tag) }
        }
        return .object(result)
    }

    private func isList(_ value: JSONValue) -> Bool {
        if case .object(let object) = value { return object["@list"] != nil }
        return false
    }
}

func arrayOf(_ value: JSONValue) -> [JSONValue] {
    if case .array(let items) = value { return items }
    return [value]
}
