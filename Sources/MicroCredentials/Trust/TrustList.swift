public import CanonicalJSON
public import DataIntegrity
public import Ed25519OpenSSL

/// A list of recognised awarding bodies: a VC 2.0 credential of type `AwardingBodyTrustList`, signed by the
/// list's operator (a registry, an accreditation agency), naming each body, its country, its accreditation
/// and the keys it signs with (`spec/trust-list.md`).
///
/// Read an unverified list with ``init(credential:)`` (for editing it); read one to rely on with
/// ``verified(_:anchors:verifier:at:)``, which checks its proof, its operator and its validity period.
public struct TrustList: Hashable, Sendable {
    /// The credential type that marks a trust list.
    public static let type = "AwardingBodyTrustList"
    /// The JSON-LD context that defines the trust-list terms (the mcred extension context).
    public static let context = "https://mcred.example/ns/microcredential/v1"

    /// The list's `name`, shown in reports («…»).
    public var name: String
    /// The operator: the list credential's issuer.
    public var operatorID: String
    /// The list's validity period.
    public var validFrom: DateTimeStamp?
    public var validUntil: DateTimeStamp?
    /// The awarding bodies, in list order.
    public var entries: [TrustedAwardingBody]

    /// Whether the list may be relied on at `time`: from `validFrom` (inclusive) until `validUntil` (exclusive).
    public func isValid(at time: DateTimeStamp) -> Bool {
        (validFrom.map { time >= $0 } ?? true) && (validUntil.map { time < $0 } ?? true)
    }

    /// The entry for an issuer (exact comparison of identifiers).
    public func entry(for issuer: String) -> TrustedAwardingBody? {
        entries.first { $0.id.isExactly(issuer) }
    }

    public init(name: String, operatorID: String, validFrom: DateTimeStamp? = nil, validUntil: DateTimeStamp? = nil,
                entries: [TrustedAwardingBody] = []) {
        self.name = name
        self.operatorID = operatorID
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.entries = entries
    }
}

/// One recognised awarding body.
public struct TrustedAwardingBody: Hashable, Sendable {
    /// The body's issuer identifier: a DID or URL, compared exactly with credentials' `issuer`.
    public var id: String
    /// Its name.
    public var name: String
    /// ISO 3166-1 alpha-2 country code, upper case.
    public var country: String
    /// Its accreditation, when the list records one.
    public var accreditation: Accreditation?
    /// The keys it signs with. Empty: any key bound to the issuer counts.
    public var keys: [TrustedKey]

    public init(id: String, name: String, country: String, accreditation: Accreditation? = nil,
                keys: [TrustedKey] = []) {
        self.id = id
        self.name = name
        self.country = country
        self.accreditation = accreditation
        self.keys = keys
    }

    /// "Example University (NL), accredited by NVAO (ref. 123)".
    public var description: String {
        var text = "\(name) (\(country))"
        if let accreditation, let body = accreditation.qualityAssuranceBody {
            text += ", accredited by \(body)"
            if let reference = accreditation.reference { text += " (ref. \(reference))" }
        }
        return text
    }
}

/// A quality-assurance accreditation (EU element 11, type of quality assurance).
public struct Accreditation: Hashable, Sendable {
    /// The quality-assurance body (e.g. an agency registered in EQAR).
    public var qualityAssuranceBody: String?
    /// Its reference for the accreditation.
    public var reference: String?
    /// Where the accreditation is published.
    public var url: String?

    public init(qualityAssuranceBody: String? = nil, reference: String? = nil, url: String? = nil) {
        self.qualityAssuranceBody = qualityAssuranceBody
        self.reference = reference
        self.url = url
    }
}

/// A key an awarding body signs with, and when it may sign: proofs created in `[validFrom, validUntil)` count.
public struct TrustedKey: Hashable, Sendable {
    /// The key, as `publicKeyMultibase` (`z6Mk…`).
    public var publicKeyMultibase: String
    /// The key.
    public var publicKey: Ed25519PublicKey
    public var validFrom: DateTimeStamp
    /// When the key was retired (rotation or compromise); nil while it is in use.
    public var validUntil: DateTimeStamp?

    public init(publicKey: Ed25519PublicKey, validFrom: DateTimeStamp, validUntil: DateTimeStamp? = nil) {
        self.publicKey = publicKey
        self.publicKeyMultibase = Multikey.encode(publicKey)
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// A key given as a did:key, a did:key verification method or a `z6Mk…` Multikey value.
    public init(encoded text: String, validFrom: DateTimeStamp, validUntil: DateTimeStamp? = nil) throws(MultibaseError) {
        let key = text.hasPrefix("did:key:") ? try DIDKey(parsing: text).publicKey : try Multikey.decodePublicKey(text)
        self.init(publicKey: key, validFrom: validFrom, validUntil: validUntil)
    }

    /// Whether a proof created at `time` falls in the key's window.
    public func isValid(at time: DateTimeStamp) -> Bool {
        time >= validFrom && (validUntil.map { time < $0 } ?? true)
    }
}

/// Why a trust list cannot be used. The message is one plain sentence.
public struct TrustListError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Who may operate a trust list: the list's issuer must be one of these.
public enum TrustAnchor: Hashable, Sendable {
    /// A DID (did:key, did:web…) or URL the list's issuer must be exactly.
    case identifier(String)
    /// A public key that must have made the list's verified proof.
    case publicKey(Ed25519PublicKey)
}

extension TrustAnchor {
    /// An anchor from a public key file: SubjectPublicKeyInfo, PEM or DER.
    public init(publicKeyFile bytes: [UInt8]) throws(TrustListError) {
        do {
            self = .publicKey(try Ed25519PublicKey(pemOrDER: bytes))
        } catch {
            throw TrustListError("not an Ed25519 public key file: \(error)")
        }
    }
}

extension TrustList {
    /// Reads a trust list credential without checking its proof (to edit or show it).
    /// - Throws: ``TrustListError`` naming the first member that is missing or malformed.
    public init(credential: JSONObject) throws(TrustListError) {
        guard case .array(let types)? = credential["type"], types.contains(.string(Self.type)) else {
            throw TrustListError("this is not a trust list: its type does not include \(Self.type)")
        }
        let issuer: String?
        switch credential["issuer"] {
        case .string(let id)?: issuer = id
        case .object(let object)?: issuer = object["id"]?.stringValue
        default: issuer = nil
        }
        guard let issuer, isURL(issuer) else { throw TrustListError("the trust list has no issuer URL") }
        func date(_ value: JSONValue?, _ path: String) throws(TrustListError) -> DateTimeStamp? {
            guard let value else { return nil }
            guard let text = value.stringValue, let stamp = DateTimeStamp(text) else {
                throw TrustListError("\(path) is not an XML Schema dateTimeStamp")
            }
            return stamp
        }
        guard case .object(let subject)? = credential["credentialSubject"] else {
            throw TrustListError("the trust list has no credentialSubject object")
        }
        guard case .array(let entryValues)? = subject["entries"] else {
            throw TrustListError("credentialSubject.entries is missing or not an array")
        }
        var entries: [TrustedAwardingBody] = []
        for (index, value) in entryValues.enumerated() {
            entries.append(try TrustedAwardingBody(json: value, path: "credentialSubject.entries[\(index)]"))
        }
        var seen: [String] = []
        for entry in entries {
            if seen.contains(where: { $0.isExactly(entry.id) }) {
                throw TrustListError("the awarding body \(entry.id) is listed twice")
            }
            seen.append(entry.id)
        }
        self.init(
            name: credential["name"]?.stringValue ?? "unnamed trust list", operatorID: issuer,
            validFrom: try date(credential["validFrom"], "validFrom"),
            validUntil: try date(credential["validUntil"], "validUntil"), entries: entries)
    }

    /// Reads a trust list and checks that it can be relied on at `time`: its proof verifies, its issuer is one
    /// of `anchors`, and `time` is within its validity period.
    ///
    /// - Parameters:
    ///   - bytes: the signed trust list.
    ///   - anchors: who may operate a list.
    ///   - verifier: verifies the list's proof (its resolvers must resolve the operator's key).
    ///   - time: the instant the list must be valid at.
    public static func verified(
        _ bytes: [UInt8], anchors: [TrustAnchor], verifier: CredentialVerifier, at time: DateTimeStamp
    ) async throws(TrustListError) -> TrustList {
        guard case .object(let credential)? = try? JSONValue(parsing: bytes, limits: verifier.policy.limits) else {
            throw TrustListError("the trust list is not a JSON object")
        }
        let list = try TrustList(credential: credential)
        let report = await verifier.verify(.object(credential), at: time)
        if let failure = report.firstAuthenticityProblem {
            throw TrustListError("the trust list «\(list.name)» does not verify: \(failure.kind.name): \(failure.message)")
        }
        if let from = list.validFrom, time < from {
            throw TrustListError("the trust list «\(list.name)» is not valid yet: valid from \(from)")
        }
        if let until = list.validUntil, time >= until {
            throw TrustListError("the trust list «\(list.name)» expired at \(until); get a current one from its operator")
        }
        let proofKeys = report.verifiedProofs.map(\.verificationMethod.key)
        let anchored = anchors.contains { anchor in
            switch anchor {
            case .identifier(let id): id.isExactly(list.operatorID)
            case .publicKey(let key): proofKeys.contains(.ed25519(key))
            }
        }
        guard anchored else {
            throw TrustListError("the trust list «\(list.name)» is signed by \(list.operatorID), which is not a trust anchor")
        }
        return list
    }

    /// The list as an unsigned credential: `issuer` is ``operatorID``; a signer adds the proof.
    public func credential() -> JSONObject {
        var credential: JSONObject = [
            "@context": [.string(CredentialVerifier.credentialsContextV2), .string(Self.context)],
            "type": ["VerifiableCredential", .string(Self.type)],
            "issuer": .string(operatorID),
            "name": .string(name),
        ]
        if let validFrom { credential["validFrom"] = .string(validFrom.text) }
        if let validUntil { credential["validUntil"] = .string(validUntil.text) }
        credential["credentialSubject"] = ["type": "AwardingBodyList", "entries": .array(entries.map(\.json))]
        return credential
    }
}

extension TrustedAwardingBody {
    init(json value: JSONValue, path: String) throws(TrustListError) {
        guard case .object(let object) = value else { throw TrustListError("\(path) is not an object") }
        func text(_ name: String) throws(TrustListError) -> String {
            guard let text = object[name]?.stringValue, !text.isEmpty else {
                throw TrustListError("\(path).\(name) is missing or not a string")
            }
            return text
        }
        let id = try text("id")
        guard isURL(id) else { throw TrustListError("\(path).id \"\(id)\" is not a URL") }
        let country = try text("country")
        guard country.utf8.count == 2, country.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw TrustListError("\(path).country \"\(country)\" is not an ISO 3166-1 alpha-2 code such as NL")
        }
        var accreditation: Accreditation?
        if let member = object["accreditation"] {
            guard case .object(let fields) = member else { throw TrustListError("\(path).accreditation is not an object") }
            accreditation = Accreditation(
                qualityAssuranceBody: fields["qualityAssuranceBody"]?.stringValue,
                reference: fields["reference"]?.stringValue, url: fields["url"]?.stringValue)
        }
        var keys: [TrustedKey] = []
        if let member = object["keys"] {
            guard case .array(let values) = member else { throw TrustListError("\(path).keys is not an array") }
            for (index, value) in values.enumerated() {
                keys.append(try TrustedKey(json: value, path: "\(path).keys[\(index)]"))
            }
        }
        self.init(id: id, name: try text("name"), country: country, accreditation: accreditation, keys: keys)
    }

    var json: JSONValue {
        var object: JSONObject = ["id": .string(id), "name": .string(name), "country": .string(country)]
        if let accreditation {
            var fields = JSONObject()
            if let body = accreditation.qualityAssuranceBody { fields["qualityAssuranceBody"] = .string(body) }
            if let reference = accreditation.reference { fields["reference"] = .string(reference) }
            if let url = accreditation.url { fields["url"] = .string(url) }
            object["accreditation"] = .object(fields)
        }
        if !keys.isEmpty { object["keys"] = .array(keys.map(\.json)) }
        return .object(object)
    }
}

extension TrustedKey {
    init(json value: JSONValue, path: String) throws(TrustListError) {
        guard case .object(let object) = value else { throw TrustListError("\(path) is not an object") }
        guard let multibase = object["publicKeyMultibase"]?.stringValue else {
            throw TrustListError("\(path).publicKeyMultibase is missing")
        }
        let key: Ed25519PublicKey
        do {
            key = try Multikey.decodePublicKey(multibase)
        } catch {
            throw TrustListError("\(path).publicKeyMultibase: \(error)")
        }
        guard let fromText = object["validFrom"]?.stringValue, let from = DateTimeStamp(fromText) else {
            throw TrustListError("\(path).validFrom is missing or not an XML Schema dateTimeStamp")
        }
        var until: DateTimeStamp?
        if let member = object["validUntil"] {
            guard let text = member.stringValue, let stamp = DateTimeStamp(text) else {
                throw TrustListError("\(path).validUntil is not an XML Schema dateTimeStamp")
            }
            until = stamp
        }
        self.init(publicKey: key, validFrom: from, validUntil: until)
    }

    var json: JSONValue {
        var object: JSONObject = ["publicKeyMultibase": .string(publicKeyMultibase), "validFrom": .string(validFrom.text)]
        if let validUntil { object["validUntil"] = .string(validUntil.text) }
        return .object(object)
    }
}
