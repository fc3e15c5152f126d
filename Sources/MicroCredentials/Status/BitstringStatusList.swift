public import CanonicalJSON
public import DataIntegrity
import Gzip

/// A W3C Bitstring Status List (Recommendation, May 2025): one bit per credential, bit 0 being the most
/// significant bit of the first byte, GZIP-compressed and written as multibase base64url (`u…`).
public struct BitstringStatusList: Hashable, Sendable {
    /// The Recommendation's minimum, for herd privacy: 131,072 entries (16 KiB).
    public static let minimumCount = 131_072
    /// The most entries a decoded list may have: 16 MiB of bits (134 million entries).
    public static let maximumBytes = 16 * 1024 * 1024
    /// The longest `encodedList` read: a compressed list beyond 1 MiB is refused unread.
    public static let maximumEncodedLength = 1_398_102  // base64url of 1 MiB, plus the prefix

    /// The bits, eight per byte, most significant first.
    public private(set) var bytes: [UInt8]

    /// The number of entries.
    public var count: Int { bytes.count * 8 }

    /// An all-zero list of `count` entries (rounded up to whole bytes).
    public init(count: Int = Self.minimumCount) {
        bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
    }

    /// The bit of entry `index`.
    public subscript(index: Int) -> Bool {
        get { bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        set {
            if newValue { bytes[index / 8] |= 0x80 >> UInt8(index % 8) } else { bytes[index / 8] &= ~(0x80 >> UInt8(index % 8)) }
        }
    }

    /// The `encodedList` value: `u` + base64url(GZIP(bits)).
    public var encodedList: String {
        Multibase.encodeBase64url(Gzip.compress(bytes))
    }

    /// Decodes an `encodedList`, refusing values that are not base64url GZIP, that expand beyond
    /// ``maximumBytes``, or that are shorter than ``minimumCount`` entries.
    public init(encodedList: String) throws(StatusListError) {
        let compressed: [UInt8]
        do {
            compressed = try Multibase.decodeBase64url(encodedList, maximumLength: Self.maximumEncodedLength)
        } catch {
            throw .malformed("encodedList is \(error)")
        }
        do {
            bytes = try Gzip.decompress(compressed, limit: Self.maximumBytes)
        } catch {
            throw .malformed("encodedList is \(error)")
        }
        guard count >= Self.minimumCount else { throw .tooShort(count: count) }
    }
}

/// Why a status list cannot be used.
public enum StatusListError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The encoded list cannot be decoded.
    case malformed(String)
    /// The list has fewer entries than the Recommendation's minimum.
    case tooShort(count: Int)

    public var description: String {
        switch self {
        case .malformed(let reason): reason
        case .tooShort(let count):
            "the list has \(count) entries; the Recommendation's minimum is \(BitstringStatusList.minimumCount)"
        }
    }
}

/// A `credentialStatus` entry of type `BitstringStatusListEntry`.
public struct BitstringStatusListEntry: Hashable, Sendable {
    /// The entry type.
    public static let type = "BitstringStatusListEntry"

    /// The entry's `id`, when it has one.
    public var id: String?
    /// `revocation` or `suspension` (the purposes mcred checks), or another purpose.
    public var statusPurpose: String
    /// The position of the credential's bit.
    public var statusListIndex: Int
    /// The URL of the status list credential.
    public var statusListCredential: String
    /// True when `statusListIndex` was a JSON number rather than the base-10 string the Recommendation asks
    /// for (it is read all the same, and the report says so).
    public var indexWasNumber = false

    public init(id: String? = nil, statusPurpose: String, statusListIndex: Int, statusListCredential: String) {
        self.id = id
        self.statusPurpose = statusPurpose
        self.statusListIndex = statusListIndex
        self.statusListCredential = statusListCredential
    }

    /// Reads an entry; the caller has checked its `type`.
    public init(json object: JSONObject) throws(StatusListError) {
        guard let purpose = object["statusPurpose"]?.stringValue, !purpose.isEmpty else {
            throw .malformed("the status entry has no statusPurpose")
        }
        guard let url = object["statusListCredential"]?.stringValue, isURL(url) else {
            throw .malformed("the status entry's statusListCredential is not a URL")
        }
        let index: Int
        var wasNumber = false
        switch object["statusListIndex"] {
        case .string(let text)?:
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(text)
            else { throw .malformed("statusListIndex \"\(text)\" is not a non-negative base-10 integer") }
            index = value
        case .number(let value)? where value >= 0 && value < 1e15 && value == value.rounded():
            index = Int(value)
            wasNumber = true
        default:
            throw .malformed("the status entry's statusListIndex is missing or not a base-10 string")
        }
        if let size = object["statusSize"], size != .number(1), size != .string("1") {
            throw .malformed("statusSize \(size.canonicalString()) is not supported; mcred reads 1-bit statuses")
        }
        self.init(id: object["id"]?.stringValue, statusPurpose: purpose, statusListIndex: index,
                  statusListCredential: url)
        indexWasNumber = wasNumber
    }

    /// The entry as JSON, `statusListIndex` as a base-10 string.
    public var json: JSONObject {
        var object = JSONObject()
        if let id { object["id"] = .string(id) }
        object["type"] = .string(Self.type)
        object["statusPurpose"] = .string(statusPurpose)
        object["statusListIndex"] = .string(String(statusListIndex))
        object["statusListCredential"] = .string(statusListCredential)
        return object
    }
}

/// A status list credential: a VC 2.0 credential of type `BitstringStatusListCredential` whose subject
/// carries the encoded list (Recommendation §2.2).
public enum BitstringStatusListCredential {
    /// The credential type.
    public static let type = "BitstringStatusListCredential"

    /// The unsigned status list credential for `list`.
    /// - Parameters:
    ///   - id: the list's URL (its `statusListCredential` in the entries that point at it).
    ///   - issuer: the issuer, who signs it (the credentials' issuer).
    ///   - purpose: `revocation` or `suspension`.
    ///   - validFrom, validUntil: the window in which verifiers may use this copy.
    public static func credential(
        id: String, issuer: String, purpose: String, list: BitstringStatusList, validFrom: DateTimeStamp,
        validUntil: DateTimeStamp?
    ) -> JSONObject {
        var credential: JSONObject = [
            "@context": [.string(CredentialVerifier.credentialsContextV2)],
            "id": .string(id),
            "type": ["VerifiableCredential", .string(type)],
            "issuer": .string(issuer),
            "validFrom": .string(validFrom.text),
        ]
        if let validUntil { credential["validUntil"] = .string(validUntil.text) }
        credential["credentialSubject"] = [
            "id": .string(id + "#list"), "type": "BitstringStatusList", "statusPurpose": .string(purpose),
            "encodedList": .string(list.encodedList),
        ]
        return credential
    }
}
