public import CanonicalJSON
public import DataIntegrity
public import Ed25519OpenSSL

/// Why a credential was not signed. Each message names the field at fault and the next step.
public enum SigningError: Error, Hashable, Sendable {
    /// The input is not a JSON object.
    case notAnObject(String)
    /// The credential has no `issuer`, or it is not a URL or an object with a URL `id`.
    case missingIssuer
    /// The key does not belong to the credential's issuer.
    case issuerMismatch(issuer: String, keyController: String)
    /// The verification method given is a did:key of another key than the signing key.
    case verificationMethodNotThisKey(verificationMethod: String, keyDID: String)
    /// The verification method is not a URL.
    case invalidVerificationMethod(String)
    /// The credential's existing `proof` is neither a proof object nor an array of them.
    case malformedExistingProof(String)
    /// The credential already has as many proofs as a verifier checks.
    case tooManyProofs(limit: Int)
    /// The signing key could not be read.
    case key(Ed25519Error)
    /// OpenSSL could not sign.
    case crypto(Ed25519Error)
    /// The credential cannot be canonicalized for an `eddsa-rdfc-2022` proof (e.g. a term no context defines).
    case transformation(String)
}

/// The cryptosuites a ``CredentialSigner`` signs with.
public enum SigningCryptosuite: String, CaseIterable, Hashable, Sendable {
    /// RFC 8785 canonical JSON (`EddsaJcs2022`): any VC, whatever its terms.
    case eddsaJcs2022 = "eddsa-jcs-2022"
    /// RDF canonicalization (`EddsaRdfc2022`): what Open Badges wallets and validators check; every term must be
    /// defined by a bundled JSON-LD context.
    case eddsaRdfc2022 = "eddsa-rdfc-2022"
}

extension SigningError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notAnObject(let kind):
            "a credential is a JSON object; this is \(kind)"
        case .missingIssuer:
            "the credential has no issuer (a URL, or an object whose id is a URL); add the issuer's DID"
        case .issuerMismatch(let issuer, let keyController):
            "the credential's issuer is \(issuer) but the key belongs to \(keyController); sign with the issuer's key, "
                + "or name the issuer's verification method explicitly"
        case .verificationMethodNotThisKey(let method, let did):
            "the verification method \(method) names another key than the signing key (\(did))"
        case .invalidVerificationMethod(let method):
            "the verification method \"\(method)\" is not a URL (e.g. did:web:uni.example#key-1)"
        case .tooManyProofs(let limit):
            "the credential already has \(limit) proofs, the most a verifier checks; another one would make it unverifiable"
        case .malformedExistingProof(let kind):
            "the credential's proof is \(kind); an existing proof must be an object or an array of objects"
        case .key(let error):
            "\(error)"
        case .crypto(let error):
            "signing failed: \(error)"
        case .transformation(let message):
            "cannot make an eddsa-rdfc-2022 proof: \(message)"
        }
    }
}

/// Signs credentials with one issuer key: adds an `eddsa-jcs-2022` Data Integrity proof, or an
/// `eddsa-rdfc-2022` one, or both as a proof set.
///
/// The signer refuses a credential whose issuer is not the controller of the verification method, because
/// verifiers would reject it ("Issuer bound to key").
public struct CredentialSigner: Sendable {
    public let key: Ed25519PrivateKey
    /// The verification method written into each proof.
    public let verificationMethod: String
    /// The controller of the verification method: the issuer every signed credential must name.
    public let controller: String

    /// A signer whose key is read from a PKCS#8 PEM file's text (`PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`).
    ///
    /// - Parameters:
    ///   - pemEncoded: the key file's text.
    ///   - passphrase: the passphrase of an encrypted key.
    ///   - verificationMethod: as in ``init(key:verificationMethod:)``.
    /// - Throws: ``SigningError/key(_:)`` when the key cannot be read.
    public init(pemEncoded: String, passphrase: [UInt8]? = nil, verificationMethod: String? = nil) throws(SigningError) {
        let key: Ed25519PrivateKey
        do {
            key = try Ed25519PrivateKey(pemEncoded: pemEncoded, passphrase: passphrase)
        } catch {
            throw .key(error)
        }
        try self.init(key: key, verificationMethod: verificationMethod)
    }

    /// A signer with a new random key (from OpenSSL's generator), named by its did:key: for demonstrations
    /// and tests, where no key file is kept.
    public static func withNewKey() throws(SigningError) -> CredentialSigner {
        let key: Ed25519PrivateKey
        do {
            key = try Ed25519PrivateKey()
        } catch {
            throw .crypto(error)
        }
        return try CredentialSigner(key: key)
    }

    /// - Parameters:
    ///   - key: the issuer's signing key.
    ///   - verificationMethod: the key's verification method URL; by default its `did:key` form
    ///     (`did:key:z6Mk…#z6Mk…`). A `did:key` value must name this very key; for other methods (e.g.
    ///     `did:web:uni.example#key-1`) the part before `#` is taken as the controller.
    public init(key: Ed25519PrivateKey, verificationMethod: String? = nil) throws(SigningError) {
        let did = DIDKey(publicKey: key.publicKey)
        self.key = key
        guard let method = verificationMethod else {
            self.verificationMethod = did.verificationMethod
            self.controller = did.did
            return
        }
        guard isURL(method) else { throw .invalidVerificationMethod(method) }
        if method.hasPrefix("did:key:") {
            guard let named = try? DIDKey(parsing: method), named.publicKey == key.publicKey else {
                throw .verificationMethodNotThisKey(verificationMethod: method, keyDID: did.did)
            }
            self.controller = named.did
        } else {
            self.controller = String(method.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        }
        self.verificationMethod = method
    }

    /// Returns the credential with a new proof.
    ///
    /// - Parameters:
    ///   - credential: the credential as parsed; its members and their order are kept.
    ///   - created: the proof's `created` time.
    ///   - asProofSet: write `proof` as an array even when it is the only proof (Open Badges 3.0's JSON-LD
    ///     schema requires an array). By default a lone proof is a single object, as in the W3C vectors.
    ///   - cryptosuites: the proofs to add, in order; each covers the credential without any proof, so they form
    ///     a proof set (VC Data Integrity §4.3).
    public func sign(
        _ credential: JSONValue, created: DateTimeStamp?, asProofSet: Bool = false,
        cryptosuites: [SigningCryptosuite] = [.eddsaJcs2022]
    ) throws(SigningError) -> JSONObject {
        guard case .object(let document) = credential else { throw .notAnObject(credential.kindDescription) }
        switch document["proof"] {
        case nil, .object?: break
        case .array(let proofs)? where proofs.count >= VerificationPolicy.defaultMaximumProofCount:
            throw .tooManyProofs(limit: VerificationPolicy.defaultMaximumProofCount)
        case .array(let proofs)? where proofs.allSatisfy({ $0.objectValue != nil }): break
        case .array?: throw .malformedExistingProof("an array with a member that is not an object")
        case let other?: throw .malformedExistingProof(other.kindDescription)
        }
        guard let issuer = DataModelCheck.issuer(document["issuer"]) else { throw .missingIssuer }
        guard issuer.isExactly(controller) else { throw .issuerMismatch(issuer: issuer, keyController: controller) }
        let options = ProofOptions(verificationMethod: verificationMethod, created: created)
        let unsecured = UnsecuredDocument(document, omitting: "proof")
        var proofs: [JSONValue] = switch document["proof"] {
        case nil: []
        case .array(let existing)?: existing
        case let single?: [single]
        }
        for cryptosuite in cryptosuites {
            switch cryptosuite {
            case .eddsaJcs2022:
                do {
                    proofs.append(.object(try EddsaJcs2022.createProof(for: unsecured, options: options, key: key)))
                } catch {
                    throw .crypto(error)
                }
            case .eddsaRdfc2022:
                do {
                    proofs.append(.object(try EddsaRdfc2022.createProof(
                        for: unsecured.jsonObject, options: options, key: key)))
                } catch let error as EddsaRdfc2022.TransformationError {
                    throw .transformation(error.message)
                } catch let error as Ed25519Error {
                    throw .crypto(error)
                } catch {
                    throw .transformation("\(error)")
                }
            }
        }
        var signed = document
        signed["proof"] = proofs.count == 1 && !asProofSet ? proofs[0] : .array(proofs)
        return signed
    }
}
