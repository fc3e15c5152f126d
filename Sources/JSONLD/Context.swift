import CanonicalJSON
import Synchronization

/// Why a JSON-LD document could not be expanded or turned into RDF. Each case names what is at fault.
public enum JSONLDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A context URL that is not bundled; mcred never fetches contexts.
    case unknownContext(String)
    /// A term or type that no context defines would be dropped from the graph (VC Data Integrity §2.4): the
    /// document cannot be signed or verified losslessly with JSON-LD.
    case dataLoss(term: String, reason: String)
    /// A context or document that the JSON-LD 1.1 algorithms reject, with the error code they name.
    case invalid(code: String, detail: String)
    /// A JSON-LD feature mcred does not implement (it occurs in none of the bundled contexts).
    case unsupported(String)

    public var description: String {
        switch self {
        case .unknownContext(let url):
            "the JSON-LD context \(url) is not one mcred carries, and contexts are never fetched"
        case .dataLoss(let term, let reason):
            "\"\(term)\" \(reason): JSON-LD processing would drop it from the signed data"
        case .invalid(let code, let detail): "\(code): \(detail)"
        case .unsupported(let feature): "the JSON-LD feature \(feature) is not supported"
        }
    }
}

/// A term definition (JSON-LD 1.1 Processing Algorithms §4.2). A class, so that looking one up does not copy it;
/// it is built by Create Term Definition and never changed once it is in an active context.
final class TermDefinition: @unchecked Sendable {
    /// A number no other definition made in this process has: what the cache of processed contexts knows a scoped
    /// context by.
    let identifier = TermDefinition.count.wrappingAdd(1, ordering: .relaxed).newValue
    private static let count = Atomic<Int>(0)
    /// The IRI, blank node or keyword the term maps to; nil when it is explicitly mapped to null.
    var iri: String? {
        didSet { predicate = iri.flatMap { isAbsoluteIRI($0) ? Array("<\($0)>".utf8) : nil } }
    }
    /// The N-Quads text of ``iri`` when it is an absolute IRI, worked out once: what a property whose key is this
    /// term becomes in RDF.
    private(set) var predicate: [UInt8]?
    var typeMapping: String?
    var container: Container = []
    var language: JSONValue?
    /// The scoped context, as written; `hasContext` tells a `null` context from none.
    var context: JSONValue?
    var hasContext = false
    var prefix = false
    var protected = false

    /// The `@container` values mcred knows.
    struct Container: OptionSet, Hashable {
        let rawValue: UInt8
        static let list = Container(rawValue: 1 << 0)
        static let set = Container(rawValue: 1 << 1)
        static let graph = Container(rawValue: 1 << 2)
        static let id = Container(rawValue: 1 << 3)
        static let index = Container(rawValue: 1 << 4)
        static let language = Container(rawValue: 1 << 5)
        static let type = Container(rawValue: 1 << 6)

        /// The `@container` keywords, each with its bit.
        static let keywords: [(String, Container)] = [
            ("@list", .list), ("@set", .set), ("@graph", .graph), ("@id", .id), ("@index", .index),
            ("@language", .language), ("@type", .type),
        ]
    }

    /// Equal apart from `protected` (§4.2.2 step 27).
    func sameDefinition(as other: TermDefinition) -> Bool {
        iri == other.iri && typeMapping == other.typeMapping && container == other.container
            && language == other.language && context == other.context && hasContext == other.hasContext
            && prefix == other.prefix
    }
}

/// An active context (§4.1). A value whose members live in one shared, copy-on-write object: expansion copies
/// active contexts at every node object, and a copy is then one reference, not six.
struct ActiveContext: Sendable {
    private var storage = Storage()

    /// The members. Changed only through the accessors below, which copy it first unless this context is its only
    /// holder: so no two threads ever change or read-while-changing one.
    private final class Storage: @unchecked Sendable {
        var terms: [String: TermDefinition] = [:]
        var vocab: String?
        var defaultLanguage: String?
        var previous: Box?
        var derivation: Int? = 0
        var keywordAliases: [(term: String, keyword: KeywordSet)] = []

        init() {}

        init(copying other: Storage) {
            terms = other.terms
            vocab = other.vocab
            defaultLanguage = other.defaultLanguage
            previous = other.previous
            derivation = other.derivation
            keywordAliases = other.keywordAliases
        }
    }

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage
    }

    var terms: [String: TermDefinition] {
        get { storage.terms }
        _modify { yield &unique().terms }
    }
    /// The definition of `term`, if it has one: a lookup in place, without taking a copy of ``terms``.
    func definition(of term: String) -> TermDefinition? { storage.terms[term] }
    var vocab: String? {
        get { storage.vocab }
        set { unique().vocab = newValue }
    }
    var defaultLanguage: String? {
        get { storage.defaultLanguage }
        set { unique().defaultLanguage = newValue }
    }
    /// The context to return to in node objects below one with a non-propagated (type-scoped) context.
    var previous: Box? {
        get { storage.previous }
        set { unique().previous = newValue }
    }
    /// A number naming this context in the cache of processed contexts (0 for the empty context), when it is one
    /// the cache knows how to reach (see ``ContextProcessor/process(_:_:remoteContexts:overrideProtected:propagate:validateScoped:scopedBy:)``).
    var derivation: Int? {
        get { storage.derivation }
        set { unique().derivation = newValue }
    }
    /// The terms that alias keywords (`"id": "@id"`), worked out once per processed context: most keys of a
    /// document are checked against them, and a scan of these few is cheaper than a dictionary lookup.
    var keywordAliases: [(term: String, keyword: KeywordSet)] {
        get { storage.keywordAliases }
        set { unique().keywordAliases = newValue }
    }

    final class Box: Sendable {
        let context: ActiveContext
        init(_ context: ActiveContext) { self.context = context }
    }

    var hasProtectedTerms: Bool { terms.values.contains { $0.protected } }

    /// The keyword a key of a node object expands to, if any: the keyword itself or an alias of it.
    func keyword(_ key: String) -> KeywordSet? {
        if key.utf8.first == 0x40 { return KeywordSet(keyword: key) }  // "@"
        for alias in storage.keywordAliases where alias.term == key { return alias.keyword }
        return nil
    }
}

let keywords: Set<String> = [
    "@base", "@container", "@context", "@direction", "@graph", "@id", "@import", "@included", "@index", "@json",
    "@language", "@list", "@nest", "@none", "@prefix", "@propagate", "@protected", "@reverse", "@set", "@type",
    "@value", "@version", "@vocab",
]

/// `@` followed by ASCII letters only: reserved for future keywords, ignored (§4.2.2 step 4).
func looksLikeKeyword(_ text: String) -> Bool {
    text.utf8.count > 1 && text.utf8.first == 0x40
        && text.utf8.dropFirst().allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
}

/// An absolute IRI: a scheme (a letter, then letters, digits, `+ - .`) and a colon, and no white space.
func isAbsoluteIRI(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        guard let colon = bytes.firstIndex(of: 0x3A), colon > 0 else { return false }  // ":"
        for (index, byte) in bytes[..<colon].enumerated() {
            let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            guard isLetter || (index > 0 && ((byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2D || byte == 0x2E))
            else { return false }
        }
        return !containsWhitespace(bytes)
    }
}

/// Whether `text` has a character that cannot be in an IRI and makes JSON-LD processors leave it out of the RDF: a
/// control character or space (U+0000–U+0020, which N-Quads cannot write in an IRI), or white space as ECMAScript's
/// `\s` (jsonld.js) or Python's (pyld) match it.
func containsWhitespace(_ text: String) -> Bool {
    var text = text
    return text.withUTF8(containsWhitespace)
}

/// ``containsWhitespace(_:)`` over valid UTF-8: U+0085 and U+00A0 are C2 85 and C2 A0; U+1680 is E1 9A 80;
/// U+2000–U+200A, U+2028, U+2029 and U+202F are E2 80 80–8A, A8, A9 and AF; U+205F is E2 81 9F; U+3000 is E3 80 80;
/// U+FEFF is EF BB BF.
private func containsWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte <= 0x20 { return true }
        if byte >= 0xC2 && index + 1 < bytes.count {
            let second = bytes[index + 1]
            let third: UInt8 = index + 2 < bytes.count ? bytes[index + 2] : 0
            switch (byte, second) {
            case (0xC2, 0x85), (0xC2, 0xA0): return true
            case (0xE1, 0x9A) where third == 0x80: return true
            case (0xE2, 0x80) where (0x80...0x8A).contains(third) || [0xA8, 0xA9, 0xAF].contains(third): return true
            case (0xE2, 0x81) where third == 0x9F: return true
            case (0xE3, 0x80) where third == 0x80: return true
            case (0xEF, 0xBB) where third == 0xBF: return true
            default: break
            }
        }
        index += 1
    }
    return false
}

/// Processed contexts, by the context they were derived from and how: credentials name the same few contexts, and
/// processing the Open Badges context (with its sixteen scoped contexts) costs far more than expanding a credential.
private let processedContexts = Mutex((entries: [DerivationKey: ActiveContext](), lastNumber: 0))

/// How a context is derived from another (by its ``ActiveContext/derivation`` number).
private struct DerivationKey: Hashable {
    let parent: Int
    let overrideProtected: Bool
    let propagate: Bool
    /// The ``TermDefinition/identifier`` of the definition whose scoped context is applied, or the local context's
    /// canonical JSON.
    let scope: Int?
    let local: [UInt8]?

    /// The local context's bytes hashed in one call (an array's own hashing takes them one at a time).
    func hash(into hasher: inout Hasher) {
        hasher.combine(parent)
        hasher.combine(overrideProtected)
        hasher.combine(propagate)
        hasher.combine(scope)
        hasher.combine(local?.count ?? -1)
        local?.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// The context processing and IRI expansion algorithms (§4.1, §4.2, §5.2), over bundled contexts only.
struct ContextProcessor {
    let loader: any ContextLoader
    /// Whether processed contexts may be shared through the process-wide cache (true for the bundled loader,
    /// whose contexts never change).
    let caches: Bool

    init(loader: any ContextLoader) {
        self.loader = loader
        caches = loader is BundledContexts
    }

    /// §4.1.2 Context Processing, through the cache of processed contexts. A scoped context (`local` is then the
    /// `@context` of `definition`, given as `scopedBy`) is cached under the definition, whose context never changes;
    /// any other local context under its canonical JSON.
    func process(
        _ active: ActiveContext, _ local: JSONValue, remoteContexts: [String] = [], overrideProtected: Bool = false,
        propagate: Bool = true, validateScoped: Bool = true, scopedBy definition: TermDefinition? = nil
    ) throws(JSONLDError) -> ActiveContext {
        guard caches, remoteContexts.isEmpty, validateScoped, let derivation = active.derivation else {
            var result = try processUncached(active, local, remoteContexts: remoteContexts,
                                             overrideProtected: overrideProtected, propagate: propagate,
                                             validateScoped: validateScoped)
            result.derivation = nil
            return result
        }
        let key = DerivationKey(parent: derivation, overrideProtected: overrideProtected, propagate: propagate,
                                scope: definition?.identifier, local: definition == nil ? local.canonicalBytes() : nil)
        if let cached = processedContexts.withLock({ $0.entries[key] }) { return cached }
        var result = try processUncached(active, local, overrideProtected: overrideProtected, propagate: propagate)
        return processedContexts.withLock { cache in
            if let cached = cache.entries[key] { return cached }
            if cache.entries.count >= 1024 { cache.entries.removeAll() }
            cache.lastNumber += 1
            result.derivation = cache.lastNumber
            cache.entries[key] = result
            return result
        }
    }

    private func processUncached(
        _ active: ActiveContext, _ local: JSONValue, remoteContexts: [String] = [], overrideProtected: Bool = false,
        propagate: Bool = true, validateScoped: Bool = true
    ) throws(JSONLDError) -> ActiveContext {
        var result = active
        var propagate = propagate
        if case .object(let object) = local, case .bool(let flag)? = object["@propagate"] { propagate = flag }
        if !propagate && result.previous == nil { result.previous = ActiveContext.Box(active) }
        let contexts: [JSONValue] = if case .array(let items) = local { items } else { [local] }
        for context in contexts {
            switch context {
            case .null:
                if !overrideProtected && result.hasProtectedTerms {
                    throw .invalid(code: "invalid context nullification",
                                   detail: "a context cannot be reset to null while it has protected terms")
                }
                let previous = result.previous
                result = ActiveContext()
                if !propagate { result.previous = previous ?? ActiveContext.Box(active) }
            case .string(let url):
                if !validateScoped && remoteContexts.contains(url) { continue }
                guard remoteContexts.count < 32 else {
                    throw .invalid(code: "context overflow", detail: "contexts include each other too deeply")
                }
                result = try process(result, try loader.context(url), remoteContexts: remoteContexts + [url],
                                     overrideProtected: overrideProtected, validateScoped: validateScoped)
            case .object(let object):
                result = try processDefinitions(result, object, remoteContexts: remoteContexts,
                                                overrideProtected: overrideProtected)
            default:
                throw .invalid(code: "invalid local context", detail: "a context must be an object, a URL or null")
            }
        }
        result.keywordAliases = result.terms.compactMap { term, definition in
            guard let iri = definition.iri, let keyword = KeywordSet(keyword: iri) else { return nil }
            return (term, keyword)
        }
        return result
    }

    private func processDefinitions(
        _ active: ActiveContext, _ context: JSONObject, remoteContexts: [String], overrideProtected: Bool
    ) throws(JSONLDError) -> ActiveContext {
        var result = active
        if let version = context["@version"], version != .number(1.1) {
            throw .invalid(code: "invalid @version value", detail: "@version must be 1.1")
        }
        if context["@import"] != nil { throw .unsupported("@import") }
        if context["@direction"] != nil { throw .unsupported("@direction") }
        if let base = context["@base"] {
            // Documents are processed with no base URL (VC Data Integrity: base URL null); only null is usable.
            guard base == .null else { throw .unsupported("@base with a value") }
        }
        if let vocab = context["@vocab"] {
            switch vocab {
            case .null: result.vocab = nil
            case .string(let value):
                guard let expanded = try expandIRI(value, active: result, vocab: true, documentRelative: true),
                      isAbsoluteIRI(expanded) || expanded.utf8.starts(with: "_:".utf8)
                else { throw .invalid(code: "invalid vocab mapping", detail: "@vocab \(value) is not an IRI") }
                result.vocab = expanded
            default: throw .invalid(code: "invalid vocab mapping", detail: "@vocab must be a string or null")
            }
        }
        if let language = context["@language"] {
            switch language {
            case .null: result.defaultLanguage = nil
            case .string(let value): result.defaultLanguage = value.lowercased()
            default: throw .invalid(code: "invalid default language", detail: "@language must be a string or null")
            }
        }
        if let propagate = context["@propagate"], case .bool = propagate {} else if context["@propagate"] != nil {
            throw .invalid(code: "invalid @propagate value", detail: "@propagate must be true or false")
        }
        let protected: Bool
        switch context["@protected"] {
        case nil: protected = false
        case .bool(let flag)?: protected = flag
        default: throw .invalid(code: "invalid @protected value", detail: "@protected must be true or false")
        }
        var defined: [String: Bool] = [:]
        for key in context.keys where !["@base", "@direction", "@import", "@language", "@propagate", "@protected",
                                         "@version", "@vocab"].contains(key) {
            try createTermDefinition(&result, local: context, term: key, defined: &defined, protected: protected,
                                     overrideProtected: overrideProtected, remoteContexts: remoteContexts)
        }
        return result
    }

    /// §4.2.2 Create Term Definition.
    func createTermDefinition(
        _ active: inout ActiveContext, local: JSONObject, term: String, defined: inout [String: Bool],
        protected contextProtected: Bool, overrideProtected: Bool, remoteContexts: [String]
    ) throws(JSONLDError) {
        if let done = defined[term] {
            if done { return }
            throw .invalid(code: "cyclic IRI mapping", detail: "the term \(term) is defined through itself")
        }
        guard !term.isEmpty else { throw .invalid(code: "invalid term definition", detail: "an empty term") }
        defined[term] = false
        let value = local[term] ?? .null
        if keywords.contains(term) {
            throw .invalid(code: "keyword redefinition", detail: "\(term) is a keyword and cannot be redefined")
        }
        if looksLikeKeyword(term) {
            defined[term] = true
            return
        }
        let previous = active.terms.removeValue(forKey: term)
        let definitionObject: JSONObject
        var simple = false
        switch value {
        case .null:
            definitionObject = ["@id": .null]
        case .string(let id):
            definitionObject = ["@id": .string(id)]
            simple = true
        case .object(let object):
            definitionObject = object
        default:
            throw .invalid(code: "invalid term definition", detail: "the definition of \(term) must be a string or an object")
        }
        let allowed: Set<String> = ["@id", "@reverse", "@container", "@context", "@direction", "@index", "@language",
                                    "@nest", "@prefix", "@protected", "@type"]
        if let unknown = definitionObject.keys.first(where: { !allowed.contains($0) }) {
            throw .invalid(code: "invalid term definition", detail: "\(unknown) in the definition of \(term)")
        }
        var definition = TermDefinition()
        switch definitionObject["@protected"] {
        case .bool(let flag)?: definition.protected = flag
        case nil: definition.protected = contextProtected
        default: throw .invalid(code: "invalid @protected value", detail: "in the definition of \(term)")
        }
        if let type = definitionObject["@type"] {
            guard case .string(let text) = type,
                  let expanded = try expandIRI(text, active: &active, vocab: true, local: local, defined: &defined,
                                               protected: contextProtected, remoteContexts: remoteContexts),
                  ["@id", "@vocab", "@json", "@none"].contains(expanded) || isAbsoluteIRI(expanded)
            else { throw .invalid(code: "invalid type mapping", detail: "the @type of \(term)") }
            definition.typeMapping = expanded
        }
        if definitionObject["@reverse"] != nil { throw .unsupported("@reverse (in the definition of \(term))") }
        if definitionObject["@direction"] != nil { throw .unsupported("@direction (in the definition of \(term))") }
        if definitionObject["@nest"] != nil { throw .unsupported("@nest (in the definition of \(term))") }
        if definitionObject["@index"] != nil { throw .unsupported("@index (in the definition of \(term))") }
        let colon = term.dropFirst().firstIndex(of: ":")
        if let id = definitionObject["@id"], id != .string(term) {
            switch id {
            case .null:
                definition.iri = nil
            case .string(let text):
                if !keywords.contains(text) && looksLikeKeyword(text) {
                    defined[term] = true
                    return
                }
                guard let iri = try expandIRI(text, active: &active, vocab: true, local: local, defined: &defined,
                                              protected: contextProtected, remoteContexts: remoteContexts),
                      keywords.contains(iri) || isAbsoluteIRI(iri) || iri.utf8.starts(with: "_:".utf8), iri != "@context"
                else { throw .invalid(code: "invalid IRI mapping", detail: "the @id of \(term)") }
                definition.iri = iri
                if colon != nil || term.contains("/") {
                    defined[term] = true
                    let own = try expandIRI(term, active: &active, vocab: true, local: local, defined: &defined,
                                            protected: contextProtected, remoteContexts: remoteContexts)
                    guard own == iri else {
                        throw .invalid(code: "invalid IRI mapping", detail: "\(term) looks like an IRI but maps elsewhere")
                    }
                }
                if colon == nil, !term.contains("/"), simple, let last = iri.unicodeScalars.last,
                   ":/?#[]@".unicodeScalars.contains(last) {
                    definition.prefix = true
                }
            default:
                throw .invalid(code: "invalid IRI mapping", detail: "the @id of \(term) must be a string or null")
            }
        } else if let colon {
            let prefix = String(term[..<colon])
            let suffix = String(term[term.index(after: colon)...])
            if local[prefix] != nil {
                try createTermDefinition(&active, local: local, term: prefix, defined: &defined, protected: contextProtected,
                                         overrideProtected: overrideProtected, remoteContexts: remoteContexts)
            }
            if let prefixIRI = active.definition(of: prefix)?.iri { definition.iri = prefixIRI + suffix } else { definition.iri = term }
        } else if term.contains("/") {
            guard let iri = try expandIRI(term, active: active, vocab: true), isAbsoluteIRI(iri) else {
                throw .invalid(code: "invalid IRI mapping", detail: term)
            }
            definition.iri = iri
        } else if term == "@type" {
            definition.iri = "@type"
        } else if let vocab = active.vocab {
            definition.iri = vocab + term
        } else {
            throw .invalid(code: "invalid IRI mapping", detail: "\(term) has no IRI and there is no @vocab")
        }
        if let container = definitionObject["@container"] {
            let values: [JSONValue] = if case .array(let items) = container { items } else { [container] }
            for value in values {
                guard case .string(let text) = value,
                      let bit = TermDefinition.Container.keywords.first(where: { $0.0 == text })?.1
                else { throw .invalid(code: "invalid container mapping", detail: "the @container of \(term)") }
                definition.container.insert(bit)
            }
            for (name, bit) in TermDefinition.Container.keywords
            where [.id, .index, .language, .type].contains(bit) && definition.container.contains(bit) {
                throw .unsupported("\(name) maps (the container of \(term))")
            }
            if definition.container.contains(.list) && definition.container != .list {
                throw .invalid(code: "invalid container mapping", detail: "@list cannot be combined (\(term))")
            }
        }
        if let scoped = definitionObject["@context"] {
            // Checked now (§4.2.2 step 21), applied where the term is used. The bundled contexts' own scoped
            // contexts are known good (they are pinned), so only a document's inline contexts are checked.
            if remoteContexts.isEmpty {
                do {
                    _ = try process(active, scoped, remoteContexts: remoteContexts, overrideProtected: true,
                                    validateScoped: false)
                } catch {
                    throw .invalid(code: "invalid scoped context", detail: "the @context of \(term): \(error)")
                }
            }
            definition.context = scoped
            definition.hasContext = true
        }
        if let language = definitionObject["@language"], definitionObject["@type"] == nil {
            guard language == .null || language.stringValue != nil else {
                throw .invalid(code: "invalid language mapping", detail: "the @language of \(term)")
            }
            definition.language = language.stringValue.map { .string($0.lowercased()) } ?? .null
        }
        if let prefix = definitionObject["@prefix"] {
            guard case .bool(let flag) = prefix, colon == nil, !term.contains("/") else {
                throw .invalid(code: "invalid @prefix value", detail: "in the definition of \(term)")
            }
            definition.prefix = flag
        }
        if !overrideProtected, let previous, previous.protected {
            guard definition.sameDefinition(as: previous) else {
                throw .invalid(code: "protected term redefinition", detail: "\(term) is protected and cannot be redefined")
            }
            definition = previous
        }
        active.terms[term] = definition
        defined[term] = true
    }

    /// §5.2.2 IRI Expansion, without a local context.
    func expandIRI(
        _ value: String, active: ActiveContext, vocab: Bool = false, documentRelative: Bool = false
    ) throws(JSONLDError) -> String? {
        var defined: [String: Bool] = [:]
        var active = active
        return try expandIRI(value, active: &active, vocab: vocab, documentRelative: documentRelative, local: nil,
                             defined: &defined, protected: false, remoteContexts: [])
    }

    /// §5.2.2 IRI Expansion. `nil` when the value maps to null or looks like an unknown keyword.
    func expandIRI(
        _ value: String, active: inout ActiveContext, vocab: Bool = false, documentRelative: Bool = false,
        local: JSONObject?, defined: inout [String: Bool], protected: Bool, remoteContexts: [String]
    ) throws(JSONLDError) -> String? {
        if value.utf8.first == 0x40 {  // "@": a keyword, or a reserved look-alike
            if keywords.contains(value) { return value }
            if looksLikeKeyword(value) { return nil }
        }
        if let local, local[value] != nil, defined[value] != true {
            try createTermDefinition(&active, local: local, term: value, defined: &defined, protected: protected,
                                     overrideProtected: false, remoteContexts: remoteContexts)
        }
        if vocab, let definition = active.definition(of: value) { return definition.iri }
        if let colon = value.utf8.dropFirst().firstIndex(of: 0x3A) {  // ":"
            let prefix = String(value[..<colon])
            let suffix = value[value.index(after: colon)...]
            if prefix == "_" || suffix.utf8.starts(with: "//".utf8) { return value }  // by code unit, as jsonld.js
            if let local, local[prefix] != nil, defined[prefix] != true {
                try createTermDefinition(&active, local: local, term: prefix, defined: &defined, protected: protected,
                                         overrideProtected: false, remoteContexts: remoteContexts)
            }
            if let definition = active.definition(of: prefix), let iri = definition.iri, definition.prefix {
                return iri + suffix
            }
            if isAbsoluteIRI(value) { return value }
        }
        if vocab, let vocabulary = active.vocab { return vocabulary + value }
        // Documents have no base URL: a relative reference stays relative (and is dropped from the RDF).
        return value
    }
}
