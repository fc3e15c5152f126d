/// The 16 elements of Annex I of the Council Recommendation of 16 June 2022 on a European approach to
/// micro-credentials (2022/C 243/02), numbered as in the Annex and named as in the mcred profile (§8.1).
///
/// Elements 1–11 are mandatory (element 8 only "if applicable"), 12–16 optional.
public enum MicroCredentialElement: Int, CaseIterable, Hashable, Sendable {
    case learnerIdentification = 1
    case title
    case countryOrRegion
    case awardingBody
    case dateOfIssuing
    case learningOutcomes
    case notionalWorkload
    case level
    case assessmentType
    case participationForm
    case qualityAssurance
    case prerequisites
    case supervisionAndIdentityVerification
    case grade
    case stackability
    case furtherInformation

    /// The element's number in Annex I, 1…16.
    public var number: Int { rawValue }

    /// The element's name, used verbatim in lint output, inspect labels and tests.
    public var name: String {
        switch self {
        case .learnerIdentification: "Identification of the learner"
        case .title: "Title of the micro-credential"
        case .countryOrRegion: "Country(ies)/Region(s) of the issuer"
        case .awardingBody: "Awarding body(ies)"
        case .dateOfIssuing: "Date of issuing"
        case .learningOutcomes: "Learning outcomes"
        case .notionalWorkload: "Notional workload"
        case .level: "Level"
        case .assessmentType: "Type of assessment"
        case .participationForm: "Form of participation"
        case .qualityAssurance: "Type of quality assurance"
        case .prerequisites: "Prerequisites"
        case .supervisionAndIdentityVerification: "Supervision and identity verification"
        case .grade: "Grade"
        case .stackability: "Integration/stackability options"
        case .furtherInformation: "Further information"
        }
    }

    /// `Element N — Name`, with U+2014 EM DASH.
    public var heading: String { "Element \(number) \u{2014} \(name)" }

    /// Whether Annex I makes the element mandatory (1–11; element 8 only where a level applies).
    public var isMandatory: Bool { rawValue <= 11 }
}
