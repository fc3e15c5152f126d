public import Ed25519OpenSSL

/// The public key a verification method resolved to.
public enum VerificationKey: Hashable, Sendable {
    /// An Ed25519 public key (RFC 8032), the key of the `eddsa-*` cryptosuites.
    case ed25519(Ed25519PublicKey)
    /// A key of another algorithm, for a cryptosuite that an application registers; `type` names the algorithm.
    case other(type: String, rawRepresentation: [UInt8])

    /// The algorithm's name for people, e.g. `Ed25519`.
    public var typeName: String {
        switch self {
        case .ed25519: "Ed25519"
        case .other(let type, _): type
        }
    }
}

/// A verification method, as a resolver found it.
public struct ResolvedVerificationMethod: Hashable, Sendable {
    /// The verification method's URL, as the proof names it.
    public let id: String
    /// The DID or URL that controls the key: the identifier a credential's issuer must be to be bound to it.
    public let controller: String
    /// The public key.
    public let key: VerificationKey

    public init(id: String, controller: String, key: VerificationKey) {
        self.id = id
        self.controller = controller
        self.key = key
    }
}

/// Why a verification method did not resolve.
public struct ResolutionFailure: Error, Hashable, Sendable {
    /// What was wrong, in plain words.
    public let message: String
    /// The W3C error code for it.
    public let errorCode: VerificationErrorCode
    /// True when the method's document could not be had (offline, a time-out, a server error): the key is
    /// unknown, not wrong, and the check is indeterminate rather than failed.
    public let isUnavailable: Bool

    public init(_ message: String, errorCode: VerificationErrorCode, isUnavailable: Bool = false) {
        self.message = message
        self.errorCode = errorCode
        self.isUnavailable = isUnavailable
    }
}

/// Turns a proof's `verificationMethod` URL into a public key and its controller.
///
/// A resolver answers for the verification methods it ``handles(_:)`` — usually one DID method or URL scheme.
/// Resolvers that need a network live outside this module and are registered with the verifier; this module's
/// own resolver, ``DIDKeyResolver``, needs none.
public protocol VerificationMethodResolver: Sendable {
    /// What this resolver resolves, for messages: e.g. `did:key (Ed25519)`.
    var methodDescription: String { get }
    /// Whether this resolver is the one for `verificationMethod`.
    func handles(_ verificationMethod: String) -> Bool
    /// Resolves a verification method this resolver handles.
    /// - Parameters:
    ///   - verificationMethod: the proof's `verificationMethod` URL.
    ///   - purpose: the proof's purpose (`assertionMethod` for credentials): the verification relationship
    ///     of the DID document that must list the method.
    func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure)
        -> ResolvedVerificationMethod
}

/// Verification method resolvers tried in order: the first that handles a URL resolves it.
public struct ResolverRegistry: Sendable {
    /// The registered resolvers, in the order they are asked.
    public private(set) var resolvers: [any VerificationMethodResolver]

    /// A registry of `resolvers`; by default the offline ``DIDKeyResolver`` only.
    public init(_ resolvers: [any VerificationMethodResolver] = [DIDKeyResolver()]) {
        self.resolvers = resolvers
    }

    /// Adds a resolver; it is asked before those registered earlier, so it can take over a method.
    public mutating func register(_ resolver: any VerificationMethodResolver) {
        resolvers.insert(resolver, at: 0)
    }

    /// Resolves `verificationMethod` for `purpose` with the first resolver that handles it.
    public func resolve(_ verificationMethod: String, purpose: String) async throws(ResolutionFailure)
        -> ResolvedVerificationMethod
    {
        guard isURL(verificationMethod) else {
            throw ResolutionFailure("\"\(verificationMethod)\" is not a URL", errorCode: .invalidVerificationMethodURL)
        }
        guard let resolver = resolvers.first(where: { $0.handles(verificationMethod) }) else {
            let methods = resolvers.map(\.methodDescription)
            throw ResolutionFailure(
                "cannot resolve \(Self.scheme(of: verificationMethod)) verification methods here; only "
                    + (methods.isEmpty ? "no" : methods.joined(separator: ", ")) + " keys are resolved",
                errorCode: .invalidVerificationMethod)
        }
        return try await resolver.resolve(verificationMethod, purpose: purpose)
    }

    /// `did:web`, `https:`…: the DID method or URL scheme, for messages.
    static func scheme(of url: String) -> String {
        if url.hasPrefix("did:") {
            return "did:" + (url.dropFirst(4).split(separator: ":").first ?? "")
        }
        return String(url.prefix { $0 != ":" }) + ":"
    }
}
