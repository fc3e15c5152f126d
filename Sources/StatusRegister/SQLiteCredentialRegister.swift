public import DataIntegrity
public import MicroCredentials
import CanonicalJSON
import Ed25519OpenSSL
import GRDB

/// A ``CredentialRegister`` in one SQLite file (WAL mode), through GRDB. Schema and migrations: spec/register.md.
public final class SQLiteCredentialRegister: CredentialRegister {
    private let database: DatabasePool
    /// The file's path.
    public let path: String

    /// Opens an existing register, applying any migration it lacks.
    /// - Throws: ``RegisterError/notARegister(_:)`` for a file that is not one.
    public init(path: String) throws {
        self.path = path
        do {
            database = try DatabasePool(path: path, configuration: Self.configuration)
            let isRegister = try database.read { db in try db.tableExists("settings") }
            guard isRegister else { throw RegisterError.notARegister(path) }
            try Self.migrator.migrate(database)
        } catch let error as RegisterError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw RegisterError.notARegister(path)
        } catch {
            throw Self.wrapped(error)
        }
    }

    /// Creates a register at `path`, which must not exist yet (the caller checks; SQLite would open it).
    public static func create(path: String, settings: RegisterSettings, at time: DateTimeStamp) throws -> SQLiteCredentialRegister {
        let base = try RegisterSettings.normalizedBaseURL(settings.statusBaseURL)
        guard settings.listSize >= 8, settings.listSize <= BitstringStatusList.maximumBytes * 8 else {
            throw RegisterError.invalidSettings("the list size \(settings.listSize) is out of range")
        }
        var generator = SystemRandomNumberGenerator()
        let salt = lowercaseHex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        do {
            let database = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(database)
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO settings (id, status_base_url, list_size, issuer, learner_salt, created_at)
                        VALUES (1, ?, ?, ?, ?, ?)
                        """,
                    arguments: [base, settings.listSize, settings.issuer, salt, time.text])
            }
            try database.close()
        } catch {
            throw wrapped(error)
        }
        return try SQLiteCredentialRegister(path: path)
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "mcred-register"
        return configuration
    }

    /// The schema's migrations, in order. A migration, once released, is never edited: changes are new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE settings (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    status_base_url TEXT NOT NULL,
                    list_size INTEGER NOT NULL CHECK (list_size >= 8),
                    issuer TEXT,
                    learner_salt TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE status_lists (
                    number INTEGER PRIMARY KEY CHECK (number >= 1),
                    url TEXT NOT NULL UNIQUE,
                    purpose TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
                    size INTEGER NOT NULL CHECK (size >= 8),
                    created_at TEXT NOT NULL
                );
                CREATE TABLE credentials (
                    id TEXT NOT NULL PRIMARY KEY,
                    issuer TEXT NOT NULL,
                    credential_sha256 TEXT NOT NULL,
                    learner_hash TEXT,
                    issued_at TEXT NOT NULL,
                    revocation_list INTEGER NOT NULL REFERENCES status_lists(number),
                    revocation_index INTEGER NOT NULL CHECK (revocation_index >= 0),
                    suspension_list INTEGER NOT NULL REFERENCES status_lists(number),
                    suspension_index INTEGER NOT NULL CHECK (suspension_index >= 0),
                    status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'suspended', 'revoked')),
                    UNIQUE (revocation_list, revocation_index),
                    UNIQUE (suspension_list, suspension_index),
                    CHECK (revocation_list <> suspension_list)
                );
                CREATE INDEX credentials_revoked ON credentials (revocation_list, revocation_index)
                    WHERE status = 'revoked';
                CREATE INDEX credentials_suspended ON credentials (suspension_list, suspension_index)
                    WHERE status = 'suspended';
                CREATE TABLE status_events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    credential_id TEXT NOT NULL REFERENCES credentials(id),
                    event TEXT NOT NULL CHECK (event IN ('revoked', 'suspended', 'reinstated')),
                    at TEXT NOT NULL,
                    reason TEXT
                );
                CREATE INDEX status_events_credential ON status_events (credential_id, sequence);
                CREATE TRIGGER status_events_no_update BEFORE UPDATE ON status_events
                    BEGIN SELECT RAISE(ABORT, 'status events are append-only'); END;
                CREATE TRIGGER status_events_no_delete BEFORE DELETE ON status_events
                    BEGIN SELECT RAISE(ABORT, 'status events are append-only'); END;
                CREATE TRIGGER credentials_no_delete BEFORE DELETE ON credentials
                    BEGIN SELECT RAISE(ABORT, 'credentials are never deleted'); END;
                CREATE TRIGGER credentials_fixed BEFORE UPDATE OF id, issuer, credential_sha256, learner_hash,
                    issued_at, revocation_list, revocation_index, suspension_list, suspension_index ON credentials
                    BEGIN SELECT RAISE(ABORT, 'only a credential''s status changes'); END;
                CREATE TRIGGER credentials_revocation_final BEFORE UPDATE OF status ON credentials
                    WHEN OLD.status = 'revoked' AND NEW.status <> 'revoked'
                    BEGIN SELECT RAISE(ABORT, 'a revocation is final'); END;
                CREATE TRIGGER status_lists_fixed BEFORE UPDATE ON status_lists
                    BEGIN SELECT RAISE(ABORT, 'status lists are never changed'); END;
                CREATE TRIGGER status_lists_no_delete BEFORE DELETE ON status_lists
                    BEGIN SELECT RAISE(ABORT, 'status lists are never deleted'); END;
                """)
        }
        return migrator
    }

    // MARK: - Settings

    public func settings() throws -> RegisterSettings {
        try run { try database.read { db in try Self.settings(db).settings } }
    }

    private struct StoredSettings {
        var settings: RegisterSettings
        var salt: [UInt8]
    }

    private static func settings(_ db: Database) throws -> StoredSettings {
        guard let row = try Row.fetchOne(db, sql: "SELECT status_base_url, list_size, issuer, learner_salt FROM settings WHERE id = 1")
        else { throw RegisterError.notARegister("the database") }
        let saltText: String = row["learner_salt"]
        return StoredSettings(
            settings: RegisterSettings(statusBaseURL: row["status_base_url"], listSize: row["list_size"], issuer: row["issuer"]),
            salt: hexBytes(saltText))
    }

    // MARK: - Allocation

    public func allocate(count: Int) throws -> [StatusAllocation] {
        precondition(count >= 0)
        if count == 0 { return [] }
        return try run {
            try database.read { db in
                let settings = try Self.settings(db).settings
                var next = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM status_lists") ?? 0) + 1
                let revocation = try Self.propose(db, .revocation, count: count, settings: settings, next: &next)
                let suspension = try Self.propose(db, .suspension, count: count, settings: settings, next: &next)
                return (0..<count).map {
                    StatusAllocation(revocation: revocation[$0], suspension: suspension[$0],
                                     statusBaseURL: settings.statusBaseURL)
                }
            }
        }
    }

    private static func column(_ purpose: StatusPurpose) -> String {
        purpose == .revocation ? "revocation" : "suspension"
    }

    /// `count` free slots of `purpose`: at random among the free indexes of the purpose's newest list, then in new
    /// lists numbered from `next`.
    private static func propose(
        _ db: Database, _ purpose: StatusPurpose, count: Int, settings: RegisterSettings, next: inout Int
    ) throws -> [StatusSlot] {
        var slots: [StatusSlot] = []
        slots.reserveCapacity(count)
        let name = column(purpose)
        if let current = try Row.fetchOne(
            db, sql: "SELECT number, size FROM status_lists WHERE purpose = ? ORDER BY number DESC LIMIT 1",
            arguments: [purpose.rawValue]) {
            let number: Int = current["number"]
            let size: Int = current["size"]
            let used = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials WHERE \(name)_list = ?",
                                        arguments: [number]) ?? 0
            let wanted = min(count, size - used)
            if wanted > 0 {
                let indexes: [Int]
                if wanted <= 256 && used + wanted <= size / 2 {
                    // Sparse: draw and look each draw up (the unique index answers).
                    let statement = try db.cachedStatement(
                        sql: "SELECT 1 FROM credentials WHERE \(name)_list = ? AND \(name)_index = ?")
                    var drawn: [Int] = []
                    var taken: Set<Int> = []
                    while drawn.count < wanted {
                        let index = Int.random(in: 0..<size)
                        guard !taken.contains(index) else { continue }
                        taken.insert(index)
                        if try Int.fetchOne(statement, arguments: [number, index]) == nil { drawn.append(index) }
                    }
                    indexes = drawn
                } else {
                    let usedIndexes = try Int.fetchAll(
                        db, sql: "SELECT \(name)_index FROM credentials WHERE \(name)_list = ?", arguments: [number])
                    indexes = randomFree(size: size, used: usedIndexes, count: wanted)
                }
                slots += indexes.map { StatusSlot(list: number, index: $0) }
            }
        }
        while slots.count < count {
            let number = next
            next += 1
            slots += randomFree(size: settings.listSize, used: [], count: min(count - slots.count, settings.listSize))
                .map { StatusSlot(list: number, index: $0) }
        }
        return slots
    }

    // MARK: - Recording

    public func record(_ credentials: [IssuedCredential], at time: DateTimeStamp) throws {
        if credentials.isEmpty { return }
        try run {
            try database.write { db in
                let stored = try Self.settings(db)
                let settings = stored.settings
                var issuer = settings.issuer
                // Lists: new ones are created, existing ones must have the purpose the allocation assumed.
                var lists: [Int: StatusPurpose] = [:]
                for credential in credentials {
                    guard credential.allocation.statusBaseURL == settings.statusBaseURL else {
                        throw RegisterError.allocationConflict
                    }
                    lists[credential.allocation.revocation.list] = .revocation
                    lists[credential.allocation.suspension.list] = .suspension
                }
                var sizes: [Int: Int] = [:]
                for (number, purpose) in lists.sorted(by: { $0.key < $1.key }) {
                    if let row = try Row.fetchOne(db, sql: "SELECT purpose, size FROM status_lists WHERE number = ?",
                                                  arguments: [number]) {
                        guard (row["purpose"] as String) == purpose.rawValue else { throw RegisterError.allocationConflict }
                        sizes[number] = row["size"]
                    } else {
                        try db.execute(
                            sql: "INSERT INTO status_lists (number, url, purpose, size, created_at) VALUES (?, ?, ?, ?, ?)",
                            arguments: [number, settings.listURL(number), purpose.rawValue, settings.listSize, time.text])
                        sizes[number] = settings.listSize
                    }
                }
                let exists = try db.cachedStatement(sql: "SELECT 1 FROM credentials WHERE id = ?")
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO credentials (id, issuer, credential_sha256, learner_hash, issued_at, revocation_list,
                        revocation_index, suspension_list, suspension_index, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued')
                    """)
                for credential in credentials {
                    if let issuer, issuer != credential.issuer {
                        throw RegisterError.issuerMismatch(register: issuer, credential: credential.issuer)
                    }
                    issuer = credential.issuer
                    let allocation = credential.allocation
                    guard allocation.revocation.index < sizes[allocation.revocation.list]!,
                          allocation.suspension.index < sizes[allocation.suspension.list]!
                    else { throw RegisterError.allocationConflict }
                    if try Int.fetchOne(exists, arguments: [credential.id]) != nil {
                        throw RegisterError.alreadyRecorded(credential.id)
                    }
                    let learnerHash = credential.learnerIdentifier.map {
                        SHA256.hexDigest(stored.salt + Array($0.utf8))
                    }
                    do {
                        try insert.execute(arguments: [
                            credential.id, credential.issuer, credential.sha256, learnerHash, time.text,
                            allocation.revocation.list, allocation.revocation.index,
                            allocation.suspension.list, allocation.suspension.index,
                        ])
                    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                        || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                        // The id was checked above, so the clash is on a (list, index): another issuer, or a
                        // proposal reused twice.
                        throw RegisterError.allocationConflict
                    }
                }
                if settings.issuer == nil, let issuer {
                    try db.execute(sql: "UPDATE settings SET issuer = ? WHERE id = 1", arguments: [issuer])
                }
            }
        }
    }

    // MARK: - Status changes

    @discardableResult
    public func changeStatus(
        of ids: [String], _ event: StatusEventKind, reason: String?, at time: DateTimeStamp
    ) throws -> [CredentialRecord] {
        var unique: [String] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        return try run {
            try database.write { db in
                var changed: [CredentialRecord] = []
                for id in unique {
                    guard let text = try String.fetchOne(db, sql: "SELECT status FROM credentials WHERE id = ?",
                                                         arguments: [id]),
                          let status = CredentialState(rawValue: text)
                    else { throw RegisterError.unknownCredential(id) }
                    let new: CredentialState
                    switch (event, status) {
                    case (.revoked, .revoked): throw RegisterError.alreadyRevoked(id)
                    case (_, .revoked): throw RegisterError.revocationIsFinal(id)
                    case (.revoked, _): new = .revoked
                    case (.suspended, .suspended): throw RegisterError.alreadySuspended(id)
                    case (.suspended, .issued): new = .suspended
                    case (.reinstated, .issued): throw RegisterError.notSuspended(id)
                    case (.reinstated, .suspended): new = .issued
                    }
                    try db.execute(sql: "UPDATE credentials SET status = ? WHERE id = ?", arguments: [new.rawValue, id])
                    try db.execute(sql: "INSERT INTO status_events (credential_id, event, at, reason) VALUES (?, ?, ?, ?)",
                                   arguments: [id, event.rawValue, time.text, reason])
                    if let record = try Self.record(db, id: id) { changed.append(record) }
                }
                return changed
            }
        }
    }

    // MARK: - Reading

    public func statusLists(countingEntries: Bool) throws -> [StatusListRecord] {
        try run {
            try database.read { db in
                var counts: [Int: Int] = [:]
                if countingEntries {
                    for purpose in StatusPurpose.allCases {
                        let name = Self.column(purpose)
                        for row in try Row.fetchAll(
                            db, sql: "SELECT \(name)_list, COUNT(*) FROM credentials GROUP BY \(name)_list") {
                            counts[row[0]] = row[1]
                        }
                    }
                }
                return try Row.fetchAll(db, sql: "SELECT number, url, purpose, size FROM status_lists ORDER BY number")
                    .map { row in
                        StatusListRecord(number: row["number"], url: row["url"],
                                         purpose: StatusPurpose(rawValue: row["purpose"]) ?? .revocation,
                                         size: row["size"], used: counts[row["number"]] ?? 0)
                    }
            }
        }
    }

    public func bits(of list: StatusListRecord) throws -> BitstringStatusList {
        let name = Self.column(list.purpose)
        let state = list.purpose == .revocation ? CredentialState.revoked : .suspended
        // The status is written into the statement, not bound: only then can SQLite use the partial index
        // (`credentials_revoked`, `credentials_suspended`), which makes this cost the set bits, not the list size.
        let indexes = try run {
            try database.read { db in
                try Int.fetchAll(
                    db, sql: "SELECT \(name)_index FROM credentials WHERE \(name)_list = ? AND status = '\(state.rawValue)'",
                    arguments: [list.number])
            }
        }
        var bits = BitstringStatusList(count: list.size)
        for index in indexes where index < bits.count { bits[index] = true }
        return bits
    }

    public func credential(id: String) throws -> CredentialRecord? {
        try run { try database.read { db in try Self.record(db, id: id) } }
    }

    public func events(of id: String) throws -> [StatusEvent] {
        try run {
            try database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT sequence, credential_id, event, at, reason FROM status_events WHERE credential_id = ? ORDER BY sequence",
                    arguments: [id]
                ).map { row in
                    StatusEvent(sequence: row["sequence"], credentialID: row["credential_id"],
                                event: StatusEventKind(rawValue: row["event"]) ?? .revoked, at: row["at"],
                                reason: row["reason"])
                }
            }
        }
    }

    public func credentials() throws -> [CredentialRecord] {
        try run { try database.read { db in try Row.fetchAll(db, sql: Self.recordQuery + " ORDER BY c.rowid").map(Self.record) } }
    }

    private static let recordQuery = """
        SELECT c.id, c.issuer, c.credential_sha256, c.learner_hash, c.issued_at, r.url AS revocation_url,
            c.revocation_index, s.url AS suspension_url, c.suspension_index, c.status
        FROM credentials c JOIN status_lists r ON r.number = c.revocation_list
            JOIN status_lists s ON s.number = c.suspension_list
        """

    private static func record(_ db: Database, id: String) throws -> CredentialRecord? {
        try Row.fetchOne(db, sql: recordQuery + " WHERE c.id = ?", arguments: [id]).map(record)
    }

    private static func record(_ row: Row) -> CredentialRecord {
        CredentialRecord(
            id: row["id"], issuer: row["issuer"], credentialSHA256: row["credential_sha256"],
            learnerHash: row["learner_hash"], issuedAt: row["issued_at"], revocationListURL: row["revocation_url"],
            revocationIndex: row["revocation_index"], suspensionListURL: row["suspension_url"],
            suspensionIndex: row["suspension_index"], status: CredentialState(rawValue: row["status"]) ?? .issued)
    }

    // MARK: - Errors

    /// Runs `body`, turning database errors into ``RegisterError/database(_:)``.
    private func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RegisterError {
            throw error
        } catch {
            throw Self.wrapped(error)
        }
    }

    private static func wrapped(_ error: any Error) -> any Error {
        if let error = error as? RegisterError { return error }
        if let error = error as? DatabaseError { return RegisterError.database(error.message ?? "\(error.resultCode)") }
        return RegisterError.database(String(describing: error))
    }
}

extension CredentialRegister {
    /// Every status list, without counting their entries.
    public func statusLists() throws -> [StatusListRecord] { try statusLists(countingEntries: false) }
}

/// `count` distinct indexes below `size` not in `used`, in random order (a partial Fisher–Yates shuffle).
func randomFree(size: Int, used: [Int], count: Int) -> [Int] {
    var isUsed = [Bool](repeating: false, count: size)
    for index in used where index >= 0 && index < size { isUsed[index] = true }
    var free: [Int] = []
    free.reserveCapacity(size - used.count)
    for index in 0..<size where !isUsed[index] { free.append(index) }
    let wanted = min(count, free.count)
    var generator = SystemRandomNumberGenerator()
    for position in 0..<wanted {
        free.swapAt(position, Int.random(in: position..<free.count, using: &generator))
    }
    return Array(free.prefix(wanted))
}

/// Bytes from lowercase or uppercase hexadecimal (the salt); invalid digits count as zero.
func hexBytes(_ text: String) -> [UInt8] {
    func value(_ digit: UInt8) -> UInt8 {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x61 + 10
        case 0x41...0x46: digit - 0x41 + 10
        default: 0
        }
    }
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
}
