import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import Foundation
import GRDB
import MicroCredentials
import StatusRegister
import TestSupport
import Testing

private let issuer = "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"
private let time = DateTimeStamp("2026-01-01T00:00:00Z")!

/// A new register in a fresh folder.
private func makeRegister(listSize: Int = RegisterSettings.minimumListSize) throws -> SQLiteCredentialRegister {
    let folder = try temporaryDirectory()
    return try SQLiteCredentialRegister.create(
        path: folder.appendingPathComponent("register.db").path,
        settings: RegisterSettings(statusBaseURL: "https://uni.example/status/", listSize: listSize), at: time)
}

/// Records `count` made-up credentials `prefix-0`… and returns their allocations.
@discardableResult
private func recordCredentials(
    _ register: SQLiteCredentialRegister, count: Int, prefix: String, learner: String? = nil
) throws -> [StatusAllocation] {
    let allocations = try register.allocate(count: count)
    try register.record(
        allocations.enumerated().map { index, allocation in
            IssuedCredential(id: "urn:test:\(prefix)-\(index)", issuer: issuer, sha256: String(repeating: "0", count: 64),
                             learnerIdentifier: learner, allocation: allocation)
        }, at: time)
    return allocations
}

@Suite("SQLite credential register")
struct SQLiteCredentialRegisterTests {
    @Test("100,000 allocations in one list are unique and not sequential")
    func randomUniqueAllocation() throws {
        let register = try makeRegister()
        var revocation: [Int] = []
        var suspension: [Int] = []
        for chunk in 0..<100 {
            for allocation in try recordCredentials(register, count: 1000, prefix: "c\(chunk)") {
                #expect(allocation.revocation.list == 1 && allocation.suspension.list == 2)
                revocation.append(allocation.revocation.index)
                suspension.append(allocation.suspension.index)
            }
        }
        #expect(Set(revocation).count == 100_000)
        #expect(Set(suspension).count == 100_000)
        #expect(revocation.allSatisfy { $0 >= 0 && $0 < 131_072 })
        for indexes in [revocation, suspension] {
            let adjacent = zip(indexes, indexes.dropFirst()).filter { abs($0 - $1) == 1 }.count
            #expect(adjacent < 1_000, "\(adjacent) of 99,999 consecutive allocations are adjacent indexes")
        }
        let lists = try register.statusLists(countingEntries: true)
        #expect(lists.map(\.used) == [100_000, 100_000])
        #expect(lists.map(\.url) == ["https://uni.example/status/1", "https://uni.example/status/2"])
    }

    @Test("A full list rolls over to a new list")
    func rollover() throws {
        let register = try makeRegister(listSize: 16)
        let first = try recordCredentials(register, count: 10, prefix: "a")
        #expect(first.allSatisfy { $0.revocation.list == 1 && $0.suspension.list == 2 })
        let second = try recordCredentials(register, count: 10, prefix: "b")
        // 6 left in lists 1 and 2, then new lists: 3 for revocation, 4 for suspension.
        #expect(second.filter { $0.revocation.list == 1 }.count == 6)
        #expect(second.filter { $0.revocation.list == 3 }.count == 4)
        #expect(second.filter { $0.suspension.list == 2 }.count == 6)
        #expect(second.filter { $0.suspension.list == 4 }.count == 4)
        let lists = try register.statusLists(countingEntries: true)
        #expect(lists.map(\.number) == [1, 2, 3, 4])
        #expect(lists.map(\.purpose) == [.revocation, .suspension, .revocation, .suspension])
        #expect(lists.map(\.used) == [16, 16, 4, 4])
        #expect(lists[2].url == "https://uni.example/status/3")
        let all = first + second
        for purpose in StatusPurpose.allCases {
            let slots = all.map { purpose == .revocation ? $0.revocation : $0.suspension }
            #expect(Set(slots).count == 20)
            #expect(slots.allSatisfy { $0.index < 16 })
        }
        // A batch larger than a list spans several new ones.
        let third = try recordCredentials(register, count: 40, prefix: "c")
        #expect(Set(third.map(\.revocation)).count == 40)
        #expect(Set(third.map(\.revocation.list)) == [3, 5, 6])
        #expect(Set(third.map(\.suspension.list)) == [4, 7, 8])
    }

    @Test("Entries carry the list URL and LISTURL#INDEX ids")
    func entries() throws {
        let register = try makeRegister()
        let allocation = try recordCredentials(register, count: 1, prefix: "e")[0]
        let entry = allocation.entry(.revocation)
        #expect(entry.statusListCredential == "https://uni.example/status/1")
        #expect(entry.id == "https://uni.example/status/1#\(allocation.revocation.index)")
        guard case .array(let values) = allocation.credentialStatus else { Issue.record("not an array"); return }
        #expect(values.count == 2)
        #expect(values[1].objectValue?["statusPurpose"] == .string("suspension"))
    }

    @Test("Revoke, suspend and reinstate follow the rules; a revocation is final")
    func statusRules() throws {
        let register = try makeRegister()
        let allocations = try recordCredentials(register, count: 3, prefix: "s")
        let (a, b, c) = ("urn:test:s-0", "urn:test:s-1", "urn:test:s-2")
        try register.changeStatus(of: [a], .suspended, reason: "inquiry", at: time)
        #expect(throws: RegisterError.alreadySuspended(a)) { try register.changeStatus(of: [a], .suspended, reason: nil, at: time) }
        try register.changeStatus(of: [a], .reinstated, reason: nil, at: time)
        #expect(throws: RegisterError.notSuspended(a)) { try register.changeStatus(of: [a], .reinstated, reason: nil, at: time) }
        try register.changeStatus(of: [b], .suspended, reason: nil, at: time)
        try register.changeStatus(of: [b], .revoked, reason: "fraud", at: time)
        #expect(throws: RegisterError.revocationIsFinal(b)) { try register.changeStatus(of: [b], .reinstated, reason: nil, at: time) }
        #expect(throws: RegisterError.revocationIsFinal(b)) { try register.changeStatus(of: [b], .suspended, reason: nil, at: time) }
        #expect(throws: RegisterError.alreadyRevoked(b)) { try register.changeStatus(of: [b], .revoked, reason: nil, at: time) }
        // All or none: an unknown id leaves the known one unchanged.
        #expect(throws: RegisterError.unknownCredential("urn:test:nope")) {
            try register.changeStatus(of: [c, "urn:test:nope"], .revoked, reason: nil, at: time)
        }
        #expect(try register.credential(id: c)?.status == .issued)
        #expect(try register.credential(id: a)?.status == .issued)
        #expect(try register.credential(id: b)?.status == .revoked)
        #expect(try register.events(of: a).map(\.event) == [.suspended, .reinstated])
        #expect(try register.events(of: b).map(\.event) == [.suspended, .revoked])
        #expect(try register.events(of: b).map(\.reason) == [nil, "fraud"])
        #expect(try register.events(of: c).isEmpty)
        // The bits: b revoked; nobody suspended any more.
        let lists = try register.statusLists()
        let revocationBits = try register.bits(of: lists[0])
        let suspensionBits = try register.bits(of: lists[1])
        #expect(revocationBits[allocations[1].revocation.index])
        #expect(!revocationBits[allocations[0].revocation.index] && !revocationBits[allocations[2].revocation.index])
        #expect(suspensionBits.bytes.allSatisfy { $0 == 0 })
        try register.changeStatus(of: [c], .suspended, reason: nil, at: time)
        #expect(try register.bits(of: lists[1])[allocations[2].suspension.index])
    }

    @Test("Status events are append-only and credentials cannot be deleted or rewritten, even in SQL")
    func appendOnly() throws {
        let register = try makeRegister()
        try recordCredentials(register, count: 1, prefix: "x")
        try register.changeStatus(of: ["urn:test:x-0"], .revoked, reason: "r", at: time)
        let database = try DatabaseQueue(path: register.path)
        for sql in [
            "UPDATE status_events SET event = 'reinstated'", "DELETE FROM status_events",
            "DELETE FROM credentials", "UPDATE credentials SET status = 'issued'",
            "UPDATE credentials SET revocation_index = revocation_index + 1", "DELETE FROM status_lists",
        ] {
            #expect(throws: DatabaseError.self, Comment(rawValue: sql)) { try database.write { try $0.execute(sql: sql) } }
        }
        #expect(try register.events(of: "urn:test:x-0").map(\.event) == [.revoked])
        #expect(try register.credential(id: "urn:test:x-0")?.status == .revoked)
    }

    @Test("Recording refuses a taken index, a second record of an id and another issuer")
    func recordingRules() throws {
        let register = try makeRegister()
        let allocation = try register.allocate(count: 1)[0]
        let hash = String(repeating: "a", count: 64)
        try register.record([IssuedCredential(id: "urn:test:1", issuer: issuer, sha256: hash, learnerIdentifier: nil,
                                              allocation: allocation)], at: time)
        #expect(throws: RegisterError.allocationConflict) {
            try register.record([IssuedCredential(id: "urn:test:2", issuer: issuer, sha256: hash,
                                                  learnerIdentifier: nil, allocation: allocation)], at: time)
        }
        #expect(throws: RegisterError.alreadyRecorded("urn:test:1")) {
            try register.record([IssuedCredential(id: "urn:test:1", issuer: issuer, sha256: hash,
                                                  learnerIdentifier: nil, allocation: try register.allocate(count: 1)[0])], at: time)
        }
        #expect(throws: RegisterError.issuerMismatch(register: issuer, credential: "did:example:other")) {
            try register.record([IssuedCredential(id: "urn:test:3", issuer: "did:example:other", sha256: hash,
                                                  learnerIdentifier: nil, allocation: try register.allocate(count: 1)[0])], at: time)
        }
        #expect(try register.credentials().map(\.id) == ["urn:test:1"])
        #expect(try register.settings().issuer == issuer)
    }

    @Test("issue(count:) allocates again after a conflict")
    func retryAfterConflict() async throws {
        let register = try makeRegister(listSize: 8)
        try recordCredentials(register, count: 7, prefix: "f")  // one free index left in each list
        var attempts = 0
        let issued = try await register.issue(count: 1, at: time) { allocations in
            attempts += 1
            if attempts == 1 {
                // Another issuer takes the last free index meanwhile.
                try recordCredentials(register, count: 1, prefix: "other")
            }
            return [IssuedCredential(id: "urn:test:mine", issuer: issuer, sha256: String(repeating: "b", count: 64),
                                     learnerIdentifier: nil, allocation: allocations[0])]
        }
        #expect(attempts == 2)
        #expect(issued[0].allocation.revocation.list == 3)
        #expect(try register.credential(id: "urn:test:mine") != nil)
    }

    @Test("The learner identifier is stored only as a salted hash")
    func learnerNeverInPlain() throws {
        let register = try makeRegister()
        let learner = "student-4711-SECRET@uni.example"
        try recordCredentials(register, count: 3, prefix: "l", learner: learner)
        let record = try #require(try register.credential(id: "urn:test:l-0"))
        let hash = try #require(record.learnerHash)
        #expect(hash.count == 64)
        #expect(hash != SHA256Hex.of(learner))
        // A second register salts differently.
        let other = try makeRegister()
        try recordCredentials(other, count: 1, prefix: "l", learner: learner)
        #expect(try other.credential(id: "urn:test:l-0")?.learnerHash != hash)
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: register.path + suffix) else { continue }
            #expect(bytes.range(of: Data(learner.utf8)) == nil, "\(register.path + suffix) holds the identifier")
            #expect(bytes.range(of: Data("SECRET".utf8)) == nil)
        }
    }

    @Test("A file that is not a register is refused")
    func notARegister() throws {
        let folder = try temporaryDirectory()
        let path = folder.appendingPathComponent("plain.txt").path
        try Data("hello, not a database at all............................................................".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: RegisterError.notARegister(path)) { try SQLiteCredentialRegister(path: path) }
        let empty = folder.appendingPathComponent("empty.db").path
        _ = try DatabaseQueue(path: empty)
        #expect(throws: RegisterError.notARegister(empty)) { try SQLiteCredentialRegister(path: empty) }
    }

    @Test("Status base URLs must be http(s) without query or fragment")
    func baseURL() throws {
        #expect(try RegisterSettings.normalizedBaseURL("https://uni.example/status//") == "https://uni.example/status")
        for bad in ["ftp://uni.example/s", "https://uni.example/s?x=1", "https://uni.example/s#f", "uni.example", "https://"] {
            #expect(throws: RegisterError.self, Comment(rawValue: bad)) { try RegisterSettings.normalizedBaseURL(bad) }
        }
    }
}

/// SHA-256 of a string's UTF-8 bytes, unsalted, in hex.
private enum SHA256Hex {
    static func of(_ text: String) -> String {
        Ed25519OpenSSL.SHA256.hexDigest(Array(text.utf8))
    }
}
