/// An EU micro-credential as the mcred profile models it: one typed property per Annex I element, plus the
/// identifiers of the Open Badges 3.0 envelope.
///
/// Build one from the awarding body's inputs with ``init(course:learner:issuer:credentialID:using:)``, render
/// it with ``unsignedCredential`` (exactly the member order of spec §6/§7.3), and sign the result with
/// ``CredentialSigner``. ``init(credential:)`` reads any credential tolerantly: members of the wrong JSON type
/// are left out rather than rejected, so that `mcred inspect` can show what there is. Judging a credential is
/// the job of ``ProfileLinter``, which works on the JSON itself.
///
/// ```swift
/// let course = try CourseDescription(json: courseValue)
/// let learner = try LearnerRecord(json: learnerValue)
/// var generator = SystemRandomNumberGenerator()
/// let model = MicroCredential(course: course, learner: learner, issuer: did.did,
///                             credentialID: MicroCredential.randomCredentialID(using: &generator),
///                             using: &generator)
/// let signed = try signer.sign(.object(model.unsignedCredential), created: now, asProofSet: true)
/// ```
public struct MicroCredential: Hashable, Sendable {
    /// The credential's `id` (`urn:uuid:…`).
    public var id: String?
    /// The achievement's `id`, shared by every learner of the course.
    public var achievementID: String?
    /// The course description (`description`, also on the achievement).
    public var description: String?

    /// Element 1.
    public var learner: Learner
    /// Element 2: `achievement.name`, copied to the top-level `name`.
    public var title: String?
    /// Elements 3 and 4: the issuer, an embedded OB Profile whose `id` is the signing key's DID.
    public var issuer: AwardingBody?
    /// Elements 3 and 4: awarding bodies other than the issuer.
    public var coAwardingBodies: [AwardingBody]
    /// Element 5.
    public var dateOfIssuing: DateOfIssuing
    /// Element 6.
    public var learningOutcomes: LearningOutcomes
    /// Element 7.
    public var workload: Workload
    /// Element 8.
    public var level: Level
    /// Element 9.
    public var assessment: Assessment
    /// Element 10.
    public var participation: Participation
    /// Element 11.
    public var qualityAssurance: QualityAssurance
    /// Element 12.
    public var prerequisites: String?
    /// Element 13.
    public var supervision: Concept<SupervisionType>?
    /// Element 14.
    public var grade: Grade?
    /// Element 15.
    public var stackability: Stackability?
    /// Element 16.
    public var furtherInformation: String?

    /// The issuer followed by the co-awarding bodies.
    public var awardingBodies: [AwardingBody] { (issuer.map { [$0] } ?? []) + coAwardingBodies }
}

extension MicroCredential {
    /// Element 1: the learner's identifier and OB IdentityObjects.
    public struct Learner: Hashable, Sendable {
        /// `credentialSubject.id`: the learner's DID or URI.
        public var id: String?
        /// `credentialSubject.identifier`, in order (mcred writes the name first).
        public var identifiers: [IdentityObject]

        public init(id: String?, identifiers: [IdentityObject]) {
            self.id = id
            self.identifiers = identifiers
        }
    }

    /// An OB 3.0 IdentityObject.
    public struct IdentityObject: Hashable, Sendable {
        /// An OB IdentifierTypeEnum value (`name`, `emailAddress`, …) or an `ext:` term.
        public var identityType: String
        /// Whether `identityHash` is a hash (`sha256$…`) rather than the plain value.
        public var hashed: Bool
        public var identityHash: String
        public var salt: String?

        public init(identityType: String, hashed: Bool, identityHash: String, salt: String? = nil) {
            self.identityType = identityType
            self.hashed = hashed
            self.identityHash = identityHash
            self.salt = salt
        }
    }

    /// An awarding body: an OB Profile with its address (elements 3 and 4).
    public struct AwardingBody: Hashable, Sendable {
        public var id: String?
        public var name: String?
        public var url: String?
        public var email: String?
        /// ISO 3166-1 alpha-2, upper case.
        public var countryCode: String?
        public var region: String?

        public init(
            id: String?, name: String?, url: String? = nil, email: String? = nil, countryCode: String?,
            region: String? = nil
        ) {
            self.id = id
            self.name = name
            self.url = url
            self.email = email
            self.countryCode = countryCode
            self.region = region
        }
    }

    /// Element 5: `validFrom`, and OB `awardedDate` (kept when a re-issue changes `validFrom`).
    public struct DateOfIssuing: Hashable, Sendable {
        public var validFrom: String?
        public var awardedDate: String?
    }

    /// Element 6.
    public struct LearningOutcomes: Hashable, Sendable {
        /// The statements, in order (`achievement.learningOutcomes`).
        public var statements: [String]
        /// `achievement.criteria.narrative`: the statements as a Markdown list, for OB displayers.
        public var narrative: String?
        /// The ESCO skills the outcomes align to, in order.
        public var escoSkills: [ESCOSkill]
    }

    /// An alignment to an ESCO skill or competence.
    public struct ESCOSkill: Hashable, Sendable {
        /// The skill's label (`targetName`).
        public var name: String?
        /// `http://data.europa.eu/esco/skill/…`
        public var url: String
    }

    /// Element 7.
    public struct Workload: Hashable, Sendable {
        /// OB `creditsAvailable`, in `creditSystem` units.
        public var credits: Double?
        /// The credit system's IRI; ECTS is ``ProfileVocabulary/ectsCreditSystem``.
        public var creditSystem: String?
        /// Notional workload in hours.
        public var hours: Double?
    }

    /// Element 8.
    public struct Level: Hashable, Sendable {
        /// The EQF level, 1…8.
        public var eqf: Int?
        /// The QF-EHEA cycle.
        public var qfEheaCycle: Concept<QFEHEACycle>?
        /// Levels in national or regional qualifications frameworks.
        public var national: [NationalLevel]
    }

    /// A level of a national or regional qualifications framework.
    public struct NationalLevel: Hashable, Sendable {
        /// The framework's name, e.g. "Irish NFQ".
        public var framework: String?
        /// The level's code in the framework, e.g. "6".
        public var code: String?
        /// The level's URI.
        public var url: String?
    }

    /// Element 9.
    public struct Assessment: Hashable, Sendable {
        public var type: Concept<AssessmentType>?
        public var description: String?
    }

    /// Element 10.
    public struct Participation: Hashable, Sendable {
        public var mode: Concept<ParticipationMode>?
        public var description: String?
    }

    /// Element 11.
    public struct QualityAssurance: Hashable, Sendable {
        public var type: Concept<QualityAssuranceType>?
        public var description: String?
        /// The name of the quality-assurance body or agency.
        public var body: String?
    }

    /// Element 14: the learner's grade and the scale it is on.
    public struct Grade: Hashable, Sendable {
        /// `credentialSubject.result[0].value`.
        public var value: String
        /// The `id` of the achievement's ResultDescription that describes the scale.
        public var resultDescriptionID: String?
        /// The scale, in words (the ResultDescription's `description`).
        public var scale: String?
        /// An OB ResultType value or an `ext:` term (the ResultDescription's `resultType`).
        public var resultType: String?
    }

    /// Element 15.
    public struct Stackability: Hashable, Sendable {
        public var type: Concept<StackabilityType>?
        /// The credential this one stacks towards.
        public var towards: String?
    }
}
