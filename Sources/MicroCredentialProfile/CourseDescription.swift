public import CanonicalJSON

/// COURSE.json: one micro-credential as its awarding body describes it once, for every learner
/// (spec §7.1, `spec/schemas/course.schema.json`).
///
/// Parsing applies every rule of the schema and stops at the first problem, with a message naming its JSON
/// path. Unknown members are errors so that typos are caught; `$schema` is allowed and ignored.
public struct CourseDescription: Hashable, Sendable {
    /// One learning outcome (element 6).
    public struct LearningOutcome: Hashable, Sendable {
        /// The statement, one line.
        public var statement: String
        /// The ESCO skill the outcome corresponds to.
        public var escoSkill: String?
        /// The ESCO skill's label; the statement stands in when absent.
        public var skillTitle: String?
    }

    /// The achievement's IRI; derived from the issuer and the title when absent (§7.3).
    public var id: String?
    /// Element 2.
    public var title: String
    public var description: String
    /// Element 6, in order.
    public var learningOutcomes: [LearningOutcome]
    /// Element 7; the credit system is ECTS when credits are given.
    public var workload: MicroCredential.Workload
    /// Element 8; empty when no level applies.
    public var level: MicroCredential.Level
    /// Element 9.
    public var assessment: MicroCredential.Assessment
    /// Element 10.
    public var participation: MicroCredential.Participation
    /// Element 11.
    public var qualityAssurance: MicroCredential.QualityAssurance
    /// Element 12.
    public var prerequisites: String?
    /// Element 15.
    public var stackability: MicroCredential.Stackability?
    /// Element 16.
    public var furtherInformation: String?
    /// Elements 3 and 4: the signing awarding body. Its `id` is always `nil`: the issuer is the key's DID.
    public var awardingBody: MicroCredential.AwardingBody
    /// Elements 3 and 4: other awarding bodies, each with an `id` (their `url` when no `id` was given).
    public var additionalAwardingBodies: [MicroCredential.AwardingBody]

    /// Reads COURSE.json.
    public init(json: JSONValue) throws(ProfileInputError) {
        let course = try InputReader(json, document: .course, allowed: [
            "$schema", "id", "title", "description", "learningOutcomes", "workload", "level", "assessment",
            "participation", "qualityAssurance", "prerequisites", "stackability", "furtherInformation",
            "awardingBody", "additionalAwardingBodies",
        ])
        _ = try course.string("$schema", "a string (it is ignored)", where: { _ in true })
        id = try course.absoluteIRI("id")
        title = try course.requiredLine("title")
        description = try course.requiredString("description", Expected.text, where: ProfileSyntax.hasVisibleCharacter)

        guard let outcomes = try course.nonEmptyArray("learningOutcomes", of: "objects with a statement") else {
            throw course.missing("learningOutcomes", "a non-empty array of objects with a statement")
        }
        var learningOutcomes: [LearningOutcome] = []
        for (index, value) in outcomes.enumerated() {
            let outcome = try InputReader(value, document: .course, path: "learningOutcomes[\(index)]",
                                          allowed: ["statement", "escoSkill", "title"])
            let statement = try outcome.requiredLine("statement")
            let skill = try outcome.string("escoSkill", Expected.escoSkill, where: ProfileVocabulary.isESCOSkill)
            let skillTitle = try outcome.line("title")
            if skillTitle != nil && skill == nil {
                throw outcome.missing("escoSkill", "an ESCO skill URI, because title names that skill")
            }
            learningOutcomes.append(LearningOutcome(statement: statement, escoSkill: skill, skillTitle: skillTitle))
        }
        self.learningOutcomes = learningOutcomes

        let workload = try course.requiredObject("workload", allowed: ["ects", "hours"],
                                                 expected: "an object with ects, hours or both")
        let ects = try workload.positiveNumber("ects")
        let hours = try workload.positiveNumber("hours")
        guard ects != nil || hours != nil else {
            throw course.invalid("workload", "an object with ects, hours or both (numbers > 0)")
        }
        self.workload = MicroCredential.Workload(
            credits: ects, creditSystem: ects.map { _ in ProfileVocabulary.ectsCreditSystem }, hours: hours)

        level = try Self.level(course)

        let assessment = try course.requiredObject("assessment", allowed: ["type", "description"],
                                                   expected: "an object with a type")
        guard let assessmentType = try assessment.concept("type", AssessmentType.self) else {
            throw assessment.missing("type", Expected.oneOf(AssessmentType.allCases.map(\.rawValue)) + ", or an absolute IRI")
        }
        self.assessment = MicroCredential.Assessment(type: assessmentType, description: try assessment.text("description"))

        let participation = try course.requiredObject("participation", allowed: ["mode", "description"],
                                                      expected: "an object with a mode")
        guard let mode = try participation.term("mode", ParticipationMode.self) else {
            throw participation.missing("mode", Expected.oneOf(ParticipationMode.allCases.map(\.rawValue)))
        }
        self.participation = MicroCredential.Participation(
            mode: .known(mode), description: try participation.text("description"))

        let qualityAssurance = try course.requiredObject(
            "qualityAssurance", allowed: ["type", "description", "body"], expected: "an object with type or description")
        let qaType = try qualityAssurance.concept("type", QualityAssuranceType.self)
        let qaDescription = try qualityAssurance.text("description")
        guard qaType != nil || qaDescription != nil else {
            throw course.invalid("qualityAssurance", "an object with type, description or both")
        }
        self.qualityAssurance = MicroCredential.QualityAssurance(
            type: qaType, description: qaDescription, body: try qualityAssurance.line("body"))

        prerequisites = try course.text("prerequisites")
        if let stackability = try course.object("stackability", allowed: ["type", "towards"]) {
            guard let type = try stackability.term("type", StackabilityType.self) else {
                throw stackability.missing("type", Expected.oneOf(StackabilityType.allCases.map(\.rawValue)))
            }
            let towards = try stackability.text("towards")
            if towards != nil && type != .stackable {
                throw stackability.invalid("type", "stackable when towards is given")
            }
            self.stackability = MicroCredential.Stackability(type: .known(type), towards: towards)
        } else {
            stackability = nil
        }
        furtherInformation = try course.text("furtherInformation")

        guard let issuerValue = course.object["awardingBody"] else {
            throw course.missing("awardingBody", "an object with name and country")
        }
        var awardingBody = try Self.organisation(issuerValue, path: "awardingBody")
        awardingBody.id = nil  // the issuer id is always the signing key's DID
        self.awardingBody = awardingBody
        var others: [MicroCredential.AwardingBody] = []
        let additional = try course.nonEmptyArray("additionalAwardingBodies", of: "objects") ?? []
        for (index, value) in additional.enumerated() {
            let path = "additionalAwardingBodies[\(index)]"
            var body = try Self.organisation(value, path: path)
            guard let id = body.id ?? body.url else {
                throw ProfileInputError.missing(.course, path: path + ".id", expected: "an id or url for the body's profile")
            }
            body.id = id
            others.append(body)
        }
        additionalAwardingBodies = others
    }

    private static func level(_ course: InputReader) throws(ProfileInputError) -> MicroCredential.Level {
        guard let level = try course.object("level", allowed: ["eqf", "qfEhea", "nqf"]) else {
            return MicroCredential.Level(eqf: nil, qfEheaCycle: nil, national: [])
        }
        var eqf: Int?
        if let value = level.object["eqf"] {
            guard let number = value.numberValue, number.rounded() == number, (1...8).contains(number) else {
                throw level.invalid("eqf", "an integer from 1 to 8")
            }
            eqf = Int(number)
        }
        let cycle = try level.term("qfEhea", QFEHEACycle.self)
        var national: [MicroCredential.NationalLevel] = []
        if let nqf = try level.object("nqf", allowed: ["framework", "level", "url"]) {
            national.append(MicroCredential.NationalLevel(
                framework: try nqf.requiredLine("framework"), code: try nqf.requiredLine("level"),
                url: try nqf.requiredString("url", Expected.absoluteIRI, where: ProfileSyntax.isAbsoluteIRI)))
        }
        guard eqf != nil || cycle != nil || !national.isEmpty else {
            throw course.invalid("level", "an object with eqf, qfEhea or nqf (leave level out if no level applies)")
        }
        return MicroCredential.Level(eqf: eqf, qfEheaCycle: cycle.map(Concept.known), national: national)
    }

    /// An awarding body: `name` and `country` required; `id`, `url`, `email`, `region` optional.
    private static func organisation(_ value: JSONValue, path: String) throws(ProfileInputError)
        -> MicroCredential.AwardingBody
    {
        let body = try InputReader(value, document: .course, path: path,
                                   allowed: ["id", "name", "url", "email", "country", "region"])
        return MicroCredential.AwardingBody(
            id: try body.absoluteIRI("id"),
            name: try body.requiredLine("name"),
            url: try body.string("url", Expected.webURL, where: ProfileSyntax.isWebURL),
            email: try body.string("email", Expected.email, where: ProfileSyntax.isEmail),
            countryCode: try body.requiredString("country", Expected.countryCode, where: ProfileSyntax.isCountryCode),
            region: try body.line("region"))
    }
}
