public import CanonicalJSON
public import Ed25519OpenSSL

/// The `eddsa-jcs-2022` cryptosuite of the W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0", §3.3.
///
/// Everything works on the JSON values as received — never on a re-encoded model — because the signature
/// covers their RFC 8785 canonical bytes:
///
///     hashData = SHA-256(JCS(proof configuration)) ‖ SHA-256(JCS(document without proof))
///     proofValue = "z" + base58btc(Ed25519-sign(hashData))
public enum EddsaJcs2022 {
    /// The `cryptosuite` value.
    public static let cryptosuite = "eddsa-jcs-2022"
    /// The proof `type` every Data Integrity cryptosuite uses.
    public static let proofType = "DataIntegrityProof"

    /// §3.3.3 Transformation, §3.3.5 Proof Configuration and §3.3.4 Hashing: the 64 bytes that are signed.
    ///
    /// - Parameters:
    ///   - unsecuredDocument: the document without `proof` (or, for a chained proof, with only the proofs it
    ///     names in `previousProof`).
    ///   - options: the proof without `proofValue`. Its canonical form is the proof configuration (§3.3.5),
    ///     which carries an `@context` only when the proof does (§3.3.1 step 2 copies the document's).
    public static func hashData(unsecuredDocument: JSONObject, options: JSONObject) -> [UInt8] {
        hashData(document: unsecuredDocument, omitting: nil, options: options, optionsOmitting: nil)
    }

    /// `hashData(unsecuredDocument:options:)` of the document without its member `omitting` and the options
    /// without their member `optionsOmitting` (`proof` and `proofValue`), canonicalized without copying either.
    static func hashData(
        document: JSONObject, omitting: String?, options: JSONObject, optionsOmitting: String?
    ) -> [UInt8] {
        var hashData = [UInt8](repeating: 0, count: 64)
        hashData.withUnsafeMutableBytes { output in
            options.withCanonicalBytes(omitting: optionsOmitting) { SHA256.hash(UnsafeRawBufferPointer($0), into: output) }
            document.withCanonicalBytes(omitting: omitting) {
                SHA256.hash(UnsafeRawBufferPointer($0), into: UnsafeMutableRawBufferPointer(rebasing: output[32...]))
            }
        }
        return hashData
    }

    /// §3.3.1 Create Proof: a complete proof object for `unsecuredDocument`.
    ///
    /// The proof's members are `type`, `cryptosuite`, `created` (when given), `verificationMethod`,
    /// `proofPurpose`, the document's `@context` (when it has one) and `proofValue`, in that order, as in the
    /// W3C test vector.
    public static func createProof(
        for unsecuredDocument: JSONObject, options: ProofOptions, key: Ed25519PrivateKey
    ) throws(Ed25519Error) -> JSONObject {
        try createProof(for: unsecuredDocument, omitting: nil, options: options, key: key)
    }

    /// ``createProof(for:options:key:)`` for `document` without its member `omitting`.
    static func createProof(
        for document: JSONObject, omitting: String?, options: ProofOptions, key: Ed25519PrivateKey
    ) throws(Ed25519Error) -> JSONObject {
        var proof = options.jsonObject()
        if let context = document["@context"] { proof["@context"] = context }
        let hashData = hashData(document: document, omitting: omitting, options: proof, optionsOmitting: nil)
        proof["proofValue"] = .string(Multibase.encodeBase58btc(try key.signature(for: hashData)))
        return proof
    }

    /// VC Data Integrity 1.0 §4.2 Add Proof and §4.3 Add Proof Set: returns `document` secured with a new proof.
    ///
    /// A document without `proof` gets a single proof object; one that already has a proof or a proof set gets
    /// an array holding the existing proofs and then the new one. The new proof covers the document without
    /// any of the existing proofs, so the proofs are independent (a proof set, not a chain).
    public static func addProof(
        to document: JSONObject, options: ProofOptions, key: Ed25519PrivateKey
    ) throws(Ed25519Error) -> JSONObject {
        let proof = try createProof(for: document, omitting: "proof", options: options, key: key)
        var secured = document
        switch document["proof"] {
        case nil:
            secured["proof"] = .object(proof)
        case .array(let proofs)?:
            secured["proof"] = .array(proofs + [.object(proof)])
        case let single?:
            secured["proof"] = .array([single, .object(proof)])
        }
        return secured
    }

    /// The outcome of §3.3.2 Verify Proof for one proof.
    public enum ProofVerification: Hashable, Sendable {
        /// The signature is valid for the document and the proof options.
        case verified
        /// The proof's `@context` is not a prefix of the document's `@context` (§3.3.2 step 4).
        case contextMismatch
        /// `proofValue` is missing, not a `z` multibase value, or does not decode to 64 bytes.
        case malformedProofValue(String)
        /// Ed25519 rejected the signature: the document or the proof changed, or another key signed.
        case signatureMismatch
    }

    /// §3.3.2 Verify Proof.
    ///
    /// - Parameters:
    ///   - proof: the proof object, with `proofValue`.
    ///   - unsecuredDocument: the document without `proof` (for a chained proof, with the proofs it names).
    ///   - publicKey: the key of the proof's verification method.
    public static func verifyProof(
        _ proof: JSONObject, unsecuredDocument: JSONObject, publicKey: Ed25519PublicKey
    ) -> ProofVerification {
        verifyProof(proof, document: unsecuredDocument, omitting: nil, publicKey: publicKey)
    }

    /// ``verifyProof(_:unsecuredDocument:publicKey:)`` for `document` without its member `omitting`.
    static func verifyProof(
        _ proof: JSONObject, document: JSONObject, omitting: String?, publicKey: Ed25519PublicKey
    ) -> ProofVerification {
        guard case .string(let proofValue)? = proof["proofValue"] else {
            return .malformedProofValue("proofValue is missing or not a string")
        }
        let signature: [UInt8]
        do {
            signature = try Multibase.decodeBase58btc(proofValue)
        } catch {
            return .malformedProofValue("proofValue is not base58btc multibase: \(error)")
        }
        guard signature.count == 64 else {
            return .malformedProofValue("proofValue decodes to \(signature.count) bytes; an Ed25519 signature is 64")
        }
        var document = document
        if let proofContext = proof["@context"] {
            let documentContext = document["@context"]
            guard contextStarts(documentContext, with: proofContext) else { return .contextMismatch }
            // Usually the two are the same value; replacing it would only copy the document.
            if documentContext != proofContext { document["@context"] = proofContext }
        }
        let hashData = hashData(document: document, omitting: omitting, options: proof, optionsOmitting: "proofValue")
        return publicKey.isValidSignature(signature, for: hashData) ? .verified : .signatureMismatch
    }

    /// Whether the document's `@context` starts with every value of the proof's `@context`, in order.
    ///
    /// Values are compared as JSON, not as text or member order: an inline context object whose members were
    /// reordered is the same value (the same RFC 8785 canonical bytes).
    static func contextStarts(_ documentContext: JSONValue?, with proofContext: JSONValue) -> Bool {
        func items(_ value: JSONValue?) -> [JSONValue] {
            switch value {
            case .array(let values)?: values
            case let single?: [single]
            case nil: []
            }
        }
        let document = items(documentContext)
        let proof = items(proofContext)
        return proof.count <= document.count
            && zip(proof, document).allSatisfy { $0 == $1 || $0.canonicalBytes() == $1.canonicalBytes() }
    }
}

/// The options of a new `eddsa-jcs-2022` proof.
public struct ProofOptions: Sendable {
    /// The URL of the key that signs, e.g. `did:key:z6Mk…#z6Mk…`.
    public var verificationMethod: String
    /// When the proof was made; omitted from the proof when `nil`.
    public var created: DateTimeStamp?
    /// Why the proof was made; credentials use `assertionMethod`.
    public var proofPurpose: String
    /// An optional identifier of the proof (e.g. `urn:uuid:…`).
    public var id: String?

    /// Options for a new proof; credentials use the default purpose, `assertionMethod`.
    public init(
        verificationMethod: String, created: DateTimeStamp?, proofPurpose: String = "assertionMethod",
        id: String? = nil
    ) {
        self.verificationMethod = verificationMethod
        self.created = created
        self.proofPurpose = proofPurpose
        self.id = id
    }

    /// The proof options as the first members of a proof object.
    func jsonObject() -> JSONObject {
        var members: [JSONMember] = []
        if let id { members.append(JSONMember("id", .string(id))) }
        members.append(JSONMember("type", .string(EddsaJcs2022.proofType)))
        members.append(JSONMember("cryptosuite", .string(EddsaJcs2022.cryptosuite)))
        if let created { members.append(JSONMember("created", .string(created.text))) }
        members.append(JSONMember("verificationMethod", .string(verificationMethod)))
        members.append(JSONMember("proofPurpose", .string(proofPurpose)))
        return JSONObject(members)
    }
}
