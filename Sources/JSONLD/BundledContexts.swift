public import CanonicalJSON
import Synchronization

/// Where remote JSON-LD contexts come from. mcred never fetches one: see ``BundledContexts``.
public protocol ContextLoader: Sendable {
    /// The `@context` value of the context document at `url`; throws ``JSONLDError/unknownContext(_:)`` for
    /// one it does not have.
    func context(_ url: String) throws(JSONLDError) -> JSONValue
}

/// The contexts mcred carries inside it, pinned by SHA-256 (`spec/json-ld.md` §3): the VC 2.0 base context,
/// the VC examples context, Bitstring Status List v1, the W3C CCG citizenship v4rc1 context, Open Badges 3.0.3
/// and the mcred micro-credential extension. No network is ever used: any other URL is an error.
public struct BundledContexts: ContextLoader {
    /// One bundled context document: its URL, the SHA-256 of its bytes, and the bytes as text.
    public struct Document: Sendable {
        public let url: String
        public let sha256: String
        public let text: String
    }

    public init() {}

    /// The URLs of the bundled contexts, in the order of ``documents``.
    public static var urls: [String] { documents.map(\.url) }

    /// Parsed once per process; contexts never change.
    private static let parsed: [String: JSONValue] = {
        var contexts: [String: JSONValue] = [:]
        for document in documents {
            guard case .object(let object)? = try? JSONValue(parsing: Array(document.text.utf8)),
                  let context = object["@context"]
            else { preconditionFailure("the bundled context \(document.url) is not a JSON-LD context document") }
            contexts[document.url] = context
        }
        return contexts
    }()

    public func context(_ url: String) throws(JSONLDError) -> JSONValue {
        guard let context = Self.parsed[url] else { throw .unknownContext(url) }
        return context
    }
}
