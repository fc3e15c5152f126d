public import CanonicalJSON

/// A Data Integrity cryptosuite: how one kind of proof is verified (VC Data Integrity 1.0 §3).
///
/// The verifier picks the cryptosuite whose ``proofType`` and ``name`` match a proof, resolves the proof's
/// verification method, and hands both here. To add a cryptosuite, conform to this protocol and register the
/// conformer with the verifier; ``EddsaJcs2022`` is the first conformer.
public protocol Cryptosuite: Sendable {
    /// The proof `type` the cryptosuite produces: `DataIntegrityProof` for every Data Integrity cryptosuite.
    var proofType: String { get }
    /// The `cryptosuite` value, e.g. `eddsa-jcs-2022`.
    var name: String { get }
    /// Verifies one proof of a document.
    ///
    /// - Parameters:
    ///   - proof: the proof object, with its `proofValue`.
    ///   - document: the document the proof covers: the credential without `proof`, or for a chained proof
    ///     with the proofs that it names in `previousProof` (VC Data Integrity 1.0 §4.5).
    ///   - key: the key of the proof's verification method.
    func verifyProof(_ proof: JSONObject, document: UnsecuredDocument, key: VerificationKey) -> ProofVerification
}

extension Cryptosuite {
    /// `"DataIntegrityProof with eddsa-jcs-2022"`: the cryptosuite for people.
    public var displayName: String { "\(proofType) with \(name)" }
}

/// A document that a proof covers, without its `proof` member.
///
/// Hashing a credential without its proof is the commonest step of every verification, so the member is left
/// out while the canonical form is written rather than by copying the credential.
public struct UnsecuredDocument: Sendable {
    private var object: JSONObject
    private let omitted: String?

    /// A document that is exactly `object`.
    public init(_ object: JSONObject) {
        self.object = object
        self.omitted = nil
    }

    /// `object` without its member named exactly `omitted`, when it has one.
    public init(_ object: JSONObject, omitting omitted: String) {
        self.object = object
        self.omitted = omitted
    }

    /// A member of the document.
    public subscript(name: String) -> JSONValue? {
        if let omitted, name.isExactly(omitted) { return nil }
        return object[name]
    }

    /// Replaces the document's `@context` (VC Data Integrity: a proof's `@context` stands for the document's).
    public mutating func setContext(_ context: JSONValue) {
        object["@context"] = context
    }

    /// The document as an object, the omitted member left out (a copy).
    public var jsonObject: JSONObject {
        guard let omitted, object[omitted] != nil else { return object }
        var copy = object
        copy[omitted] = nil
        return copy
    }

    /// Calls `body` with the document's RFC 8785 canonical bytes; they are valid during the call only.
    public func withCanonicalBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        object.withCanonicalBytes(omitting: omitted, body)
    }
}

/// The outcome of verifying one proof.
public enum ProofVerification: Hashable, Sendable {
    /// The proof is valid; `message` says what was checked, e.g. "the Ed25519 signature … is valid".
    case verified(message: String)
    /// The proof is not valid: why, and the W3C error code for it.
    case failed(message: String, errorCode: VerificationErrorCode)

    /// Whether the proof verified.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}
