import CanonicalJSON
import DataIntegrity
import Ed25519OpenSSL
import MicroCredentials
import TestSupport
import Testing

private let operatorKey = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x41, count: 32))
private let operatorDID = DIDKey(publicKey: operatorKey.publicKey).did
private let keyA = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x51, count: 32))
private let keyB = try! Ed25519PrivateKey(seed: [UInt8](repeating: 0x52, count: 32))
private let rotation = DateTimeStamp("2026-03-01T00:00:00Z")!
private let now = DateTimeStamp("2026-06-01T12:00:00Z")!

/// A trust list signed by `key` (the operator's by default).
private func signedList(_ list: TrustList, key: Ed25519PrivateKey = operatorKey) throws -> [UInt8] {
    let signer = try CredentialSigner(key: key)
    return JSONValue.object(try signer.sign(.object(list.credential()), created: DateTimeStamp("2026-01-01T00:00:00Z")))
        .serialized()
}

private func demoList(validUntil: DateTimeStamp? = DateTimeStamp("2027-01-01T00:00:00Z"), keys: [TrustedKey]? = nil) -> TrustList {
    let university = "https://university.example"
    return TrustList(
        name: "Demo registry", operatorID: operatorDID, validFrom: DateTimeStamp("2026-01-01T00:00:00Z"),
        validUntil: validUntil,
        entries: [
            TrustedAwardingBody(
                id: university, name: "Example University", country: "NL",
                accreditation: Accreditation(qualityAssuranceBody: "NVAO", reference: "2024-17"),
                keys: keys ?? [
                    TrustedKey(publicKey: keyA.publicKey, validFrom: DateTimeStamp("2025-01-01T00:00:00Z")!,
                               validUntil: rotation),
                    TrustedKey(publicKey: keyB.publicKey, validFrom: rotation),
                ]),
            TrustedAwardingBody(id: Fixture.issuer, name: "Fixture Academy", country: "BE"),
        ])
}

/// A credential issued by https://university.example, signed with `key` at `created`.
private func universityCredential(key: Ed25519PrivateKey, created: String) throws -> JSONObject {
    var credential = Fixture.unsigned(issuer: "https://university.example").objectValue!
    credential["validFrom"] = "2025-01-01T00:00:00Z"
    let options = ProofOptions(verificationMethod: DIDKey(publicKey: key.publicKey).verificationMethod,
                               created: DateTimeStamp(created))
    return try EddsaJcs2022.addProof(to: credential, options: options, key: key)
}

private func verifier(_ list: TrustList) -> CredentialVerifier {
    CredentialVerifier(trustEvaluator: TrustListEvaluator(lists: [list]))
}

private func status(_ report: VerificationReport, _ kind: VerificationCheck.Kind) -> VerificationCheck.Status? {
    report.checks.first { $0.kind == kind }?.status
}

@Suite("Trust lists")
struct TrustListTests {
    @Test("a signed list by an anchor is read back with every field")
    func roundTrip() async throws {
        let list = try await TrustList.verified(
            try signedList(demoList()), anchors: [.identifier(operatorDID)], verifier: CredentialVerifier(), at: now)
        #expect(list == demoList())
        let byKey = try await TrustList.verified(
            try signedList(demoList()), anchors: [.publicKey(operatorKey.publicKey)], verifier: CredentialVerifier(),
            at: now)
        #expect(byKey.name == "Demo registry")
    }

    @Test("a tampered list, a list signed by a non-anchor and an expired list are refused, each with its reason")
    func refusedLists() async throws {
        var tampered = try #require(JSONValue(parsing: try signedList(demoList())).objectValue)
        tampered["name"] = "Another registry"
        await #expect(throws: TrustListError.self) {
            try await TrustList.verified(JSONValue.object(tampered).serialized(), anchors: [.identifier(operatorDID)],
                                         verifier: CredentialVerifier(), at: now)
        }
        let other = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x99, count: 32))
        var foreign = demoList()
        foreign.operatorID = DIDKey(publicKey: other.publicKey).did
        let foreignBytes = try signedList(foreign, key: other)
        let nonAnchor = await #expect(throws: TrustListError.self) {
            try await TrustList.verified(foreignBytes, anchors: [.identifier(operatorDID)],
                                         verifier: CredentialVerifier(), at: now)
        }
        #expect(nonAnchor?.message.contains("which is not a trust anchor") == true)
        let listBytes = try signedList(demoList())
        let expired = await #expect(throws: TrustListError.self) {
            try await TrustList.verified(listBytes, anchors: [.identifier(operatorDID)],
                                         verifier: CredentialVerifier(), at: DateTimeStamp("2027-02-01T00:00:00Z")!)
        }
        #expect(expired?.message.contains("expired at 2027-01-01T00:00:00Z") == true)
    }

    @Test("rotation: key A until T, key B from T; a proof by A before T passes, after T fails; an unlisted key fails")
    func rotationWindows() async throws {
        let verifier = verifier(demoList())
        let beforeRotation = await verifier.verify(.object(try universityCredential(key: keyA, created: "2026-02-01T00:00:00Z")), at: now)
        #expect(beforeRotation.isValid, "\(beforeRotation.failures.map(\.message))")
        #expect(status(beforeRotation, .keyValidity) == .pass)
        #expect(status(beforeRotation, .issuerBinding) == .pass)

        let afterRotation = await verifier.verify(.object(try universityCredential(key: keyA, created: "2026-04-01T00:00:00Z")), at: now)
        #expect(afterRotation.failures.map(\.kind) == [.keyValidity])
        #expect(afterRotation.failures.first?.message.contains("after the key was retired at 2026-03-01T00:00:00Z") == true)

        let newKey = await verifier.verify(.object(try universityCredential(key: keyB, created: "2026-04-01T00:00:00Z")), at: now)
        #expect(newKey.isValid)

        let unlisted = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x53, count: 32))
        let stranger = await verifier.verify(.object(try universityCredential(key: unlisted, created: "2026-04-01T00:00:00Z")), at: now)
        // An unlisted key is not bound to an https issuer either.
        #expect(stranger.failures.map(\.kind) == [.issuerBinding, .keyValidity])
    }

    @Test("a list is relied on only within its validity period: outside it, 'Issuer trusted' is indeterminate")
    func listOutsideItsPeriod() async throws {
        let verifier = verifier(demoList(validUntil: DateTimeStamp("2027-01-01T00:00:00Z")))
        let credential = JSONValue.object(try Fixture.signed())
        #expect(status(await verifier.verify(credential, at: now), .trust) == .pass)
        let later = await verifier.verify(credential, at: DateTimeStamp("2027-06-01T00:00:00Z")!)
        #expect(status(later, .trust) == .indeterminate)
        #expect(later.checks.first { $0.kind == .trust }?.message
            == "no trust list can be relied on at 2027-06-01T00:00:00Z: «Demo registry» is valid from 2026-01-01T00:00:00Z until 2027-01-01T00:00:00Z")
        let earlier = await verifier.verify(credential, at: DateTimeStamp("2025-12-31T23:59:59Z")!)
        #expect(status(earlier, .trust) == .indeterminate)
        // With a second list still in force, that one decides.
        var current = demoList(validUntil: nil)
        current.name = "Current registry"
        let both = CredentialVerifier(trustEvaluator: TrustListEvaluator(lists: [demoList(), current]))
        let decided = await both.verify(credential, at: DateTimeStamp("2027-06-01T00:00:00Z")!)
        #expect(decided.checks.first { $0.kind == .trust }?.message == "listed on «Current registry» as Fixture Academy (BE)")
    }

    @Test("a listed issuer passes 'Issuer trusted' with its name, country and accreditation; an unlisted one fails naming the list")
    func listedAndUnlisted() async throws {
        let verifier = verifier(demoList())
        let listed = await verifier.verify(.object(try Fixture.signed()), at: now)
        #expect(listed.isValid)
        #expect(listed.checks.first { $0.kind == .trust }?.message == "listed on «Demo registry» as Fixture Academy (BE)")
        // No keys listed for this body: no key-validity check.
        #expect(status(listed, .keyValidity) == nil)

        let outsider = try Ed25519PrivateKey(seed: [UInt8](repeating: 0x61, count: 32))
        let unlisted = await verifier.verify(.object(try Fixture.signed(
            Fixture.unsigned(issuer: DIDKey(publicKey: outsider.publicKey).did), key: outsider)), at: now)
        #expect(unlisted.failures.map(\.kind) == [.trust])
        #expect(unlisted.failures.first?.message.contains("is not on the trust list «Demo registry»") == true)
    }

    @Test("the W3C signedJCS.json verifies with a list that names its key for https://vc.example/issuers/5678, and fails binding without")
    func w3cVectorThroughList() async throws {
        let signed = try #require(JSONValue(parsing: Vectors.bytes("w3c-vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json")).objectValue)
        let vectorKey = try DIDKey(parsing: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").publicKey
        let list = TrustList(name: "W3C examples", operatorID: operatorDID, entries: [
            TrustedAwardingBody(id: "https://vc.example/issuers/5678", name: "Example Issuer", country: "US",
                                keys: [TrustedKey(publicKey: vectorKey, validFrom: DateTimeStamp("2023-01-01T00:00:00Z")!)]),
        ])
        let verified = try await TrustList.verified(try signedList(list), anchors: [.identifier(operatorDID)],
                                                    verifier: CredentialVerifier(), at: now)
        let report = await verifier(verified).verify(.object(signed), at: now)
        #expect(report.isValid, "\(report.failures.map(\.message))")
        #expect(report.checks.first { $0.kind == .issuerBinding }?.message
            == "the trust list «W3C examples» names this key for the issuer https://vc.example/issuers/5678")
        let without = await CredentialVerifier().verify(.object(signed), at: now)
        #expect(without.failures.map(\.kind) == [.issuerBinding])
    }

    @Test("malformed entries are refused with their path", arguments: [
        ("country", JSONValue.string("Netherlands"), "credentialSubject.entries[0].country"),
        ("id", JSONValue.string("not a url"), "credentialSubject.entries[0].id \"not a url\" is not a URL"),
        ("keys", JSONValue.array([["publicKeyMultibase": "z6Mk"]]), "credentialSubject.entries[0].keys[0].publicKeyMultibase"),
    ])
    func malformed(_ member: String, _ value: JSONValue, _ message: String) throws {
        var credential = demoList().credential()
        var subject = credential["credentialSubject"]!.objectValue!
        var entries = subject["entries"]!.arrayValue!
        var first = entries[0].objectValue!
        first[member] = value
        entries[0] = .object(first)
        subject["entries"] = .array(entries)
        credential["credentialSubject"] = .object(subject)
        do {
            _ = try TrustList(credential: credential)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
