public import CanonicalJSON
import Synchronization

/// Resolves `did:web` verification methods (W3C CCG did:web Method Specification) from DID documents that a
/// ``DocumentLoader`` supplies.
///
/// The DID `did:web:example.com` names the document `https://example.com/.well-known/did.json`;
/// `did:web:example.com%3A8443:issuers:1` names `https://example.com:8443/issuers/1/did.json`. From the document
/// the resolver takes a verification method of type `Multikey` (or, read only, `Ed25519VerificationKey2020`)
/// with an Ed25519 `publicKeyMultibase`, which the proof's purpose (`assertionMethod`) must reference or embed.
/// The document's `id` must be the DID and the method's `controller` the DID. A document that cannot be had,
/// or is not JSON, leaves the key unknown (``ResolutionFailure/isUnavailable``); anything else wrong with it is
/// a failure.
///
/// Each DID's document is loaded once per resolver, however many proofs name it.
public final class DIDWebResolver: VerificationMethodResolver {
    private let loader: any DocumentLoader
    private let limits: JSONLimits
    private let documents = Mutex([String: Task<Result<JSONObject, ResolutionFailure>, Never>]())

    /// - Parameters:
    ///   - loader: where DID documents come from.
    ///   - limits: parsing limits for DID documents (1 MiB, depth 32 by default).
    public init(loader: any DocumentLoader, limits: JSONLimits = JSONLimits(maxInputBytes: 1 << 20, maxDepth: 32)) {
        self.loader = loader
        self.limits = limits
    }

    public var methodDescription: String { "did:web" }

    public func handles(_ verificationMethod: String) -> Bool {
        verificationMethod.hasPrefix("did:web:")
    }

    public func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure)
        -> ResolvedVerificationMethod
    {
        let parts = verificationMethod.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let did = String(parts[0])
        guard parts.count == 2, !parts[1].isEmpty else {
            throw ResolutionFailure("\(verificationMethod) names no key: a did:web verification method has a "
                                    + "#fragment", errorCode: .invalidVerificationMethodURL)
        }
        let url: String
        do {
            url = try Self.documentURL(of: did)
        } catch {
            throw ResolutionFailure(error.message, errorCode: .invalidVerificationMethodURL)
        }
        let document = try await self.document(of: did, at: url).get()
        return try Self.method(verificationMethod, of: did, purpose: purpose, in: document)
    }

    /// The document of `did`, loaded and checked once and shared by every proof that names it.
    private func document(of did: String, at url: String) async -> Result<JSONObject, ResolutionFailure> {
        let task = documents.withLock { tasks in
            if let task = tasks[did] { return task }
            let task = Task { await self.loadDocument(of: did, at: url) }
            tasks[did] = task
            return task
        }
        return await task.value
    }

    private func loadDocument(of did: String, at url: String) async -> Result<JSONObject, ResolutionFailure> {
        let bytes: [UInt8]
        do {
            guard let loaded = try await loader.load(url) else {
                return .failure(ResolutionFailure(
                    "the DID document \(url) is not available here (offline, and no local copy was given); "
                        + "the key is unknown", errorCode: .invalidVerificationMethod, isUnavailable: true))
            }
            bytes = loaded
        } catch {
            return .failure(ResolutionFailure("the DID document \(error); the key is unknown",
                                              errorCode: .invalidVerificationMethod, isUnavailable: true))
        }
        guard let value = try? JSONValue(parsing: bytes, limits: limits), case .object(let document) = value else {
            return .failure(ResolutionFailure("the DID document \(url) is not a JSON object; the key is unknown",
                                              errorCode: .invalidVerificationMethod, isUnavailable: true))
        }
        guard document["id"]?.stringValue?.isExactly(did) == true else {
            let found = document["id"]?.stringValue.map { "\"\($0)\"" } ?? "missing"
            return .failure(ResolutionFailure("the DID document \(url) has id \(found), not \(did)",
                                              errorCode: .invalidVerificationMethod))
        }
        return .success(document)
    }

    /// The verification method `id` of `did` for `purpose`, from its DID document.
    static func method(
        _ id: String, of did: String, purpose: String, in document: JSONObject
    ) throws(ResolutionFailure) -> ResolvedVerificationMethod {
        func absolute(_ reference: String) -> String {
            reference.hasPrefix("#") ? did + reference : reference
        }
        func fail(_ reason: String) -> ResolutionFailure {
            ResolutionFailure(reason, errorCode: .invalidVerificationMethod)
        }
        // The purpose's verification relationship lists the method by reference or embeds it.
        var method: JSONObject?
        var listed = false
        for entry in document[purpose]?.arrayValue ?? [] {
            if let reference = entry.stringValue, absolute(reference).isExactly(id) {
                listed = true
            } else if case .object(let embedded) = entry, let embeddedID = embedded["id"]?.stringValue,
                      absolute(embeddedID).isExactly(id) {
                listed = true
                method = embedded
            }
        }
        guard listed else { throw fail("\(id) is not listed in the DID document's \(purpose)") }
        if method == nil {
            method = (document["verificationMethod"]?.arrayValue ?? []).lazy.compactMap(\.objectValue).first {
                $0["id"]?.stringValue.map { absolute($0).isExactly(id) } ?? false
            }
        }
        guard let method else { throw fail("the DID document lists \(id) in \(purpose) but does not define it") }
        guard method["controller"]?.stringValue?.isExactly(did) == true else {
            let found = method["controller"]?.stringValue.map { "\"\($0)\"" } ?? "missing"
            throw fail("the controller of \(id) is \(found), not \(did)")
        }
        let type = method["type"]?.stringValue ?? "missing"
        guard type == "Multikey" || type == "Ed25519VerificationKey2020" else {
            throw fail("\(id) is a key of type \(type); mcred reads Multikey and Ed25519VerificationKey2020 keys")
        }
        guard let multibase = method["publicKeyMultibase"]?.stringValue else {
            throw fail("\(id) has no publicKeyMultibase")
        }
        do {
            return ResolvedVerificationMethod(id: id, controller: did, key: .ed25519(try Multikey.decodePublicKey(multibase)))
        } catch {
            throw fail("the publicKeyMultibase of \(id) is not an Ed25519 Multikey: \(error)")
        }
    }

    /// The HTTPS URL of the DID document of `did` (did:web §3.2.1 Read).
    public static func documentURL(of did: String) throws(InvalidDIDWeb) -> String {
        let prefix = "did:web:"
        guard did.hasPrefix(prefix) else { throw InvalidDIDWeb(message: "\(did) is not a did:web DID") }
        let segments = did.dropFirst(prefix.count).split(separator: ":", omittingEmptySubsequences: false)
        // A port's colon is percent-encoded; nothing else is decoded.
        let host = segments[0].split(separator: "%3A", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "%3a", omittingEmptySubsequences: false) }.joined(separator: ":")
        let hostPattern = host.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = hostPattern[0]
        guard !name.isEmpty, name.utf8.allSatisfy({ isHostByte($0) }), !name.hasPrefix("."), !name.hasSuffix("."),
              !name.hasPrefix("-")
        else {
            throw InvalidDIDWeb(message: "\(did) does not name a domain (e.g. did:web:uni.example)")
        }
        if hostPattern.count == 2 {
            guard let port = Int(hostPattern[1]), (1...65535).contains(port), hostPattern[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else { throw InvalidDIDWeb(message: "\(did) has an invalid port \"\(hostPattern[1])\"") }
        }
        let path = segments.dropFirst()
        for segment in path {
            guard !segment.isEmpty, segment != ".", segment != "..", segment.utf8.allSatisfy({ isPathByte($0) }) else {
                throw InvalidDIDWeb(message: "\(did) has an invalid path segment \"\(segment)\"")
            }
        }
        let base = "https://" + host.lowercased()
        return path.isEmpty ? base + "/.well-known/did.json" : base + "/" + path.joined(separator: "/") + "/did.json"
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E
    }

    /// RFC 3986 `pchar` without `:` (which separates did:web path segments): unreserved, `%`, sub-delims, `@`.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        isHostByte(byte) || byte == 0x5F || byte == 0x7E || byte == 0x25 || byte == 0x40
            || "!$&'()*+,;=".utf8.contains(byte)
    }
}

/// A `did:web` DID that names no document URL.
public struct InvalidDIDWeb: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    public let message: String
    public var description: String { message }
}
