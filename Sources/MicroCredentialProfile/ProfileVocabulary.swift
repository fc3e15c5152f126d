import CanonicalJSON
import MicroCredentials
/// Fixed identifiers of the mcred micro-credential profile v1 (spec/microcredential-profile.md §1, §5, §6).
///
/// The `mcred.example` URLs are identifiers, never locations: nothing here is fetched.
public enum ProfileVocabulary {
    /// The extension's JSON-LD context, the third `@context` entry.
    public static let extensionContext = "https://mcred.example/ns/microcredential/v1"
    /// The Open Badges 3.0.3 context, the second `@context` entry.
    public static let openBadgesContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    /// `@context`, exactly and in this order (the OB schema checks the first two items).
    public static let contexts = [CredentialVerifier.credentialsContextV2, openBadgesContext, extensionContext]
    /// The credential `type` mcred writes.
    public static let credentialTypes = ["VerifiableCredential", "OpenBadgeCredential"]
    /// The OB 3.0 AchievementCredential JSON schema, first `credentialSchema` entry.
    public static let openBadgesSchema =
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    /// The profile's extension schema, second `credentialSchema` entry.
    public static let extensionSchema = "https://mcred.example/ns/microcredential/v1/schema.json"
    /// The `credentialSchema` entries' `type`.
    public static let schemaValidatorType = "1EdTechJsonSchemaValidator2019"
    /// The OB `achievementType` that marks a micro-credential.
    public static let achievementType = "MicroCredential"

    /// The ELM concept of the ECTS credit system (element 7).
    public static let ectsCreditSystem = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    /// The ESCO skill URI pattern's fixed prefix (element 6).
    public static let escoSkillPrefix = "http://data.europa.eu/esco/skill/"
    /// The EQF level URI prefix; the level digit follows (element 8).
    public static let eqfLevelPrefix = "http://data.europa.eu/snb/eqf/"

    /// OB `Alignment.targetType` of an EQF level.
    public static let eqfAlignmentType = "ext:EQFLevel"
    /// OB `Alignment.targetType` of a national or regional qualifications framework level.
    public static let nqfAlignmentType = "ext:NQFLevel"
    /// OB `Alignment.targetType` of an ESCO skill or competence.
    public static let escoAlignmentType = "ext:ESCOSkill"

    /// The EQF level URI of `level` (1…8).
    public static func eqfLevelIRI(_ level: Int) -> String { eqfLevelPrefix + String(level) }

    /// The EQF level named by `iri` when it is exactly `http://data.europa.eu/snb/eqf/N`, N in 1…8.
    public static func eqfLevel(fromIRI iri: String) -> Int? {
        guard iri.hasPrefix(eqfLevelPrefix) else { return nil }
        let digits = iri.utf8.dropFirst(eqfLevelPrefix.utf8.count)
        guard digits.count == 1, let digit = digits.first, (0x31...0x38).contains(digit) else { return nil }
        return Int(digit - 0x30)
    }

    /// Whether `iri` is an ESCO skill URI (`^http://data\.europa\.eu/esco/skill/[0-9A-Za-z-]+$`).
    public static func isESCOSkill(_ iri: String) -> Bool {
        guard iri.hasPrefix(escoSkillPrefix) else { return false }
        let rest = iri.utf8.dropFirst(escoSkillPrefix.utf8.count)
        return !rest.isEmpty && rest.allSatisfy { ProfileSyntax.isASCIIAlphanumeric($0) || $0 == 0x2D }
    }
}

/// A controlled value of the profile (§5): an input term, the IRI written into credentials, and a label.
public protocol ProfileTerm: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The absolute IRI written into the credential.
    var iri: String { get }
    /// The label `mcred inspect` shows.
    var label: String { get }
}

extension ProfileTerm {
    /// The term whose IRI is exactly `iri`.
    public init?(iri: String) {
        guard let term = Self.allCases.first(where: { $0.iri.isExactly(iri) }) else { return nil }
        self = term
    }
}

/// A value that is either a known term of the profile's vocabulary or some other IRI.
public enum Concept<Term: ProfileTerm>: Hashable, Sendable {
    case known(Term)
    case other(iri: String)

    /// Classifies an IRI.
    public init(iri: String) {
        self = Term(iri: iri).map(Concept.known) ?? .other(iri: iri)
    }

    /// The IRI as written in the credential.
    public var iri: String {
        switch self {
        case .known(let term): term.iri
        case .other(let iri): iri
        }
    }

    /// The term's label, or the IRI itself for an unknown concept (§9).
    public var label: String {
        switch self {
        case .known(let term): term.label
        case .other(let iri): iri
        }
    }
}

private let mcredVocabulary = "https://mcred.example/vocab/"

/// Element 8: cycles of the Framework of Qualifications of the European Higher Education Area.
public enum QFEHEACycle: String, ProfileTerm {
    case short, first, second, third

    public var iri: String { mcredVocabulary + "qf-ehea-cycle/" + rawValue }
    public var label: String { "QF-EHEA \(rawValue) cycle" }

    /// The EQF level that corresponds to the cycle (short 5, first 6, second 7, third 8).
    public var eqfLevel: Int {
        switch self {
        case .short: 5
        case .first: 6
        case .second: 7
        case .third: 8
        }
    }
}

/// Element 9: type of assessment.
public enum AssessmentType: String, ProfileTerm {
    case test
    case skillApplication = "skill-application"
    case portfolio
    case project
    case recognitionOfPriorLearning = "recognition-of-prior-learning"

    public var iri: String { mcredVocabulary + "assessment-type/" + rawValue }
    public var label: String {
        switch self {
        case .test: "Test"
        case .skillApplication: "Application of a skill"
        case .portfolio: "Portfolio"
        case .project: "Project"
        case .recognitionOfPriorLearning: "Recognition of prior learning"
        }
    }
}

/// Element 10: form of participation in the learning activity (ELM `learning-assessment` concepts).
public enum ParticipationMode: String, ProfileTerm {
    case online, onsite, blended

    public var iri: String {
        switch self {
        case .online: "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
        case .blended: "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
        case .onsite: "http://data.europa.eu/snb/learning-assessment/9191af2ed9"
        }
    }

    public var label: String {
        switch self {
        case .online: "Online"
        case .blended: "Blended"
        case .onsite: "Onsite"
        }
    }
}

/// Element 11: type of quality assurance.
public enum QualityAssuranceType: String, ProfileTerm {
    case `internal`
    case external
    case internalAndExternal = "internal-and-external"

    public var iri: String { mcredVocabulary + "quality-assurance/" + rawValue }
    public var label: String {
        switch self {
        case .internal: "Internal quality assurance"
        case .external: "External quality assurance"
        case .internalAndExternal: "Internal and external quality assurance"
        }
    }
}

/// Element 13: supervision and identity verification during assessment.
public enum SupervisionType: String, ProfileTerm {
    case unsupervisedNoID = "unsupervised-no-id"
    case supervisedNoID = "supervised-no-id"
    case supervisedOnlineWithID = "supervised-online-with-id"
    case supervisedOnsiteWithID = "supervised-onsite-with-id"

    public var iri: String {
        switch self {
        case .unsupervisedNoID: "http://data.europa.eu/snb/supervision-verification/c598449d64"
        default: mcredVocabulary + "supervision-verification/" + rawValue
        }
    }

    public var label: String {
        switch self {
        case .unsupervisedNoID: "Unsupervised with no identity verification"
        case .supervisedNoID: "Supervised with no identity verification"
        case .supervisedOnlineWithID: "Supervised online with identity verification"
        case .supervisedOnsiteWithID: "Supervised onsite with identity verification"
        }
    }

    /// Whether the learner's identity was verified (the last two types).
    public var verifiesIdentity: Bool { self == .supervisedOnlineWithID || self == .supervisedOnsiteWithID }
}

/// Element 15: integration/stackability options.
public enum StackabilityType: String, ProfileTerm {
    case standalone, stackable

    public var iri: String { mcredVocabulary + "stackability/" + rawValue }
    public var label: String {
        switch self {
        case .standalone: "Stand-alone, independent micro-credential"
        case .stackable: "Integrated, stackable towards another credential"
        }
    }
}
