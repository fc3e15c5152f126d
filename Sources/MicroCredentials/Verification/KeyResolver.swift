public import Ed25519OpenSSL
import Synchronization

/// Turns a proof's `verificationMethod` into an Ed25519 public key, without any network access.
///
/// Only `did:key` Ed25519 verification methods resolve: the key is inside the identifier, so the DID document
/// is derived, not fetched, and its controller is the DID itself. Resolved keys are cached, since an auditor
/// checking a batch meets the same few issuer keys again and again.
public final class KeyResolver: Sendable {
    /// What a verification method resolved to.
    public struct Resolution: Sendable {
        /// The public key.
        public let publicKey: Ed25519PublicKey
        /// The controller of the verification method: the DID, for did:key.
        public let controller: String
    }

    /// Why a verification method did not resolve.
    public struct Failure: Error, Sendable {
        /// What is wrong with the verification method, in plain words.
        public let message: String
        /// The W3C error code for it.
        public let errorCode: VerificationErrorCode
    }

    private let cache = Mutex(Cache())
    private let capacity: Int

    /// The resolved verification methods.
    private struct Cache {
        /// Keyed by the exact UTF-8 bytes, so canonically equivalent look-alikes never share an entry.
        var entries: [[UInt8]: Resolution] = [:]
        /// The latest resolution, looked at first: a batch usually repeats one issuer's key, and comparing its
        /// bytes needs no allocation.
        var latest: (verificationMethod: String, resolution: Resolution)?

        /// The cached resolution of exactly these bytes.
        mutating func lookUp(_ verificationMethod: String) -> Resolution? {
            if let latest, latest.verificationMethod.isExactly(verificationMethod) { return latest.resolution }
            guard let resolution = entries[Array(verificationMethod.utf8)] else { return nil }
            latest = (verificationMethod, resolution)
            return resolution
        }

        /// Remembers a resolution, forgetting all others when `capacity` are remembered.
        mutating func insert(_ resolution: Resolution, for verificationMethod: String, capacity: Int) {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Array(verificationMethod.utf8)] = resolution
            latest = (verificationMethod, resolution)
        }
    }

    /// - Parameter capacity: how many distinct verification methods to remember.
    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Resolves a verification method URL such as `did:key:z6Mk…#z6Mk…`.
    public func resolve(_ verificationMethod: String) -> Result<Resolution, Failure> {
        if let cached = cache.withLock({ $0.lookUp(verificationMethod) }) { return .success(cached) }
        guard let colon = verificationMethod.firstIndex(of: ":"), colon != verificationMethod.startIndex,
              !verificationMethod.contains(where: { $0 == " " || $0.isNewline })
        else {
            return .failure(Failure(
                message: "\"\(verificationMethod)\" is not a URL", errorCode: .invalidVerificationMethodURL))
        }
        guard verificationMethod.hasPrefix("did:key:") else {
            let scheme = verificationMethod.hasPrefix("did:")
                ? "did:" + (verificationMethod.dropFirst(4).split(separator: ":").first ?? "")
                : String(verificationMethod[..<colon]) + ":"
            return .failure(Failure(
                message: "cannot resolve \(scheme) verification methods here; only did:key (Ed25519) keys are "
                    + "resolved, offline",
                errorCode: .invalidVerificationMethod))
        }
        let did: DIDKey
        do {
            did = try DIDKey(parsing: verificationMethod)
        } catch {
            return .failure(Failure(message: String(describing: error), errorCode: .invalidVerificationMethod))
        }
        let resolution = Resolution(publicKey: did.publicKey, controller: did.did)
        cache.withLock { $0.insert(resolution, for: verificationMethod, capacity: capacity) }
        return .success(resolution)
    }
}
