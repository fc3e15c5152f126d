import CanonicalJSON
import Synchronization

/// Resolves `did:key` Ed25519 verification methods, offline: the key is inside the identifier, so the DID
/// document is derived, not fetched, and its controller is the DID itself.
///
/// Resolved keys are cached, since an auditor checking a batch meets the same few issuer keys again and again.
public final class DIDKeyResolver: VerificationMethodResolver {
    private let cache = Mutex([String: ResolvedVerificationMethod]())
    private let capacity: Int

    /// - Parameter capacity: how many distinct verification methods to remember.
    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    public var methodDescription: String { "did:key (Ed25519)" }

    public func handles(_ verificationMethod: String) -> Bool {
        verificationMethod.hasPrefix("did:key:")
    }

    /// Resolves a verification method URL such as `did:key:z6Mk…#z6Mk…`. A did:key document lists its one key
    /// under every verification relationship, so any `purpose` is served.
    public func resolve(_ verificationMethod: String, purpose: String = "assertionMethod") throws(ResolutionFailure)
        -> ResolvedVerificationMethod
    {
        // Swift's String keys compare canonically equivalent strings as equal; the exact check below keeps a
        // look-alike from being served a cached key.
        if let cached = cache.withLock({ $0[verificationMethod] }), cached.id.isExactly(verificationMethod) {
            return cached
        }
        let did: DIDKey
        do {
            did = try DIDKey(parsing: verificationMethod)
        } catch {
            throw ResolutionFailure(String(describing: error), errorCode: .invalidVerificationMethod)
        }
        let resolved = ResolvedVerificationMethod(id: verificationMethod, controller: did.did, key: .ed25519(did.publicKey))
        cache.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[verificationMethod] = resolved
        }
        return resolved
    }
}
