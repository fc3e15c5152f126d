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

    /// Keyed by the exact UTF-8 bytes, so canonically equivalent look-alikes never share an entry.
    private let cache = Mutex<[[UInt8]: Resolution]>([:])
    private let capacity: Int

    /// - Parameter capacity: how many distinct verification methods to remember.
    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Resolves a verification method URL such as `did:key:z6Mk…#z6Mk…`.
    public func resolve(_ verificationMethod: String) -> Result<Resolution, Failure> {
        let cacheKey = Array(verificationMethod.utf8)
        if let cached = cache.withLock({ $0[cacheKey] }) { return .success(cached) }
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
        cache.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = resolution
        }
        return .success(resolution)
    }
}
