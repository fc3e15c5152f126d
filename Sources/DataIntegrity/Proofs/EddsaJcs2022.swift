public import CanonicalJSON
public import Ed25519OpenSSL

/// The `eddsa-jcs-2022` cryptosuite of the W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0", §3.3.
///
/// Everything works on the JSON values as received — never on a re-encoded model — because the signature
/// covers their RFC 8785 canonical bytes:
///
///     hashData = SHA-256(JCS(proof configuration)) ‖ SHA-256(JCS(document without proof))
///     proofValue = "z" + base58btc(Ed25519-sign(hashData))
public struct EddsaJcs2022: Cryptosuite {
    /// The `cryptosuite` value.
    public static let cryptosuite = "eddsa-jcs-2022"
    /// The proof `type` every Data Integrity cryptosuite uses.
    public static let proofType = "DataIntegrityProof"

    public var proofType: String { Self.proofType }
    public var name: String { Self.cryptosuite }

    public init() {}

    /// §3.3.3 Transformation, §3.3.5 Proof Configuration and §3.3.4 Hashing: the 64 bytes that are signed.
    ///
    /// - Parameters:
    ///   - document: the document without `proof` (or, for a chained proof, with only the proofs it names in
    ///     `previousProof`).
    ///   - options: the proof without `proofValue`. Its canonical form is the proof configuration (§3.3.5),
    ///     which carries an `@context` only when the proof does (§3.3.1 step 2 copies the document's).
    public static func hashData(document: UnsecuredDocument, options: UnsecuredDocument) -> [UInt8] {
        var hashData = [UInt8](repeating: 0, count: 64)
        hashData.withUnsafeMutableBytes { output in
            options.withCanonicalBytes { SHA256.hash(UnsafeRawBufferPointer($0), into: output) }
            document.withCanonicalBytes {
                SHA256.hash(UnsafeRawBufferPointer($0), into: UnsafeMutableRawBufferPointer(rebasing: output[32...]))
            }
        }
        return hashData
    }

    /// §3.3.1 Create Proof: a complete proof object for `document`.
    ///
    /// The proof's members are `type`, `cryptosuite`, `created` (when given), `verificationMethod`,
    /// `proofPurpose`, the document's `@context` (when it has one) and `proofValue`, in that order, as in the
    /// W3C test vector.
    public static func createProof(
        for document: UnsecuredDocument, options: ProofOptions, key: Ed25519PrivateKey
    ) throws(Ed25519Error) -> JSONObject {
        var proof = options.jsonObject()
        if let context = document["@context"] { proof["@context"] = context }
        let hashData = hashData(document: document, options: UnsecuredDocument(proof))
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
        let proof = try createProof(for: UnsecuredDocument(document, omitting: "proof"), options: options, key: key)
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

    /// §3.3.2 Verify Proof.
    public func verifyProof(_ proof: JSONObject, document: UnsecuredDocument, key: VerificationKey) -> ProofVerification {
        guard case .ed25519(let publicKey) = key else {
            return .failed(message: "the verification method's key is \(key.typeName); eddsa-jcs-2022 needs an Ed25519 key",
                           errorCode: .proofVerificationError)
        }
        guard case .string(let proofValue)? = proof["proofValue"] else {
            return .failed(message: "proofValue is missing or not a string", errorCode: .proofVerificationError)
        }
        let signature: [UInt8]
        do {
            signature = try Multibase.decodeBase58btc(proofValue)
        } catch {
            return .failed(message: "proofValue is not base58btc multibase: \(error)", errorCode: .proofVerificationError)
        }
        guard signature.count == 64 else {
            return .failed(message: "proofValue decodes to \(signature.count) bytes; an Ed25519 signature is 64",
                           errorCode: .proofVerificationError)
        }
        var document = document
        if let proofContext = proof["@context"] {
            let documentContext = document["@context"]
            guard Self.contextStarts(documentContext, with: proofContext) else {
                return .failed(message: "the proof's @context is not the beginning of the credential's @context",
                               errorCode: .proofVerificationError)
            }
            // Usually the two are the same value; replacing it would only copy the document.
            if documentContext != proofContext { document.setContext(proofContext) }
        }
        let hashData = Self.hashData(document: document, options: UnsecuredDocument(proof, omitting: "proofValue"))
        guard publicKey.isValidSignature(signature, for: hashData) else {
            return .failed(
                message: "the signature does not match: the credential or its proof changed after signing, or another "
                    + "key signed it",
                errorCode: .cryptographicSecurityError)
        }
        return .verified(message: "the Ed25519 signature over the canonical credential is valid")
    }

    /// Whether the document's `@context` starts with every value of the proof's `@context`, in order.
    ///
    /// Values are compared as JSON (the same RFC 8785 canonical bytes), not as text or member order: an inline
    /// context object whose members were reordered is the same value.
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

/// The options of a new Data Integrity proof.
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
    func jsonObject(cryptosuite: String = EddsaJcs2022.cryptosuite) -> JSONObject {
        var members: [JSONMember] = []
        if let id { members.append(JSONMember("id", .string(id))) }
        members.append(JSONMember("type", .string(EddsaJcs2022.proofType)))
        members.append(JSONMember("cryptosuite", .string(cryptosuite)))
        if let created { members.append(JSONMember("created", .string(created.text))) }
        members.append(JSONMember("verificationMethod", .string(verificationMethod)))
        members.append(JSONMember("proofPurpose", .string(proofPurpose)))
        return JSONObject(members)
    }
}
