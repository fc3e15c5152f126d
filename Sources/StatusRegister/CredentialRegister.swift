public import CanonicalJSON
public import DataIntegrity
public import MicroCredentials
import Ed25519OpenSSL

/// The awarding body's register: every credential it issued, the two status list entries (revocation and
/// suspension) each one carries, and the append-only history of status changes (spec/register.md).
///
/// Allocation is optimistic. ``allocate(count:)`` proposes free entries — chosen at random among the free
/// indexes of the current lists, a full list rolling over to a new one — and writes nothing. The caller puts the
/// entries into the credentials, signs them, and hands them to ``record(_:at:)``, which inserts every row in one
/// transaction. If another issuer recorded one of the proposed indexes in between, the unique constraint on
/// (list, index) refuses the whole transaction with ``RegisterError/allocationConflict``, and the caller
/// allocates and signs again (``issue(count:at:sign:)`` does that). A signed credential is written out only after
/// its row is committed, so a crash can leave a recorded credential that was never delivered, never a delivered
/// credential the register cannot revoke.
///
/// ``SQLiteCredentialRegister`` keeps the register in SQLite; a PostgreSQL implementation can keep the same
/// contract (spec/register.md §7).
public protocol CredentialRegister: Sendable {
    /// The register's settings.
    func settings() throws -> RegisterSettings

    /// Proposes a revocation and a suspension entry for each of `count` credentials; writes nothing.
    func allocate(count: Int) throws -> [StatusAllocation]

    /// Records signed credentials, all or none, in one transaction.
    /// - Throws: ``RegisterError/allocationConflict`` when a proposed index was taken meanwhile (allocate again),
    ///   ``RegisterError/alreadyRecorded(_:)``, ``RegisterError/issuerMismatch(register:credential:)``.
    func record(_ credentials: [IssuedCredential], at time: DateTimeStamp) throws

    /// Revokes, suspends or reinstates credentials, all or none, appending one event each.
    /// A revocation is final; reinstating lifts a suspension only.
    @discardableResult
    func changeStatus(
        of ids: [String], _ event: StatusEventKind, reason: String?, at time: DateTimeStamp
    ) throws -> [CredentialRecord]

    /// Every status list, by number; with `countingEntries`, how many entries each has allocated.
    func statusLists(countingEntries: Bool) throws -> [StatusListRecord]

    /// The current bits of a list: 1 for each revoked (revocation list) or suspended (suspension list) credential.
    func bits(of list: StatusListRecord) throws -> BitstringStatusList

    /// One credential's row; nil when the register has none with this id.
    func credential(id: String) throws -> CredentialRecord?

    /// One credential's status events, oldest first.
    func events(of id: String) throws -> [StatusEvent]

    /// Every credential, in the order they were recorded.
    func credentials() throws -> [CredentialRecord]
}

/// What a register is set up with.
public struct RegisterSettings: Hashable, Sendable {
    /// The smallest list size: the Bitstring Status List minimum (131,072), for herd privacy.
    public static let minimumListSize = BitstringStatusList.minimumCount

    /// Lists are published at this URL + "/" + their number.
    public var statusBaseURL: String
    /// Entries per list.
    public var listSize: Int
    /// The issuer of every credential (set by the first one recorded), who signs the lists.
    public var issuer: String?

    public init(statusBaseURL: String, listSize: Int = minimumListSize, issuer: String? = nil) {
        self.statusBaseURL = statusBaseURL
        self.listSize = listSize
        self.issuer = issuer
    }

    /// The URL of list `number`.
    public func listURL(_ number: Int) -> String { statusBaseURL + "/" + String(number) }

    /// Checks a status base URL: http or https, no query or fragment. Returns it without a trailing slash.
    public static func normalizedBaseURL(_ text: String) throws(RegisterError) -> String {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), isURL(text),
              !text.contains("?"), !text.contains("#")
        else { throw .invalidSettings("the status base URL \(text) is not an http(s) URL without query or fragment") }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        guard url.split(separator: "/").count >= 2 else {
            throw .invalidSettings("the status base URL \(text) has no host")
        }
        return url
    }
}

/// The purposes of the two entries every registered credential carries.
public enum StatusPurpose: String, CaseIterable, Hashable, Sendable {
    case revocation, suspension
}

/// A credential's current status.
public enum CredentialState: String, CaseIterable, Hashable, Sendable {
    case issued, suspended, revoked
}

/// A change of status, as the events table records it.
public enum StatusEventKind: String, CaseIterable, Hashable, Sendable {
    case revoked, suspended, reinstated
}

/// One entry's place: list number and index.
public struct StatusSlot: Hashable, Sendable {
    public var list: Int
    public var index: Int
    public init(list: Int, index: Int) {
        self.list = list
        self.index = index
    }
}

/// The two entries proposed for one credential.
public struct StatusAllocation: Hashable, Sendable {
    public var revocation: StatusSlot
    public var suspension: StatusSlot
    /// The lists' base URL, for the entries' URLs.
    public var statusBaseURL: String

    public init(revocation: StatusSlot, suspension: StatusSlot, statusBaseURL: String) {
        self.revocation = revocation
        self.suspension = suspension
        self.statusBaseURL = statusBaseURL
    }

    /// The entry of one purpose; its id is `LISTURL#INDEX`.
    public func entry(_ purpose: StatusPurpose) -> BitstringStatusListEntry {
        let slot = purpose == .revocation ? revocation : suspension
        let url = statusBaseURL + "/" + String(slot.list)
        return BitstringStatusListEntry(id: url + "#" + String(slot.index), statusPurpose: purpose.rawValue,
                                        statusListIndex: slot.index, statusListCredential: url)
    }

    /// The `credentialStatus` value: an array of the revocation and the suspension entry.
    public var credentialStatus: JSONValue {
        .array([.object(entry(.revocation).json), .object(entry(.suspension).json)])
    }
}

/// A signed credential ready to be recorded.
public struct IssuedCredential: Hashable, Sendable {
    public var id: String
    public var issuer: String
    /// SHA-256 (lowercase hex) of the signed credential's RFC 8785 bytes.
    public var sha256: String
    /// The learner's identifier in plain; the register stores only a salted hash of it.
    public var learnerIdentifier: String?
    public var allocation: StatusAllocation

    public init(id: String, issuer: String, sha256: String, learnerIdentifier: String?, allocation: StatusAllocation) {
        self.id = id
        self.issuer = issuer
        self.sha256 = sha256
        self.learnerIdentifier = learnerIdentifier
        self.allocation = allocation
    }

    /// Reads id, issuer and learner from a signed credential and hashes its canonical form.
    /// The learner is `credentialSubject.id`, else the first `credentialSubject.identifier[].identityHash`.
    public init(signed credential: JSONObject, allocation: StatusAllocation) throws(RegisterError) {
        guard let id = credential["id"]?.stringValue, !id.isEmpty else { throw .missingCredentialID }
        let issuer: String?
        switch credential["issuer"] {
        case .string(let text)?: issuer = text
        case .object(let object)?: issuer = object["id"]?.stringValue
        default: issuer = nil
        }
        guard let issuer else { throw .missingIssuer(id) }
        self.init(id: id, issuer: issuer, sha256: SHA256.hexDigest(JSONValue.object(credential).canonicalBytes()),
                  learnerIdentifier: Self.learnerIdentifier(of: credential), allocation: allocation)
    }

    /// The learner's identifier in a credential: `credentialSubject.id`, else the first
    /// `credentialSubject.identifier[].identityHash` (Open Badges 3.0).
    public static func learnerIdentifier(of credential: JSONObject) -> String? {
        let subject: JSONObject?
        switch credential["credentialSubject"] {
        case .object(let object)?: subject = object
        case .array(let values)?: subject = values.first?.objectValue
        default: subject = nil
        }
        guard let subject else { return nil }
        if let id = subject["id"]?.stringValue { return id }
        for identity in subject["identifier"]?.arrayValue ?? [] {
            if let value = identity.objectValue?["identityHash"]?.stringValue { return value }
        }
        return nil
    }
}

/// One credential's row.
public struct CredentialRecord: Hashable, Sendable {
    public var id: String
    public var issuer: String
    public var credentialSHA256: String
    /// SHA-256 (hex) of the register's salt followed by the learner identifier; nil when there was none.
    public var learnerHash: String?
    public var issuedAt: String
    public var revocationListURL: String
    public var revocationIndex: Int
    public var suspensionListURL: String
    public var suspensionIndex: Int
    public var status: CredentialState

    /// The row as a JSON object (register show, export).
    public var json: JSONObject {
        var object: JSONObject = [
            "id": .string(id), "issuer": .string(issuer), "credentialSha256": .string(credentialSHA256),
        ]
        object["learnerHash"] = learnerHash.map(JSONValue.string) ?? .null
        object["issuedAt"] = .string(issuedAt)
        object["status"] = .string(status.rawValue)
        object["revocation"] = ["statusListCredential": .string(revocationListURL),
                                "statusListIndex": .string(String(revocationIndex))]
        object["suspension"] = ["statusListCredential": .string(suspensionListURL),
                                "statusListIndex": .string(String(suspensionIndex))]
        return object
    }
}

/// One row of the append-only events table.
public struct StatusEvent: Hashable, Sendable {
    public var sequence: Int
    public var credentialID: String
    public var event: StatusEventKind
    public var at: String
    public var reason: String?

    public var json: JSONObject {
        var object: JSONObject = ["event": .string(event.rawValue), "at": .string(at)]
        object["reason"] = reason.map(JSONValue.string) ?? .null
        return object
    }
}

/// One status list.
public struct StatusListRecord: Hashable, Sendable {
    public var number: Int
    public var url: String
    public var purpose: StatusPurpose
    public var size: Int
    /// How many of its entries are allocated.
    public var used: Int
}

/// Why the register refused.
public enum RegisterError: Error, Hashable, Sendable, CustomStringConvertible {
    case notARegister(String)
    case alreadyExists(String)
    case invalidSettings(String)
    case unknownCredential(String)
    case alreadyRecorded(String)
    case missingCredentialID
    case missingIssuer(String)
    case issuerMismatch(register: String, credential: String)
    case allocationConflict
    case revocationIsFinal(String)
    case alreadyRevoked(String)
    case alreadySuspended(String)
    case notSuspended(String)
    case database(String)

    public var description: String {
        switch self {
        case .notARegister(let path): "\(path) is not a credential register"
        case .alreadyExists(let path): "\(path) already exists"
        case .invalidSettings(let reason): reason
        case .unknownCredential(let id): "the register has no credential \(id)"
        case .alreadyRecorded(let id): "the register already has a credential \(id)"
        case .missingCredentialID: "the credential has no id; the register records credentials by id"
        case .missingIssuer(let id): "the credential \(id) has no issuer"
        case .issuerMismatch(let register, let credential):
            "the register's issuer is \(register), not \(credential); a register serves one issuer, whose key signs its lists"
        case .allocationConflict: "another issuer took a proposed status list index; allocate again"
        case .revocationIsFinal(let id): "\(id) is revoked; a revocation is final"
        case .alreadyRevoked(let id): "\(id) is already revoked"
        case .alreadySuspended(let id): "\(id) is already suspended"
        case .notSuspended(let id): "\(id) is not suspended; only a suspension can be lifted"
        case .database(let reason): "database error: \(reason)"
        }
    }
}

extension CredentialRegister {
    /// Allocates, signs and records `count` credentials, in one transaction, allocating and signing again when a
    /// concurrent issuer took a proposed index (at most `attempts` times).
    /// - Parameter sign: puts each allocation's `credentialStatus` into a credential and signs it; returns them in
    ///   the order of the allocations.
    public func issue(
        count: Int, at time: DateTimeStamp, attempts: Int = 8,
        sign: ([StatusAllocation]) async throws -> [IssuedCredential]
    ) async throws -> [IssuedCredential] {
        var attempt = 0
        while true {
            attempt += 1
            let allocations = try allocate(count: count)
            let issued = try await sign(allocations)
            do {
                try record(issued, at: time)
                return issued
            } catch RegisterError.allocationConflict where attempt < attempts {
                continue
            }
        }
    }
}
