import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import Foundation
import MicroCredentials
import TestSupport
import Testing

/// The `encodedList` of a status list credential among the vectors.
private func encodedList(_ path: String) throws -> String {
    let credential = try #require(JSONValue(parsing: Vectors.bytes(path)).objectValue)
    return try #require(credential["credentialSubject"]?["encodedList"]?.stringValue)
}

/// Python's gzip and base64 modules: an implementation independent of ours.
private func python(_ script: String, input: String) throws -> String {
    let result = try run(["python3", "-c", script], stdin: Data(input.utf8))
    try #require(result.status == 0, "python3 failed: \(result.errorOutput)")
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
}

private let issuerKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x71, count: 32))
private let issuer = DIDKey(publicKey: issuerKey.publicKey).did
private let listURL = "https://uni.example/status/1"
private let now = DateTimeStamp("2026-06-01T12:00:00Z")!

/// A signed status list credential with `revoked` bits set.
private func signedList(_ revoked: [Int], purpose: String = "revocation", key: Ed25519PrivateKey = issuerKey,
                        validUntil: DateTimeStamp? = nil) throws -> [UInt8] {
    var list = BitstringStatusList()
    for index in revoked { list[index] = true }
    let credential = BitstringStatusListCredential.credential(
        id: listURL, issuer: DIDKey(publicKey: key.publicKey).did, purpose: purpose, list: list,
        validFrom: DateTimeStamp("2026-01-01T00:00:00Z")!, validUntil: validUntil)
    return JSONValue.object(try CredentialSigner(key: key).sign(.object(credential), created: DateTimeStamp("2026-01-01T00:00:00Z")))
        .serialized()
}

/// A credential by `issuer` with a revocation entry (and a suspension entry when `suspensionIndex` is given).
private func credential(index: Int, suspensionIndex: Int? = nil) throws -> JSONObject {
    var unsigned = Fixture.unsigned(issuer: issuer).objectValue!
    var entries: [JSONValue] = [.object(BitstringStatusListEntry(
        statusPurpose: "revocation", statusListIndex: index, statusListCredential: listURL).json)]
    if let suspensionIndex {
        entries.append(.object(BitstringStatusListEntry(
            statusPurpose: "suspension", statusListIndex: suspensionIndex, statusListCredential: listURL + "s").json))
    }
    unsigned["credentialStatus"] = .array(entries)
    return try CredentialSigner(key: issuerKey).sign(.object(unsigned), created: DateTimeStamp("2026-01-15T09:00:05Z"))
}

private func verifier(_ documents: [String: [UInt8]]) -> CredentialVerifier {
    var verifier = CredentialVerifier()
    verifier.statusEvaluator = BitstringStatusEvaluator(loader: LocalDocuments(documents), listVerifier: verifier)
    return verifier
}

private func check(_ report: VerificationReport, _ kind: VerificationCheck.Kind) -> VerificationCheck? {
    report.checks.first { $0.kind == kind }
}

@Suite("Bitstring Status List")
struct StatusListTests {
    @Test("the W3C example list decodes to 131,072 zero bits")
    func w3cExample() throws {
        let list = try BitstringStatusList(encodedList: encodedList(
            "w3c-vc-bitstring-status-list/extracted-from-REC/example-3-BitstringStatusListCredential.json"))
        #expect(list.count == 131_072)
        #expect(list.bytes.allSatisfy { $0 == 0 })
    }

    @Test("the 1EdTech list has exactly bit 23 set (bit 0 is the most significant bit of the first byte)")
    func oneEdTechBitOrder() throws {
        let list = try BitstringStatusList(encodedList: encodedList(
            "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30/bit-string-list/testlist"))
        #expect(list.count == 131_072)
        #expect((0..<list.count).filter { list[$0] } == [23])
        #expect(list.bytes[2] == 0x01)
    }

    @Test("our encoding decodes to the same bits in Python (gzip + base64url), and Python's in ours", arguments: [1, 2, 3])
    func independentImplementation(_ seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        var list = BitstringStatusList()
        let set = (0..<200).map { _ in Int.random(in: 0..<list.count, using: &generator) }
        for index in set { list[index] = true }
        // Ours → Python: Python decodes our encodedList and prints the set bit positions.
        let decoded = try python("""
            import sys, gzip, base64
            v = sys.stdin.read().strip(); assert v[0] == 'u'
            b = gzip.decompress(base64.urlsafe_b64decode(v[1:] + '=' * (-len(v[1:]) % 4)))
            print(len(b) * 8, ' '.join(str(i) for i in range(len(b) * 8) if b[i // 8] & (0x80 >> (i % 8))))
            """, input: list.encodedList)
        let words = decoded.split(separator: " ").map { Int($0)! }
        #expect(words[0] == list.count)
        #expect(Array(words.dropFirst()) == Set(set).sorted())
        // Python → ours.
        let encoded = try python("""
            import sys, gzip, base64
            positions = [int(x) for x in sys.stdin.read().split()]
            b = bytearray(16384)
            for i in positions: b[i // 8] |= 0x80 >> (i % 8)
            print('u' + base64.urlsafe_b64encode(gzip.compress(bytes(b))).decode().rstrip('='))
            """, input: set.map(String.init).joined(separator: " "))
        let ours = try BitstringStatusList(encodedList: encoded)
        #expect(ours == list)
    }

    @Test("decoding refuses non-base64url, non-gzip, too long and too short lists")
    func refusals() throws {
        #expect(throws: StatusListError.self) { try BitstringStatusList(encodedList: "zABC") }
        #expect(throws: StatusListError.self) { try BitstringStatusList(encodedList: "uAAAA") }
        let short = BitstringStatusList(count: 1024)
        #expect(throws: StatusListError.tooShort(count: 1024)) { try BitstringStatusList(encodedList: short.encodedList) }
        // A gzip bomb: 64 MiB of zeros compresses to ~64 KiB; decoding stops at the 16 MiB cap.
        let bomb = try python("""
            import gzip, base64
            print('u' + base64.urlsafe_b64encode(gzip.compress(bytes(64 * 1024 * 1024))).decode().rstrip('='))
            """, input: "")
        #expect(throws: StatusListError.self) { try BitstringStatusList(encodedList: bomb) }
    }

    @Test("revocation: bit 0 passes, bit 1 fails 'revoked'; suspension likewise")
    func revokedAndSuspended() async throws {
        let documents = [listURL: try signedList([7]), listURL + "s": try signedList([9], purpose: "suspension")]
        let verifier = verifier(documents)
        let fine = await verifier.verify(.object(try credential(index: 6, suspensionIndex: 8)), at: now)
        #expect(fine.isValid, "\(fine.failures.map(\.message))")
        #expect(check(fine, .status)?.message == "not revoked (list \(listURL), index 6)")
        #expect(check(fine, .suspension)?.status == .pass)
        let revoked = await verifier.verify(.object(try credential(index: 7)), at: now)
        #expect(revoked.failures.map(\.message) == ["revoked (list \(listURL), index 7)"])
        let suspended = await verifier.verify(.object(try credential(index: 6, suspensionIndex: 9)), at: now)
        #expect(suspended.failures.map(\.kind) == [.suspension])
    }

    @Test("a flipped bit in a signed list is STATUS_VERIFICATION_ERROR; a list by another issuer fails; a missing list is indeterminate")
    func untrustworthyLists() async throws {
        var tampered = try #require(JSONValue(parsing: try signedList([])).objectValue)
        var subject = tampered["credentialSubject"]!.objectValue!
        var list = BitstringStatusList()
        list[5] = true
        subject["encodedList"] = .string(list.encodedList)
        tampered["credentialSubject"] = .object(subject)
        let flipped = await verifier([listURL: JSONValue.object(tampered).serialized()])
            .verify(.object(try credential(index: 5)), at: now)
        #expect(check(flipped, .status)?.status == .fail)
        #expect(check(flipped, .status)?.errorCode == .statusVerificationError)

        let other = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x72, count: 32))
        let foreign = await verifier([listURL: try signedList([], key: other)]).verify(.object(try credential(index: 5)), at: now)
        #expect(check(foreign, .status)?.errorCode == .statusVerificationError)
        #expect(check(foreign, .status)?.message.contains("not by the credential's issuer") == true)

        let missing = await verifier([:]).verify(.object(try credential(index: 5)), at: now)
        #expect(check(missing, .status)?.status == .indeterminate)
        #expect(check(missing, .status)?.message.contains("is unknown") == true)
        #expect(check(missing, .status)?.errorCode == .statusRetrievalError)
        let notJSON = await verifier([listURL: Array("<html>".utf8)]).verify(.object(try credential(index: 5)), at: now)
        #expect(check(notJSON, .status)?.status == .indeterminate)
        #expect(check(notJSON, .status)?.errorCode == .statusRetrievalError)
        #expect(missing.outcome == .valid)
        var strict = verifier([:])
        strict.policy.strict = true
        #expect(await strict.verify(.object(try credential(index: 5)), at: now).outcome == .notVerified)

        let expired = await verifier([listURL: try signedList([], validUntil: DateTimeStamp("2026-03-01T00:00:00Z"))])
            .verify(.object(try credential(index: 5)), at: now)
        #expect(check(expired, .status)?.status == .indeterminate)
        #expect(check(expired, .status)?.message.contains("expired") == true)
        #expect(check(expired, .status)?.errorCode == nil, "an expired list was retrieved: no STATUS_RETRIEVAL_ERROR")
    }

    @Test("a list signed by a key that a trust list names for the credential's issuer counts as the issuer's")
    func listKeyBoundByTrustList() async throws {
        let listKey = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x73, count: 32))
        let documents = [listURL: try signedList([7], key: listKey)]
        let body = TrustedAwardingBody(
            id: issuer, name: "University of Zed", country: "IE",
            keys: [TrustedKey(publicKey: issuerKey.publicKey, validFrom: DateTimeStamp("2025-01-01T00:00:00Z")!),
                   TrustedKey(publicKey: listKey.publicKey, validFrom: DateTimeStamp("2025-01-01T00:00:00Z")!)])
        let list = TrustList(name: "Test awarding bodies", operatorID: "did:example:operator", entries: [body])
        // Without the trust list, the list's issuer (the list key's did:key) is not the credential's.
        let alone = await verifier(documents).verify(.object(try credential(index: 7)), at: now)
        #expect(check(alone, .status)?.errorCode == .statusVerificationError)
        var trusting = CredentialVerifier(trustEvaluator: TrustListEvaluator(lists: [list]))
        trusting.statusEvaluator = BitstringStatusEvaluator(loader: LocalDocuments(documents), listVerifier: trusting)
        let revoked = await trusting.verify(.object(try credential(index: 7)), at: now)
        #expect(revoked.failures.map(\.message) == ["revoked (list \(listURL), index 7)"])
        let fine = await trusting.verify(.object(try credential(index: 6)), at: now)
        #expect(fine.isValid, "\(fine.failures.map(\.message))")
        // A key the trust list gives another awarding body does not count.
        let stranger = TrustedAwardingBody(
            id: "did:example:other", name: "Other", country: "BE",
            keys: [TrustedKey(publicKey: listKey.publicKey, validFrom: DateTimeStamp("2025-01-01T00:00:00Z")!)])
        let otherList = TrustList(name: "Other bodies", operatorID: "did:example:operator",
                                  entries: [TrustedAwardingBody(id: issuer, name: "University of Zed", country: "IE"), stranger])
        var misled = CredentialVerifier(trustEvaluator: TrustListEvaluator(lists: [otherList]))
        misled.statusEvaluator = BitstringStatusEvaluator(loader: LocalDocuments(documents), listVerifier: misled)
        let refused = await misled.verify(.object(try credential(index: 6)), at: now)
        #expect(check(refused, .status)?.errorCode == .statusVerificationError)
    }

    @Test("a list shorter than 131,072 entries fails with STATUS_LIST_LENGTH_ERROR; other entry types are indeterminate")
    func lengthAndTypes() async throws {
        let short = BitstringStatusList(count: 8)
        let credential = BitstringStatusListCredential.credential(
            id: listURL, issuer: issuer, purpose: "revocation", list: short,
            validFrom: DateTimeStamp("2026-01-01T00:00:00Z")!, validUntil: nil)
        let signed = JSONValue.object(try CredentialSigner(key: issuerKey).sign(.object(credential), created: nil)).serialized()
        let report = await verifier([listURL: signed]).verify(.object(try self.credentialWith(index: 3)), at: now)
        #expect(check(report, .status)?.errorCode == .statusListLengthError)

        var unsigned = Fixture.unsigned(issuer: issuer).objectValue!
        unsigned["credentialStatus"] = ["type": "1EdTechRevocationList", "id": "https://uni.example/revocations"]
        let other = try CredentialSigner(key: issuerKey).sign(.object(unsigned), created: nil)
        let otherReport = await verifier([:]).verify(.object(other), at: now)
        #expect(check(otherReport, .status)?.status == .indeterminate)
        #expect(check(otherReport, .status)?.message.contains("1EdTechRevocationList is not supported") == true)
    }

    private func credentialWith(index: Int) throws -> JSONObject { try credential(index: index) }

    @Test("statusListIndex as a JSON number (as 1EdTech writes it) is read, and the report says so")
    func numericIndex() throws {
        let entry = try BitstringStatusListEntry(json: [
            "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": 23,
            "statusListCredential": "https://example.org/testlist",
        ])
        #expect(entry.statusListIndex == 23)
        #expect(entry.indexWasNumber)
        #expect(throws: StatusListError.self) {
            try BitstringStatusListEntry(json: [
                "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "-1",
                "statusListCredential": "https://example.org/testlist",
            ])
        }
    }
}
