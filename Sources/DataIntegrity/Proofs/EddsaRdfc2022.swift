public import CanonicalJSON
public import Ed25519OpenSSL
import JSONLD
import RDF
import RDFCanonicalization

/// The `eddsa-rdfc-2022` cryptosuite of the W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0", §3.2:
/// what Open Badges wallets and validators check.
///
///     hashData = SHA-256(RDFC-1.0(JSON-LD→RDF(proof configuration))) ‖ SHA-256(RDFC-1.0(JSON-LD→RDF(document)))
///     proofValue = "z" + base58btc(Ed25519-sign(hashData))
///
/// JSON-LD contexts come only from those bundled (``JSONLD/BundledContexts``); a term or type that no context
/// defines is refused with `DATA_LOSS_DETECTION_ERROR` rather than silently left out of what is signed.
public struct EddsaRdfc2022: Cryptosuite {
    /// The `cryptosuite` value.
    public static let cryptosuite = "eddsa-rdfc-2022"

    public var proofType: String { EddsaJcs2022.proofType }
    public var name: String { Self.cryptosuite }

    public init() {}

    /// Why a document could not be turned into the canonical RDF that is hashed.
    public struct TransformationError: Error, Hashable, Sendable, CustomStringConvertible {
        public let message: String
        /// `DATA_LOSS_DETECTION_ERROR` for an undefined term, else `PROOF_VERIFICATION_ERROR`.
        public let errorCode: VerificationErrorCode
        public var description: String { message }
    }

    /// The canonical N-Quads of a JSON-LD document (§3.2.3 Transformation; also the proof configuration).
    public static func canonicalNQuads(_ document: JSONValue) throws(TransformationError) -> String {
        String(decoding: try canonicalBytes(document), as: UTF8.self)
    }

    /// ``canonicalNQuads(_:)`` as UTF-8.
    private static func canonicalBytes(_ document: JSONValue) throws(TransformationError) -> [UInt8] {
        do {
            return try RDFCanonicalizer().canonicalNQuads(of: try JSONLDProcessor().dataset(of: document))
        } catch let error as JSONLDError {
            if case .dataLoss = error {
                throw TransformationError(message: "\(error)", errorCode: .dataLossDetectionError)
            }
            throw TransformationError(message: "\(error)", errorCode: .proofVerificationError)
        } catch {
            throw TransformationError(message: "\(error)", errorCode: .proofVerificationError)
        }
    }

    /// §3.2.3–3.2.5: the 64 bytes that are signed, from the document without proof and the proof options
    /// (without `proofValue`), which take the document's `@context`.
    public static func hashData(document: JSONObject, options: JSONObject) throws(TransformationError) -> [UInt8] {
        var configuration = options
        configuration["proofValue"] = nil
        configuration["@context"] = document["@context"]
        let proofHash = SHA256.hash(try canonicalBytes(.object(configuration)))
        let documentHash = SHA256.hash(try canonicalBytes(.object(document)))
        return proofHash + documentHash
    }

    /// §3.2.1 Create Proof: a proof for `document` (without its `proof`), its members in the W3C vector's order.
    public static func createProof(
        for document: JSONObject, options: ProofOptions, key: Ed25519PrivateKey
    ) throws -> JSONObject {
        var proof = options.jsonObject(cryptosuite: cryptosuite)
        proof["proofValue"] = .string(Multibase.encodeBase58btc(
            try key.signature(for: try hashData(document: document, options: proof))))
        return proof
    }

    /// §3.2.2 Verify Proof.
    public func verifyProof(_ proof: JSONObject, document: UnsecuredDocument, key: VerificationKey) -> ProofVerification {
        guard case .ed25519(let publicKey) = key else {
            return .failed(message: "the verification method's key is \(key.typeName); eddsa-rdfc-2022 needs an Ed25519 key",
                           errorCode: .proofVerificationError)
        }
        guard case .string(let proofValue)? = proof["proofValue"],
              let signature = try? Multibase.decodeBase58btc(proofValue), signature.count == 64
        else {
            return .failed(message: "proofValue is not a base58btc multibase Ed25519 signature of 64 bytes",
                           errorCode: .proofVerificationError)
        }
        var unsecured = document.jsonObject
        if let proofContext = proof["@context"] {
            guard EddsaJcs2022.contextStarts(unsecured["@context"], with: proofContext) else {
                return .failed(message: "the proof's @context is not the beginning of the credential's @context",
                               errorCode: .proofVerificationError)
            }
            unsecured["@context"] = proofContext
        }
        let hashData: [UInt8]
        do {
            hashData = try Self.hashData(document: unsecured, options: proof)
        } catch {
            return .failed(message: "the credential cannot be canonicalized as RDF: \(error.message)",
                           errorCode: error.errorCode)
        }
        guard publicKey.isValidSignature(signature, for: hashData) else {
            return .failed(
                message: "the signature does not match: the credential or its proof changed after signing, or another "
                    + "key signed it",
                errorCode: .cryptographicSecurityError)
        }
        return .verified(message: "the Ed25519 signature over the canonical RDF of the credential is valid")
    }
}
