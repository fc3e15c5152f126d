import CanonicalJSON
import DataIntegrity
import MicroCredentials
@testable import MicroCredentialProfile
import TestSupport
import Testing

/// A mandatory element taken out of the example credential, and the status the lint must give it.
struct RemovedElement: Sendable, CustomTestStringConvertible {
    let element: MicroCredentialElement
    /// The members removed, as dotted paths.
    let paths: [String]
    let expected: ProfileFinding.Status
    var testDescription: String { element.heading }
}

/// One rule of §8.4 broken on purpose.
struct LintCase: Sendable, CustomTestStringConvertible {
    let name: String
    let element: MicroCredentialElement
    let status: ProfileFinding.Status
    let detail: String?
    let change: @Sendable (JSONObject) -> JSONObject
    /// Other elements the change also fails.
    var alsoFailing: [MicroCredentialElement] = []
    var testDescription: String { name }
}

private let achievement = "credentialSubject.achievement"

@Suite("Profile: lint (spec §8)")
struct ProfileLintTests {
    @Test("every element of the example credential passes")
    func examplePasses() throws {
        let report = ProfileLinter.lint(try profileExampleObject("credential-unsigned.json"))
        #expect(report.findings.map(\.element) == MicroCredentialElement.allCases)
        #expect(report.findings.allSatisfy { $0.status == .pass && $0.detail == nil })
        #expect(report.passes)
        #expect(report.findings[0].line == "[PASS] Element 1 \u{2014} Identification of the learner")
    }

    @Test("removing a mandatory element flags that element by name", arguments: [
        RemovedElement(element: .learnerIdentification, paths: ["credentialSubject.id", "credentialSubject.identifier"],
                       expected: .fail),
        RemovedElement(element: .title, paths: ["\(achievement).name"], expected: .fail),
        RemovedElement(element: .countryOrRegion, paths: ["issuer.address"], expected: .fail),
        RemovedElement(element: .awardingBody, paths: ["issuer.name"], expected: .fail),
        RemovedElement(element: .dateOfIssuing, paths: ["validFrom", "awardedDate"], expected: .fail),
        RemovedElement(element: .learningOutcomes, paths: ["\(achievement).learningOutcomes", "\(achievement).criteria"],
                       expected: .fail),
        RemovedElement(element: .notionalWorkload, paths: ["\(achievement).creditsAvailable", "\(achievement).creditSystem",
                                                           "\(achievement).workloadHours"], expected: .fail),
        // Element 8 is mandatory only if applicable, so a missing level is a warning.
        RemovedElement(element: .level, paths: ["\(achievement).alignment", "\(achievement).qfEheaCycle"], expected: .warn),
        RemovedElement(element: .assessmentType, paths: ["\(achievement).assessmentType"], expected: .fail),
        RemovedElement(element: .participationForm, paths: ["\(achievement).participationMode"], expected: .fail),
        RemovedElement(element: .qualityAssurance, paths: ["\(achievement).qualityAssuranceType",
                                                           "\(achievement).qualityAssuranceDescription"], expected: .fail),
    ])
    func mandatoryElementRemoved(_ removed: RemovedElement) throws {
        var credential = try profileExampleObject("credential-unsigned.json")
        for path in removed.paths { credential = credential.settingMember(atPath: path, to: nil) }
        let report = ProfileLinter.lint(credential)
        let flagged = report.findings.filter { $0.status != .pass }
        #expect(flagged.map(\.element) == [removed.element])
        #expect(flagged.first?.status == removed.expected)
        #expect(flagged.first?.line.hasPrefix("[\(removed.expected.label)] \(removed.element.heading): ") ?? false)
        #expect(report.passes == (removed.expected != .fail))
    }

    @Test("without credentialSubject every mandatory element that reads it fails, every optional one is absent")
    func subjectMissing() throws {
        let credential = try profileExampleObject("credential-unsigned.json")
            .settingMember(atPath: "credentialSubject", to: nil)
        let report = ProfileLinter.lint(credential)
        for element in [MicroCredentialElement.learnerIdentification, .title, .learningOutcomes, .notionalWorkload,
                        .level, .assessmentType, .participationForm, .qualityAssurance] {
            #expect(report[element] == ProfileFinding(element, .fail, "credentialSubject missing"))
        }
        for element in MicroCredentialElement.allCases where !element.isMandatory {
            #expect(report[element].status == .absent)
        }
        #expect(report[.dateOfIssuing].status == .pass)
        #expect(report[.awardingBody].status == .pass)
    }

    @Test("without the achievement, the elements that read it fail with the §8.3 detail")
    func achievementMissing() throws {
        let credential = try profileExampleObject("credential-unsigned.json").settingMember(atPath: achievement, to: nil)
        let report = ProfileLinter.lint(credential)
        #expect(report[.title] == ProfileFinding(.title, .fail, "credentialSubject.achievement missing"))
        #expect(report[.learnerIdentification].status == .pass)
        #expect(report[.grade].status == .absent)
    }

    @Test("optional elements left out are ABSENT, and the lint still passes")
    func optionalAbsent() throws {
        var credential = try profileExampleObject("credential-unsigned.json")
        for path in ["\(achievement).prerequisites", "credentialSubject.supervisionAndVerification", "credentialSubject.result",
                     "\(achievement).stackability", "\(achievement).stackableTowards", "\(achievement).furtherInformation"] {
            credential = credential.settingMember(atPath: path, to: nil)
        }
        let report = ProfileLinter.lint(credential)
        #expect(report.findings.filter { $0.status == .absent }.map(\.element)
            == [.prerequisites, .supervisionAndIdentityVerification, .grade, .stackability, .furtherInformation])
        #expect(report.passes)
        #expect(report[.prerequisites].line == "[ABSENT] Element 12 \u{2014} Prerequisites")
    }

    @Test("each rule of §8.4", arguments: lintCases)
    func rule(_ lintCase: LintCase) throws {
        let report = ProfileLinter.lint(lintCase.change(try profileExampleObject("credential-unsigned.json")))
        let finding = report[lintCase.element]
        #expect(finding.status == lintCase.status)
        if let detail = lintCase.detail { #expect(finding.detail == detail) }
        let others = report.findings.filter { $0.element != lintCase.element }
        #expect(others.filter { $0.status != .pass }.map(\.element) == lintCase.alsoFailing)
        #expect(report.passes == (lintCase.status != .fail && lintCase.alsoFailing.isEmpty))
    }
}

private func set(_ path: String, _ value: JSONValue?) -> @Sendable (JSONObject) -> JSONObject {
    { $0.settingMember(atPath: path, to: value) }
}

private let eqf5: JSONValue = [
    "type": ["Alignment"], "targetType": "ext:EQFLevel", "targetFramework": "European Qualifications Framework",
    "targetCode": "5", "targetName": "EQF level 5", "targetUrl": "http://data.europa.eu/snb/eqf/5",
]

private let lintCases: [LintCase] = [
    LintCase(name: "1: id not an IRI", element: .learnerIdentification, status: .fail,
             detail: "credentialSubject.id is not an absolute IRI", change: set("credentialSubject.id", "ana andromeda")),
    LintCase(name: "1: hashed identifier with a bad hash", element: .learnerIdentification, status: .fail,
             detail: "credentialSubject.identifier[0].identityHash is hashed but not sha256$<64 hex digits> or md5$<32 hex digits>",
             change: set("credentialSubject.identifier", [["type": "IdentityObject", "identityType": "emailAddress",
                                                            "hashed": true, "identityHash": "sha256$abc"]])),
    LintCase(name: "1: identifier entry without hashed", element: .learnerIdentification, status: .fail, detail: nil,
             change: set("credentialSubject.identifier", [["type": "IdentityObject", "identityType": "name",
                                                            "identityHash": "Ana"]])),
    LintCase(name: "1: no unhashed name", element: .learnerIdentification, status: .warn, detail: nil,
             change: set("credentialSubject.identifier", nil)),
    LintCase(name: "2: top-level name differs", element: .title, status: .warn,
             detail: "the top-level name differs from credentialSubject.achievement.name", change: set("name", "Other")),
    LintCase(name: "2: blank title", element: .title, status: .fail,
             detail: "credentialSubject.achievement.name is not a non-blank string", change: set("\(achievement).name", " \t")),
    LintCase(name: "3: lower-case country", element: .countryOrRegion, status: .fail,
             detail: "issuer.address.addressCountryCode is not an ISO 3166-1 alpha-2 code in capitals",
             change: set("issuer.address.addressCountryCode", "ie")),
    LintCase(name: "3: EL for Greece", element: .countryOrRegion, status: .warn,
             detail: "issuer.address.addressCountryCode is EL; ISO 3166-1 writes Greece as GR",
             change: set("issuer.address.addressCountryCode", "EL")),
    LintCase(name: "3: user-assigned code", element: .countryOrRegion, status: .warn, detail: nil,
             change: set("issuer.address.addressCountryCode", "XK")),
    LintCase(name: "3: blank region", element: .countryOrRegion, status: .fail,
             detail: "issuer.address.addressRegion is not a non-blank string", change: set("issuer.address.addressRegion", "")),
    LintCase(name: "3: co-awarding body without country", element: .countryOrRegion, status: .fail,
             detail: "credentialSubject.achievement.coAwardingBodies[0].address.addressCountryCode missing",
             change: set("\(achievement).coAwardingBodies", [["id": "https://resa.example", "type": ["Profile"],
                                                              "name": "Research Alliance"]])),
    LintCase(name: "4: issuer as a bare id", element: .awardingBody, status: .fail,
             detail: "issuer is only an id; it must be an embedded Profile with a name and an address",
             change: set("issuer", "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"),
             alsoFailing: [.countryOrRegion]),
    LintCase(name: "4: empty co-awarding bodies", element: .awardingBody, status: .fail,
             detail: "credentialSubject.achievement.coAwardingBodies is not a non-empty array of Profiles",
             change: set("\(achievement).coAwardingBodies", [])),
    LintCase(name: "5: validFrom without offset", element: .dateOfIssuing, status: .fail,
             detail: "validFrom is not an XML Schema dateTimeStamp (a date-time with offset), e.g. 2025-06-30T00:00:00Z",
             change: set("validFrom", "2025-06-30T00:00:00")),
    LintCase(name: "5: impossible date", element: .dateOfIssuing, status: .fail, detail: nil,
             change: set("awardedDate", "2025-02-29T00:00:00Z")),
    LintCase(name: "5: awarded after validFrom", element: .dateOfIssuing, status: .warn,
             detail: "awardedDate is later than validFrom", change: set("awardedDate", "2025-07-01T00:00:00+02:00")),
    LintCase(name: "6: narrative only", element: .learningOutcomes, status: .warn, detail: nil,
             change: set("\(achievement).learningOutcomes", nil)),
    LintCase(name: "6: blank outcome", element: .learningOutcomes, status: .fail,
             detail: "credentialSubject.achievement.learningOutcomes is not a non-empty array of non-blank strings",
             change: set("\(achievement).learningOutcomes", ["Do things.", " "])),
    LintCase(name: "6: ESCO alignment off the ESCO scheme", element: .learningOutcomes, status: .fail,
             detail: "credentialSubject.achievement.alignment[0].targetUrl is not an ESCO skill URI (http://data.europa.eu/esco/skill/…)",
             change: set("\(achievement).alignment", [["type": ["Alignment"], "targetType": "ext:ESCOSkill",
                                                       "targetName": "x", "targetUrl": "https://esco.example/skill/1"], eqf5])),
    LintCase(name: "7: credits as a string", element: .notionalWorkload, status: .fail,
             detail: "credentialSubject.achievement.creditsAvailable is not a number > 0",
             change: set("\(achievement).creditsAvailable", "5")),
    LintCase(name: "7: credits without a system", element: .notionalWorkload, status: .fail, detail: nil,
             change: set("\(achievement).creditSystem", nil)),
    LintCase(name: "7: hours only", element: .notionalWorkload, status: .warn, detail: nil, change: { credential in
        credential.settingMember(atPath: "\(achievement).creditsAvailable", to: nil)
            .settingMember(atPath: "\(achievement).creditSystem", to: nil)
    }),
    LintCase(name: "7: other credit system", element: .notionalWorkload, status: .warn, detail: nil,
             change: set("\(achievement).creditSystem", "https://credits.example/us-semester-hour")),
    LintCase(name: "8: two EQF levels", element: .level, status: .fail,
             detail: "more than one ext:EQFLevel alignment", change: set("\(achievement).alignment", [eqf5, eqf5])),
    LintCase(name: "8: EQF 9", element: .level, status: .fail, detail: nil, change: { credential in
        var alignment = eqf5.objectValue!
        alignment["targetUrl"] = "http://data.europa.eu/snb/eqf/9"
        return credential.settingMember(atPath: "\(achievement).alignment", to: [.object(alignment)])
    }),
    LintCase(name: "8: targetCode disagrees", element: .level, status: .fail,
             detail: "credentialSubject.achievement.alignment[0].targetCode differs from EQF level 5 of its targetUrl",
             change: { credential in
                 var alignment = eqf5.objectValue!
                 alignment["targetCode"] = "6"
                 return credential.settingMember(atPath: "\(achievement).alignment", to: [.object(alignment)])
             }),
    LintCase(name: "8: NQF without framework", element: .level, status: .fail, detail: nil,
             change: set("\(achievement).alignment", [eqf5, ["type": ["Alignment"], "targetType": "ext:NQFLevel",
                                                            "targetCode": "6", "targetUrl": "http://data.europa.eu/snb/qdr/x"]])),
    LintCase(name: "8: unknown cycle", element: .level, status: .fail, detail: nil,
             change: set("\(achievement).qfEheaCycle", "https://mcred.example/vocab/qf-ehea-cycle/fourth")),
    LintCase(name: "8: EQF and cycle disagree", element: .level, status: .warn,
             detail: "EQF level 5 does not match the QF-EHEA first cycle, which is EQF level 6",
             change: set("\(achievement).qfEheaCycle", "https://mcred.example/vocab/qf-ehea-cycle/first")),
    LintCase(name: "8: not stated", element: .level, status: .warn, detail: "not stated (allowed only if not applicable)",
             change: { credential in
                 credential.settingMember(atPath: "\(achievement).alignment", to: nil)
                     .settingMember(atPath: "\(achievement).qfEheaCycle", to: nil)
             }),
    LintCase(name: "9: assessment type not an IRI", element: .assessmentType, status: .fail,
             detail: "credentialSubject.achievement.assessmentType is not an absolute IRI",
             change: set("\(achievement).assessmentType", "project")),
    LintCase(name: "9: any IRI is accepted", element: .assessmentType, status: .pass, detail: nil,
             change: set("\(achievement).assessmentType", "http://data.europa.eu/snb/assessment/x")),
    LintCase(name: "10: unknown participation IRI", element: .participationForm, status: .warn, detail: nil,
             change: set("\(achievement).participationMode", "https://modes.example/hybrid")),
    LintCase(name: "10: blank description", element: .participationForm, status: .fail, detail: nil,
             change: set("\(achievement).participationDescription", "")),
    LintCase(name: "11: description alone is enough", element: .qualityAssurance, status: .pass, detail: nil,
             change: set("\(achievement).qualityAssuranceType", nil)),
    LintCase(name: "11: blank QA body", element: .qualityAssurance, status: .fail,
             detail: "credentialSubject.achievement.qualityAssuranceBody is not a non-blank string",
             change: set("\(achievement).qualityAssuranceBody", "  ")),
    LintCase(name: "12: prerequisites not a string", element: .prerequisites, status: .fail, detail: nil,
             change: set("\(achievement).prerequisites", ["JSON"])),
    LintCase(name: "13: unknown supervision IRI", element: .supervisionAndIdentityVerification, status: .warn,
             detail: nil, change: set("credentialSubject.supervisionAndVerification", "https://sv.example/proctored")),
    LintCase(name: "13: supervision not an IRI", element: .supervisionAndIdentityVerification, status: .fail,
             detail: nil, change: set("credentialSubject.supervisionAndVerification", "proctored")),
    LintCase(name: "14: result not an array", element: .grade, status: .fail,
             detail: "credentialSubject.result is not an array of objects", change: set("credentialSubject.result", ["value": "B"])),
    LintCase(name: "14: grade names an unknown ResultDescription", element: .grade, status: .fail,
             detail: "credentialSubject.result[0].resultDescription names no credentialSubject.achievement.resultDescription id",
             change: set("\(achievement).resultDescription", nil)),
    LintCase(name: "14: results without a value", element: .grade, status: .absent, detail: nil,
             change: set("credentialSubject.result", [["type": ["Result"], "status": "Completed"]])),
    LintCase(name: "15: towards with standalone", element: .stackability, status: .fail, detail: nil,
             change: set("\(achievement).stackability", "https://mcred.example/vocab/stackability/standalone")),
    LintCase(name: "15: unknown stackability", element: .stackability, status: .fail, detail: nil,
             change: set("\(achievement).stackability", "https://mcred.example/vocab/stackability/maybe")),
    LintCase(name: "16: further information blank", element: .furtherInformation, status: .fail, detail: nil,
             change: set("\(achievement).furtherInformation", "\n")),
]
