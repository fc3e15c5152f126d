/// Where documents that a verifier needs come from — DID documents, status lists, trust lists: files the user
/// named, a cache, the network.
///
/// This module fetches nothing itself: network loaders live in their own module and conform to this protocol.
public protocol DocumentLoader: Sendable {
    /// The bytes of the document at `url`, or nil when this loader does not have it (another may).
    /// - Throws: ``DocumentLoadError`` when the document should come from here but cannot be had (a time-out,
    ///   a 404, a body over the size cap…).
    func load(_ url: String) async throws(DocumentLoadError) -> [UInt8]?
}

/// Why a document could not be had. Whoever asked cannot tell what it would have said: a check that needed it
/// is indeterminate, never passed or failed.
public struct DocumentLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The document's URL.
    public let url: String
    /// What went wrong, in plain words (e.g. `timed out after 5 s`, `HTTP status 404`).
    public let reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "\(url) could not be had: \(reason)" }
}

/// Documents given in advance, by URL: files named on the command line, fixtures in tests. Never fetches.
public struct LocalDocuments: DocumentLoader {
    private let documents: [String: [UInt8]]

    /// - Parameter documents: each document's bytes, by the exact URL it stands for.
    public init(_ documents: [String: [UInt8]]) {
        self.documents = documents
    }

    public func load(_ url: String) async throws(DocumentLoadError) -> [UInt8]? {
        documents[url]
    }
}

/// Loaders asked in order; the first that has a document serves it.
public struct LayeredDocumentLoader: DocumentLoader {
    /// The loaders, in the order they are asked.
    public let layers: [any DocumentLoader]

    public init(_ layers: [any DocumentLoader]) {
        self.layers = layers
    }

    public func load(_ url: String) async throws(DocumentLoadError) -> [UInt8]? {
        for layer in layers {
            if let bytes = try await layer.load(url) { return bytes }
        }
        return nil
    }
}
