import CanonicalJSON

/// What a member must be, in the words of the error messages.
enum Expected {
    static let object = "an object"
    static let line = "a non-blank string on one line"
    static let text = "a non-blank string"
    static let absoluteIRI = "an absolute IRI (scheme:rest, no spaces), e.g. https://… or urn:…"
    static let positiveNumber = "a number > 0"
    static let boolean = "true or false"
    static let countryCode = "an ISO 3166-1 alpha-2 code in capitals, e.g. IE (Greece is GR, the United Kingdom GB)"
    static let webURL = "an http:// or https:// URL without spaces"
    static let email = "an e-mail address (name@domain)"
    static let escoSkill = "an ESCO skill URI: http://data.europa.eu/esco/skill/ followed by letters, digits or -"

    static func oneOf(_ values: [String]) -> String {
        "one of " + values.joined(separator: ", ")
    }
}

/// Reads one object of an input file, member by member, with the JSON path for messages.
struct InputReader {
    let document: ProfileInputError.Document
    let object: JSONObject
    /// This object's path: empty for the file, else e.g. `awardingBody` or `learningOutcomes[0]`.
    let path: String

    /// - Parameter allowed: the member names this object may have; any other is an error.
    init(_ value: JSONValue, document: ProfileInputError.Document, path: String = "", allowed: [String])
        throws(ProfileInputError)
    {
        guard case .object(let object) = value else {
            throw .invalid(document, path: path, expected: "a JSON object, not \(value.kindDescription)")
        }
        self.document = document
        self.object = object
        self.path = path
        if let unknown = object.keys.first(where: { key in !allowed.contains { $0.isExactly(key) } }) {
            throw .unknownMember(document, path: member(unknown),
                                 allowed: allowed.filter { $0 != "$schema" })
        }
    }

    /// The path of a member of this object.
    func member(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func missing(_ name: String, _ expected: String) -> ProfileInputError {
        .missing(document, path: member(name), expected: expected)
    }

    func invalid(_ name: String, _ expected: String) -> ProfileInputError {
        .invalid(document, path: member(name), expected: expected)
    }

    /// A string member that must satisfy `isValid`; `nil` when absent.
    func string(_ name: String, _ expected: String, where isValid: (String) -> Bool) throws(ProfileInputError)
        -> String?
    {
        guard let value = object[name] else { return nil }
        guard let text = value.stringValue, isValid(text) else { throw invalid(name, expected) }
        return text
    }

    /// A string member that must be present and satisfy `isValid`.
    func requiredString(_ name: String, _ expected: String, where isValid: (String) -> Bool)
        throws(ProfileInputError) -> String
    {
        guard let text = try string(name, expected, where: isValid) else { throw missing(name, expected) }
        return text
    }

    func line(_ name: String) throws(ProfileInputError) -> String? {
        try string(name, Expected.line, where: ProfileSyntax.isLine)
    }

    func requiredLine(_ name: String) throws(ProfileInputError) -> String {
        try requiredString(name, Expected.line, where: ProfileSyntax.isLine)
    }

    func text(_ name: String) throws(ProfileInputError) -> String? {
        try string(name, Expected.text, where: ProfileSyntax.hasVisibleCharacter)
    }

    func absoluteIRI(_ name: String) throws(ProfileInputError) -> String? {
        try string(name, Expected.absoluteIRI, where: ProfileSyntax.isAbsoluteIRI)
    }

    /// A controlled term given by its input value (e.g. `blended`); `nil` when absent.
    func term<Term: ProfileTerm>(_ name: String, _: Term.Type) throws(ProfileInputError) -> Term? {
        let expected = Expected.oneOf(Term.allCases.map(\.rawValue))
        return try string(name, expected) { Term(rawValue: $0) != nil }.flatMap(Term.init(rawValue:))
    }

    /// A controlled term, or any absolute IRI (elements 9 and 11).
    func concept<Term: ProfileTerm>(_ name: String, _: Term.Type) throws(ProfileInputError) -> Concept<Term>? {
        let expected = Expected.oneOf(Term.allCases.map(\.rawValue)) + ", or an absolute IRI"
        guard let text = try string(name, expected, where: { Term(rawValue: $0) != nil || ProfileSyntax.isAbsoluteIRI($0) })
        else { return nil }
        return Term(rawValue: text).map(Concept.known) ?? Concept(iri: text)
    }

    func positiveNumber(_ name: String) throws(ProfileInputError) -> Double? {
        guard let value = object[name] else { return nil }
        guard let number = value.numberValue, number > 0 else { throw invalid(name, Expected.positiveNumber) }
        return number
    }

    func boolean(_ name: String) throws(ProfileInputError) -> Bool? {
        guard let value = object[name] else { return nil }
        guard let flag = value.boolValue else { throw invalid(name, Expected.boolean) }
        return flag
    }

    /// A nested object; `nil` when absent.
    func object(_ name: String, allowed: [String]) throws(ProfileInputError) -> InputReader? {
        guard let value = object[name] else { return nil }
        guard value.objectValue != nil else { throw invalid(name, Expected.object) }
        return try InputReader(value, document: document, path: member(name), allowed: allowed)
    }

    func requiredObject(_ name: String, allowed: [String], expected: String = Expected.object)
        throws(ProfileInputError) -> InputReader
    {
        guard let reader = try object(name, allowed: allowed) else { throw missing(name, expected) }
        return reader
    }

    /// A non-empty array member; `nil` when absent.
    func nonEmptyArray(_ name: String, of expected: String) throws(ProfileInputError) -> [JSONValue]? {
        guard let value = object[name] else { return nil }
        guard let array = value.arrayValue, !array.isEmpty else {
            throw invalid(name, "a non-empty array of \(expected)")
        }
        return array
    }
}
