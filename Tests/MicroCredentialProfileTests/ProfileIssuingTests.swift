import CanonicalJSON
import Ed25519OpenSSL
import DataIntegrity
import MicroCredentials
@testable import MicroCredentialProfile
import TestSupport
import Testing

@Suite("Profile: issuing from COURSE.json and LEARNER.json")
struct ProfileIssuingTests {
    @Test("the example inputs give exactly spec/examples/credential-unsigned.json, member order included")
    func goldenUnsigned() async throws {
        let built = try ProfileExamples.issued().unsignedCredential
        let golden = try profileExampleObject("credential-unsigned.json")
        #expect(built.keys == golden.keys)
        #expect(built == golden)  // JSONObject equality compares members in order
    }

    @Test("the model reads the example credential and renders it back unchanged")
    func roundTrip() async throws {
        let golden = try profileExampleObject("credential-unsigned.json")
        let model = MicroCredential(credential: golden)
        #expect(model == (try ProfileExamples.issued()))
        #expect(model.unsignedCredential == golden)
    }

    @Test("signing the example with both cryptosuites with the demo key at the fixed time gives spec/examples/credential-signed.json")
    func goldenSigned() async throws {
        let signer = try CredentialSigner(key: profileDemoKey())
        #expect(signer.controller == ProfileExamples.issuer)
        let signed = try signer.sign(
            .object(ProfileExamples.issued().unsignedCredential), created: ProfileExamples.created, asProofSet: true,
            cryptosuites: [.eddsaJcs2022, .eddsaRdfc2022])
        #expect(signed == (try profileExampleObject("credential-signed.json")))
        #expect(signed["proof"]?.arrayValue?.count == 2)
        let report = await CredentialVerifier().verify(.object(signed), at: DateTimeStamp("2026-01-01T00:00:00Z")!)
        #expect(report.isValid, "\(report.failures.map(\.message))")
        #expect(ProfileLinter.lint(signed).passes)
    }

    @Test("achievement id derivation: the two vectors of §7.3")
    func derivedAchievementID() async {
        let title = "Designing and Issuing Digital Micro-Credentials"
        #expect(MicroCredential.derivedAchievementID(issuer: ProfileExamples.issuer, title: title)
            == "urn:uuid:a31c88c5-c82c-8103-8c4e-e4b00b9a91fd")
        #expect(MicroCredential.derivedAchievementID(
            issuer: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", title: title)
            == "urn:uuid:6dda0cc2-e353-8dbc-b2e6-d0c470e9958a")
    }

    @Test("a course without id gets the derived id, and the grade's ResultDescription hangs off it")
    func courseWithoutID() async throws {
        let course = try #require(try profileExample("course.json").objectValue).settingMember(atPath: "id", to: nil)
        var generator = SystemRandomNumberGenerator()
        let model = MicroCredential(
            course: try CourseDescription(json: .object(course)), learner: try LearnerRecord(json: profileExample("learner.json")),
            issuer: ProfileExamples.issuer, credentialID: ProfileExamples.credentialID, using: &generator)
        #expect(model.achievementID == "urn:uuid:a31c88c5-c82c-8103-8c4e-e4b00b9a91fd")
        #expect(model.grade?.resultDescriptionID == "urn:uuid:a31c88c5-c82c-8103-8c4e-e4b00b9a91fd#grade")
        #expect(ProfileLinter.lint(model.unsignedCredential).passes)
    }

    @Test("identity hash: the OB 3.0 vector a@example.com + Kosher")
    func identityHash() async {
        #expect(MicroCredential.identityHash("a@example.com", salt: "Kosher")
            == "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
    }

    @Test("a hashed identifier without salt gets 16 random bytes of salt, and the hash uses it")
    func generatedSalt() async throws {
        let learner = try #require(try profileExample("learner.json").objectValue)
            .settingMember(atPath: "identifier.salt", to: nil)
        var first = SplitMix64(seed: 1)
        var second = SplitMix64(seed: 2)
        let course = try CourseDescription(json: profileExample("course.json"))
        let record = try LearnerRecord(json: .object(learner))
        let one = MicroCredential(course: course, learner: record, issuer: ProfileExamples.issuer,
                                  credentialID: ProfileExamples.credentialID, using: &first)
        let two = MicroCredential(course: course, learner: record, issuer: ProfileExamples.issuer,
                                  credentialID: ProfileExamples.credentialID, using: &second)
        let identity = try #require(one.learner.identifiers.last)
        let salt = try #require(identity.salt)
        #expect(salt.utf8.count == 32 && salt.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) })
        #expect(identity.identityHash == MicroCredential.identityHash("ana.andromeda@example.org", salt: salt))
        #expect(two.learner.identifiers.last?.salt != salt)
    }

    @Test("an unhashed identifier is written as given, without salt")
    func plainIdentifier() async throws {
        let learner = try #require(try profileExample("learner.json").objectValue)
            .settingMember(atPath: "identifier", to: ["type": "studentId", "value": "S-1234"])
        var generator = SystemRandomNumberGenerator()
        let model = MicroCredential(
            course: try CourseDescription(json: profileExample("course.json")), learner: try LearnerRecord(json: .object(learner)),
            issuer: ProfileExamples.issuer, credentialID: ProfileExamples.credentialID, using: &generator)
        #expect(model.learner.identifiers.last
            == MicroCredential.IdentityObject(identityType: "sisSourcedId", hashed: false, identityHash: "S-1234"))
        let entry = model.unsignedCredential["credentialSubject"]?["identifier"]?[1]
        #expect(entry?["salt"] == nil)
    }

    @Test("random credential ids are distinct urn:uuid version 4 values in lower case")
    func randomCredentialID() async {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<50).map { _ in MicroCredential.randomCredentialID(using: &generator) }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let hex = Array(id.utf8.dropFirst("urn:uuid:".utf8.count))
            #expect(id.hasPrefix("urn:uuid:") && hex.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { hex[$0] == UInt8(ascii: "-") })
            #expect(hex[14] == UInt8(ascii: "4"))
            #expect("89ab".utf8.contains(hex[19]))
            #expect(!hex.contains { (0x41...0x5A).contains($0) })
        }
    }

    @Test("dates are normalised to UTC whole seconds (§7.3)", arguments: [
        ("2025-06-30", "2025-06-30T00:00:00Z"),
        ("2025-06-30T10:15:30.5+02:00", "2025-06-30T08:15:30Z"),
        ("2025-06-30T23:30:00-01:00", "2025-07-01T00:30:00Z"),
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
    ])
    func dateNormalisation(input: String, expected: String) async throws {
        let learner = try #require(try profileExample("learner.json").objectValue)
            .settingMember(atPath: "awardedDate", to: .string(input))
        #expect(try LearnerRecord(json: .object(learner)).awardedDate == expected)
    }

    @Test("a minimal course and learner give a credential that lints without failures")
    func minimalInputs() async throws {
        let course: JSONValue = [
            "title": "Safe Ladder Use", "description": "Working at height.",
            "learningOutcomes": [["statement": "Set up a ladder safely."]],
            "workload": ["hours": 1], "assessment": ["type": "test"], "participation": ["mode": "onsite"],
            "qualityAssurance": ["description": "Reviewed by the training board."],
            "awardingBody": ["name": "Guild of Roofers", "country": "AT"],
        ]
        let learner: JSONValue = [
            "name": "Bo Builder", "identifier": ["type": "userName", "value": "bo"], "awardedDate": "2026-03-01",
        ]
        var generator = SystemRandomNumberGenerator()
        let model = MicroCredential(
            course: try CourseDescription(json: course), learner: try LearnerRecord(json: learner),
            issuer: ProfileExamples.issuer, credentialID: ProfileExamples.credentialID, using: &generator)
        let credential = model.unsignedCredential
        let achievement = try #require(credential["credentialSubject"]?["achievement"]?.objectValue)
        for absent in ["alignment", "creditsAvailable", "creditSystem", "qfEheaCycle", "coAwardingBodies",
                       "resultDescription", "prerequisites", "stackability", "furtherInformation"] {
            #expect(achievement[absent] == nil, "\(absent) should be omitted")
        }
        #expect(credential["credentialSubject"]?["result"] == nil)
        #expect(credential["credentialSubject"]?["id"] == nil)
        let report = ProfileLinter.lint(credential)
        #expect(report.passes)
        #expect(report[.notionalWorkload].status == .warn)  // hours only
        #expect(report[.level].status == .warn)
        #expect(report[.prerequisites].status == .absent)
        #expect(CredentialInspection(credential: credential).lines.contains("Notional workload: 1 hour"))
    }
}
