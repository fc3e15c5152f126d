import MicroCredentials
import DataIntegrity
import CanonicalJSON
import Ed25519OpenSSL

extension MicroCredential {
    /// Builds the micro-credential an awarding body issues to one learner, by the mapping of spec §7.
    ///
    /// - Parameters:
    ///   - course: the course, described once.
    ///   - learner: the learner and their result.
    ///   - issuer: the issuer's DID, which must be the controller of the signing key (`did:key:z6Mk…`).
    ///   - credentialID: the credential's `id`; see ``randomCredentialID(using:)``.
    ///   - generator: the source of a salt for a hashed identifier given without one.
    public init(
        course: CourseDescription, learner: LearnerRecord, issuer: String, credentialID: String,
        using generator: inout some RandomNumberGenerator
    ) {
        let achievementID = course.id ?? Self.derivedAchievementID(issuer: issuer, title: course.title)
        id = credentialID
        self.achievementID = achievementID
        description = course.description

        var identifiers = [IdentityObject(identityType: "name", hashed: false, identityHash: learner.name)]
        let identifier = learner.identifier
        if identifier.hashed {
            let salt = identifier.salt ?? Self.randomSalt(using: &generator)
            identifiers.append(IdentityObject(
                identityType: identifier.identityType, hashed: true,
                identityHash: Self.identityHash(identifier.value, salt: salt), salt: salt))
        } else {
            identifiers.append(IdentityObject(
                identityType: identifier.identityType, hashed: false, identityHash: identifier.value))
        }
        self.learner = Learner(id: learner.id, identifiers: identifiers)

        title = course.title
        var issuerProfile = course.awardingBody
        issuerProfile.id = issuer
        self.issuer = issuerProfile
        coAwardingBodies = course.additionalAwardingBodies
        dateOfIssuing = DateOfIssuing(validFrom: learner.awardedDate, awardedDate: learner.awardedDate)

        var skills: [ESCOSkill] = []
        for outcome in course.learningOutcomes {
            guard let url = outcome.escoSkill,
                  !skills.contains(where: { $0.url.isExactly(url) })
            else { continue }
            skills.append(ESCOSkill(name: outcome.skillTitle ?? outcome.statement, url: url))
        }
        let statements = course.learningOutcomes.map(\.statement)
        learningOutcomes = LearningOutcomes(
            statements: statements, narrative: Self.criteriaNarrative(statements), escoSkills: skills)

        workload = course.workload
        level = course.level
        assessment = course.assessment
        participation = course.participation
        qualityAssurance = course.qualityAssurance
        prerequisites = course.prerequisites
        supervision = learner.supervision.map(Concept.known)
        grade = learner.grade.map { grade in
            Grade(value: grade.value, resultDescriptionID: achievementID + "#grade", scale: grade.scale,
                  resultType: grade.resultType)
        }
        stackability = course.stackability
        furtherInformation = course.furtherInformation
    }

    /// Whether `text` can be a credential's or achievement's `id`: an absolute IRI (scheme, colon, no spaces).
    public static func isValidIdentifier(_ text: String) -> Bool {
        ProfileSyntax.isAbsoluteIRI(text)
    }

    /// `urn:uuid:` and a random (version 4) UUID in lower case: a fresh credential id.
    public static func randomCredentialID(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = randomBytes(using: &generator)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return uuidURN(bytes)
    }

    /// The achievement id of a course without one: a UUID version 8 from
    /// `SHA-256("mcred:achievement\n" + issuer + "\n" + title)`, stable across learners and re-issues (§7.3).
    public static func derivedAchievementID(issuer: String, title: String) -> String {
        var bytes = Array(SHA256.hash(Array("mcred:achievement\n\(issuer)\n\(title)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return uuidURN(bytes)
    }

    /// An OB IdentityHash: `sha256$` + the lowercase hex SHA-256 of the UTF-8 of `value + salt` (§7.3).
    public static func identityHash(_ value: String, salt: String) -> String {
        "sha256$" + SHA256.hexDigest(Array((value + salt).utf8))
    }

    /// `achievement.criteria.narrative`: an introduction, then the statements as a Markdown list (§7.3).
    static func criteriaNarrative(_ statements: [String]) -> String {
        "The learner has achieved the following learning outcomes:\n\n"
            + statements.map { "- " + $0 }.joined(separator: "\n")
    }

    /// 16 random bytes as 32 lowercase hex digits.
    static func randomSalt(using generator: inout some RandomNumberGenerator) -> String {
        lowercaseHex(randomBytes(using: &generator))
    }

    /// 16 random bytes from two 64-bit draws (one system call each with the system generator, not sixteen).
    private static func randomBytes(using generator: inout some RandomNumberGenerator) -> [UInt8] {
        [generator.next(), generator.next()].flatMap { (word: UInt64) in (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
    }

    /// `urn:uuid:` + 8-4-4-4-12 lowercase hex of 16 bytes.
    private static func uuidURN(_ bytes: [UInt8]) -> String {
        var text = Array("urn:uuid:".utf8)
        for (position, digit) in lowercaseHex(bytes).utf8.enumerated() {
            if position == 8 || position == 12 || position == 16 || position == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
