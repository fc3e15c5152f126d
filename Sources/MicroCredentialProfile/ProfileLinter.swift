import DataIntegrity
public import CanonicalJSON

/// The verdict on one Annex I element of a credential (spec §8.2).
public struct ProfileFinding: Hashable, Sendable {
    /// How an element fared.
    public enum Status: String, Hashable, Sendable {
        /// Present and well-formed.
        case pass
        /// Acceptable, but not as recommended; does not fail the lint.
        case warn
        /// A mandatory element is missing, or an element is present but malformed.
        case fail
        /// An optional element (12–16) is not given, which is not an error.
        case absent

        /// `PASS`, `WARN`, `FAIL` or `ABSENT`, as the text output writes it.
        public var label: String { rawValue.uppercased() }
    }

    public let element: MicroCredentialElement
    public let status: Status
    /// What was found, naming the JSON path at fault; `nil` for a plain pass or absence.
    public let detail: String?

    public init(_ element: MicroCredentialElement, _ status: Status, _ detail: String? = nil) {
        self.element = element
        self.status = status
        self.detail = detail
    }

    /// `[STATUS] Element N — Name`, then `: detail` when there is one.
    public var line: String {
        "[\(status.label)] \(element.heading)" + (detail.map { ": " + $0 } ?? "")
    }
}

/// The findings for all 16 elements, in order.
public struct ProfileLintReport: Hashable, Sendable {
    public let findings: [ProfileFinding]

    /// Whether no element failed: the lint's exit status is 0 exactly then.
    public var passes: Bool { !findings.contains { $0.status == .fail } }

    /// The finding for one element.
    public subscript(element: MicroCredentialElement) -> ProfileFinding {
        findings[element.rawValue - 1]
    }
}

/// Checks that a credential carries every Annex I element in the form the mcred profile requires (spec §8).
///
/// The linter reads the JSON as it is, without a JSON Schema engine, and reports each element as
/// pass, warn, fail or absent. Where several rules apply to an element, the first failing rule of §8.4 wins,
/// then the first warning. It does not check the proof: that is ``CredentialVerifier``'s job.
public enum ProfileLinter {
    /// Lints one credential.
    public static func lint(_ credential: JSONObject) -> ProfileLintReport {
        let context = LintContext(credential)
        return ProfileLintReport(findings: MicroCredentialElement.allCases.map { element in
            let verdict = context.verdict(for: element)
            return ProfileFinding(element, verdict.status, verdict.detail)
        })
    }
}

/// A status and its detail; rules return the first one that applies.
private struct Verdict {
    let status: ProfileFinding.Status
    let detail: String?

    static let pass = Verdict(status: .pass, detail: nil)
    static let absent = Verdict(status: .absent, detail: nil)
    static func fail(_ detail: String) -> Verdict { Verdict(status: .fail, detail: detail) }
    static func warn(_ detail: String) -> Verdict { Verdict(status: .warn, detail: detail) }
}

private let subjectPath = "credentialSubject"
private let achievementPath = "credentialSubject.achievement"

private struct LintContext {
    let credential: JSONObject
    /// `S`, when it is an object.
    let subject: JSONObject?
    /// `A`, when `S` and it are objects.
    let achievement: JSONObject?
    /// Why `S` cannot be read, when it cannot.
    let subjectProblem: String?
    /// Why `A` cannot be read, when it cannot (also when `S` cannot).
    let achievementProblem: String?

    init(_ credential: JSONObject) {
        self.credential = credential
        switch credential[subjectPath] {
        case .object(let subject)?:
            self.subject = subject
            subjectProblem = nil
            switch subject["achievement"] {
            case .object(let achievement)?:
                self.achievement = achievement
                achievementProblem = nil
            case nil:
                achievement = nil
                achievementProblem = "\(achievementPath) missing"
            case let other?:
                achievement = nil
                achievementProblem = "\(achievementPath) is \(other.kindDescription), not an object"
            }
        case nil:
            subject = nil
            achievement = nil
            subjectProblem = "\(subjectPath) missing"
            achievementProblem = subjectProblem
        case let other?:
            subject = nil
            achievement = nil
            subjectProblem = "\(subjectPath) is \(other.kindDescription), not an object"
            achievementProblem = subjectProblem
        }
    }

    func verdict(for element: MicroCredentialElement) -> Verdict {
        if !element.isMandatory && (subject == nil || achievement == nil) { return .absent }
        switch element {
        case .learnerIdentification: return learnerIdentification()
        case .countryOrRegion: return countryOrRegion()
        case .awardingBody: return awardingBody()
        case .dateOfIssuing: return dateOfIssuing()
        default: break
        }
        guard let subject, let achievement else { return .fail(achievementProblem!) }
        let checks = AchievementChecks(credential: credential, subject: subject, achievement: achievement)
        switch element {
        case .title: return checks.title()
        case .learningOutcomes: return checks.learningOutcomes()
        case .notionalWorkload: return checks.notionalWorkload()
        case .level: return checks.level()
        case .assessmentType: return checks.assessmentType()
        case .participationForm: return checks.participationForm()
        case .qualityAssurance: return checks.qualityAssurance()
        case .prerequisites: return checks.optionalText("prerequisites")
        case .supervisionAndIdentityVerification: return checks.supervision()
        case .grade: return checks.grade()
        case .stackability: return checks.stackability()
        case .furtherInformation: return checks.optionalText("furtherInformation")
        case .learnerIdentification, .countryOrRegion, .awardingBody, .dateOfIssuing:
            preconditionFailure("handled above")
        }
    }

    // MARK: Element 1

    func learnerIdentification() -> Verdict {
        guard let subject else { return .fail(subjectProblem!) }
        let id = subject["id"]
        let identifiers = subject["identifier"]
        guard id != nil || !(identifiers?.arrayValue?.isEmpty ?? true) else {
            return .fail("neither \(subjectPath).id nor a non-empty \(subjectPath).identifier")
        }
        if let id, !isIRI(id) { return .fail("\(subjectPath).id is not an absolute IRI") }
        guard let identifiers else { return .warn(Self.learnerNameNotStated) }
        guard let entries = identifiers.arrayValue else {
            return .fail("\(subjectPath).identifier is \(identifiers.kindDescription), not an array")
        }
        for (index, entry) in entries.enumerated() {
            guard entry["type"]?.stringValue == "IdentityObject", isNonBlankString(entry["identityType"]),
                  isNonBlankString(entry["identityHash"]), entry["hashed"]?.boolValue != nil
            else {
                return .fail("\(subjectPath).identifier[\(index)] is not an IdentityObject with type "
                    + "\"IdentityObject\", identityType, identityHash and a boolean hashed")
            }
        }
        for (index, entry) in entries.enumerated()
        where entry["hashed"]?.boolValue == true && !ProfileSyntax.isIdentityHash(entry["identityHash"]!.stringValue!) {
            return .fail("\(subjectPath).identifier[\(index)].identityHash is hashed but not sha256$<64 hex digits> "
                + "or md5$<32 hex digits>")
        }
        let namesLearner = entries.contains { entry in
            entry["identityType"]?.stringValue == "name" && entry["hashed"]?.boolValue == false
        }
        return namesLearner ? .pass : .warn(Self.learnerNameNotStated)
    }

    static let learnerNameNotStated =
        "the learner's name is not stated (no identifier with identityType \"name\" and hashed false)"

    // MARK: Elements 3 and 4

    /// `bodies` of §8.3: the issuer, then each object among `A.coAwardingBodies`, with their paths.
    private var awardingBodies: [(path: String, profile: JSONObject)] {
        var bodies: [(String, JSONObject)] = []
        if let issuer = credential["issuer"]?.objectValue { bodies.append(("issuer", issuer)) }
        for (index, entry) in (achievement?["coAwardingBodies"]?.arrayValue ?? []).enumerated() {
            if let profile = entry.objectValue { bodies.append(("\(achievementPath).coAwardingBodies[\(index)]", profile)) }
        }
        return bodies
    }

    private var issuerProblem: String? {
        switch credential["issuer"] {
        case .object?: nil
        case nil: "issuer missing"
        case .string?: "issuer is only an id; it must be an embedded Profile with a name and an address"
        case let other?: "issuer is \(other.kindDescription), not an object"
        }
    }

    func countryOrRegion() -> Verdict {
        if let issuerProblem { return .fail(issuerProblem) }
        let bodies = awardingBodies
        if bodies[0].profile["address"]?["addressCountryCode"] == nil {
            return .fail("issuer.address.addressCountryCode missing")
        }
        for (path, profile) in bodies {
            if let code = profile["address"]?["addressCountryCode"], !(code.stringValue.map(ProfileSyntax.isCountryCode) ?? false) {
                return .fail("\(path).address.addressCountryCode is not an ISO 3166-1 alpha-2 code in capitals")
            }
        }
        for (path, profile) in bodies.dropFirst() where profile["address"]?["addressCountryCode"] == nil {
            return .fail("\(path).address.addressCountryCode missing")
        }
        for (path, profile) in bodies {
            if let region = profile["address"]?["addressRegion"], !isNonBlankString(region) {
                return .fail("\(path).address.addressRegion is not a non-blank string")
            }
        }
        for (path, profile) in bodies {
            guard let code = profile["address"]?["addressCountryCode"]?.stringValue,
                  ProfileSyntax.isDiscouragedCountryCode(code)
            else { continue }
            let advice = switch code {
            case "EL": "; ISO 3166-1 writes Greece as GR"
            case "UK": "; ISO 3166-1 writes the United Kingdom as GB"
            default: ", a user-assigned code that names no country"
            }
            return .warn("\(path).address.addressCountryCode is \(code)\(advice)")
        }
        return .pass
    }

    func awardingBody() -> Verdict {
        if let issuerProblem { return .fail(issuerProblem) }
        let issuer = credential["issuer"]!.objectValue!
        if !isIRI(issuer["id"]) { return .fail(missingOr("issuer.id", issuer["id"], "an absolute IRI")) }
        if !isNonBlankString(issuer["name"]) { return .fail(missingOr("issuer.name", issuer["name"], "a non-blank string")) }
        if let bodies = achievement?["coAwardingBodies"] {
            let path = "\(achievementPath).coAwardingBodies"
            guard let entries = bodies.arrayValue, !entries.isEmpty else {
                return .fail("\(path) is not a non-empty array of Profiles")
            }
            for (index, entry) in entries.enumerated() {
                guard let profile = entry.objectValue else { return .fail("\(path)[\(index)] is not an object") }
                if !isIRI(profile["id"]) {
                    return .fail(missingOr("\(path)[\(index)].id", profile["id"], "an absolute IRI"))
                }
                if !isNonBlankString(profile["name"]) {
                    return .fail(missingOr("\(path)[\(index)].name", profile["name"], "a non-blank string"))
                }
            }
        }
        return .pass
    }

    // MARK: Element 5

    func dateOfIssuing() -> Verdict {
        let dateTime = "an XML Schema dateTimeStamp (a date-time with offset), e.g. 2025-06-30T00:00:00Z"
        let validFromValue = credential["validFrom"]
        guard let validFrom = validFromValue?.stringValue.flatMap(DateTimeStamp.init) else {
            return .fail(missingOr("validFrom", validFromValue, dateTime))
        }
        guard let awardedValue = credential["awardedDate"] else { return .pass }
        guard let awarded = awardedValue.stringValue.flatMap(DateTimeStamp.init) else {
            return .fail("awardedDate is not \(dateTime)")
        }
        return awarded > validFrom ? .warn("awardedDate is later than validFrom") : .pass
    }
}

/// The rules of the elements that live in `credentialSubject.achievement` (and element 13, 14 in the subject).
private struct AchievementChecks {
    let credential: JSONObject
    let subject: JSONObject
    let achievement: JSONObject

    private func path(_ member: String) -> String { "\(achievementPath).\(member)" }

    private var alignments: [(index: Int, alignment: JSONObject)] {
        (achievement["alignment"]?.arrayValue ?? []).enumerated().compactMap { index, entry in
            entry.objectValue.map { (index, $0) }
        }
    }

    private func alignments(_ targetType: String) -> [(index: Int, alignment: JSONObject)] {
        alignments.filter { $0.alignment["targetType"]?.stringValue == targetType }
    }

    // MARK: Element 2

    func title() -> Verdict {
        let name = achievement["name"]
        guard isNonBlankString(name) else { return .fail(missingOr(path("name"), name, "a non-blank string")) }
        if let topLevel = credential["name"], topLevel != name! {
            return .warn("the top-level name differs from \(path("name"))")
        }
        return .pass
    }

    // MARK: Element 6

    func learningOutcomes() -> Verdict {
        let outcomes = achievement["learningOutcomes"]
        if let outcomes {
            guard let statements = outcomes.arrayValue, !statements.isEmpty, statements.allSatisfy(isNonBlankString) else {
                return .fail("\(path("learningOutcomes")) is not a non-empty array of non-blank strings")
            }
        } else if !isNonBlankString(achievement["criteria"]?["narrative"]) {
            return .fail("\(path("learningOutcomes")) missing, and no \(path("criteria.narrative")) either")
        }
        for (index, alignment) in alignments(ProfileVocabulary.escoAlignmentType)
        where !(alignment["targetUrl"]?.stringValue.map(ProfileVocabulary.isESCOSkill) ?? false) {
            return .fail("\(path("alignment"))[\(index)].targetUrl is not an ESCO skill URI "
                + "(http://data.europa.eu/esco/skill/…)")
        }
        if outcomes == nil {
            return .warn("the outcomes are only in \(path("criteria.narrative")), which is not machine-readable; "
                + "list them in \(path("learningOutcomes"))")
        }
        return .pass
    }

    // MARK: Element 7

    func notionalWorkload() -> Verdict {
        let credits = achievement["creditsAvailable"]
        let hours = achievement["workloadHours"]
        let system = achievement["creditSystem"]
        if let credits, !isPositiveNumber(credits) { return .fail("\(path("creditsAvailable")) is not a number > 0") }
        if let hours, !isPositiveNumber(hours) { return .fail("\(path("workloadHours")) is not a number > 0") }
        if let system, !isIRI(system) { return .fail("\(path("creditSystem")) is not an absolute IRI") }
        if credits == nil && hours == nil {
            return .fail("neither \(path("creditsAvailable")) nor \(path("workloadHours"))")
        }
        if credits != nil && system == nil {
            return .fail("\(path("creditsAvailable")) without \(path("creditSystem")) (the unit of the credits)")
        }
        if system != nil && credits == nil {
            return .fail("\(path("creditSystem")) without \(path("creditsAvailable"))")
        }
        if credits == nil { return .warn("only \(path("workloadHours")); state the workload in ECTS where possible") }
        if system?.stringValue != ProfileVocabulary.ectsCreditSystem {
            return .warn("\(path("creditSystem")) is not ECTS (\(ProfileVocabulary.ectsCreditSystem))")
        }
        return .pass
    }

    // MARK: Element 8

    func level() -> Verdict {
        let eqfAlignments = alignments(ProfileVocabulary.eqfAlignmentType)
        if eqfAlignments.count > 1 { return .fail("more than one \(ProfileVocabulary.eqfAlignmentType) alignment") }
        var eqfLevel: Int?
        if let (index, alignment) = eqfAlignments.first {
            guard let level = alignment["targetUrl"]?.stringValue.flatMap(ProfileVocabulary.eqfLevel(fromIRI:)) else {
                return .fail("\(path("alignment"))[\(index)].targetUrl is not \(ProfileVocabulary.eqfLevelPrefix)1…8")
            }
            if let code = alignment["targetCode"], code.stringValue != String(level) {
                return .fail("\(path("alignment"))[\(index)].targetCode differs from EQF level \(level) of its targetUrl")
            }
            eqfLevel = level
        }
        let nqfAlignments = alignments(ProfileVocabulary.nqfAlignmentType)
        for (index, alignment) in nqfAlignments
        where !isNonBlankString(alignment["targetFramework"]) || !isNonBlankString(alignment["targetCode"])
            || !isIRI(alignment["targetUrl"])
        {
            return .fail("\(path("alignment"))[\(index)] (\(ProfileVocabulary.nqfAlignmentType)) needs a non-blank "
                + "targetFramework and targetCode and an absolute-IRI targetUrl")
        }
        var cycle: QFEHEACycle?
        if let value = achievement["qfEheaCycle"] {
            guard let known = value.stringValue.flatMap(QFEHEACycle.init(iri:)) else {
                return .fail("\(path("qfEheaCycle")) is not one of the 4 QF-EHEA cycle IRIs")
            }
            cycle = known
        }
        if eqfLevel == nil && nqfAlignments.isEmpty && cycle == nil {
            return .warn("not stated (allowed only if not applicable)")
        }
        if let eqfLevel, let cycle, cycle.eqfLevel != eqfLevel {
            return .warn("EQF level \(eqfLevel) does not match the \(cycle.label), which is EQF level \(cycle.eqfLevel)")
        }
        return .pass
    }

    // MARK: Elements 9–11

    func assessmentType() -> Verdict {
        let type = achievement["assessmentType"]
        if !isIRI(type) { return .fail(missingOr(path("assessmentType"), type, "an absolute IRI")) }
        return descriptionProblem("assessmentDescription").map(Verdict.fail) ?? .pass
    }

    func participationForm() -> Verdict {
        let mode = achievement["participationMode"]
        if !isIRI(mode) { return .fail(missingOr(path("participationMode"), mode, "an absolute IRI")) }
        if let problem = descriptionProblem("participationDescription") { return .fail(problem) }
        if ParticipationMode(iri: mode!.stringValue!) == nil {
            return .warn("\(path("participationMode")) is not one of the 3 known IRIs (online, blended, onsite)")
        }
        return .pass
    }

    func qualityAssurance() -> Verdict {
        let type = achievement["qualityAssuranceType"]
        if type == nil && !isNonBlankString(achievement["qualityAssuranceDescription"]) {
            return .fail("neither \(path("qualityAssuranceType")) nor a non-blank \(path("qualityAssuranceDescription"))")
        }
        if let type, !isIRI(type) { return .fail("\(path("qualityAssuranceType")) is not an absolute IRI") }
        let problem = descriptionProblem("qualityAssuranceDescription") ?? descriptionProblem("qualityAssuranceBody")
        return problem.map(Verdict.fail) ?? .pass
    }

    /// A free-text member that is present but not a non-blank string.
    private func descriptionProblem(_ member: String) -> String? {
        guard let value = achievement[member], !isNonBlankString(value) else { return nil }
        return "\(path(member)) is not a non-blank string"
    }

    // MARK: Elements 12–16

    func optionalText(_ member: String) -> Verdict {
        if let problem = descriptionProblem(member) { return .fail(problem) }
        return achievement[member] == nil ? .absent : .pass
    }

    func supervision() -> Verdict {
        guard let value = subject["supervisionAndVerification"] else { return .absent }
        guard isIRI(value) else { return .fail("\(subjectPath).supervisionAndVerification is not an absolute IRI") }
        if SupervisionType(iri: value.stringValue!) == nil {
            return .warn("\(subjectPath).supervisionAndVerification is not one of the 4 known IRIs")
        }
        return .pass
    }

    func grade() -> Verdict {
        guard let results = subject["result"] else { return .absent }
        guard let entries = results.arrayValue, entries.allSatisfy({ $0.objectValue != nil }) else {
            return .fail("\(subjectPath).result is not an array of objects")
        }
        guard let index = entries.firstIndex(where: { isNonBlankString($0["value"]) }) else { return .absent }
        if let reference = entries[index]["resultDescription"] {
            let ids = (achievement["resultDescription"]?.arrayValue ?? []).compactMap { $0["id"] }
            if !ids.contains(reference) {
                return .fail("\(subjectPath).result[\(index)].resultDescription names no \(path("resultDescription")) id")
            }
        }
        return .pass
    }

    func stackability() -> Verdict {
        let type = achievement["stackability"]
        let towards = achievement["stackableTowards"]
        if let type, type.stringValue.flatMap(StackabilityType.init(iri:)) == nil {
            return .fail("\(path("stackability")) is not one of the 2 stackability IRIs")
        }
        if let problem = descriptionProblem("stackableTowards") { return .fail(problem) }
        if towards != nil && type?.stringValue.flatMap(StackabilityType.init(iri:)) != .stackable {
            return .fail("\(path("stackableTowards")) is given but \(path("stackability")) is not \"stackable\"")
        }
        return type == nil ? .absent : .pass
    }
}

// MARK: - Value tests of §8.3

private func isNonBlankString(_ value: JSONValue?) -> Bool {
    value?.stringValue.map(ProfileSyntax.isNonBlank) ?? false
}

private func isIRI(_ value: JSONValue?) -> Bool {
    value?.stringValue.map(ProfileSyntax.isAbsoluteIRI) ?? false
}

private func isPositiveNumber(_ value: JSONValue) -> Bool {
    value.numberValue.map { $0 > 0 } ?? false
}

/// `path missing` when the value is absent, else `path is not <expected>`.
private func missingOr(_ path: String, _ value: JSONValue?, _ expected: String) -> String {
    value == nil ? "\(path) missing" : "\(path) is not \(expected)"
}
