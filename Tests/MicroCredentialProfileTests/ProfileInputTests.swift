import CanonicalJSON
import DataIntegrity
import MicroCredentials
@testable import MicroCredentialProfile
import TestSupport
import Testing

/// One broken input and the message it must produce.
struct BrokenInput: Sendable, CustomTestStringConvertible {
    let path: String
    let value: JSONValue?
    let message: String
    var testDescription: String { message }

    init(_ path: String, _ value: JSONValue?, _ message: String) {
        self.path = path
        self.value = value
        self.message = message
    }
}

@Suite("Profile: COURSE.json and LEARNER.json input errors")
struct ProfileInputTests {
    @Test("the example inputs parse")
    func examplesParse() throws {
        let course = try CourseDescription(json: profileExample("course.json"))
        #expect(course.learningOutcomes.count == 3)
        #expect(course.workload.credits == 5 && course.workload.hours == 125)
        #expect(course.level.eqf == 5 && course.level.qfEheaCycle == .known(.short))
        #expect(course.additionalAwardingBodies.map(\.id) == ["https://resa.example"])
        let learner = try LearnerRecord(json: profileExample("learner.json"))
        #expect(learner.identifier.identityType == "emailAddress")
        #expect(learner.awardedDate == "2025-06-30T00:00:00Z")
        #expect(learner.supervision == .supervisedOnlineWithID)
    }

    @Test("a broken COURSE.json gets one message naming the field", arguments: [
        BrokenInput("workload.ects", "5", "course.json: workload.ects must be a number > 0"),
        BrokenInput("workload.ects", 0, "course.json: workload.ects must be a number > 0"),
        BrokenInput("workload", [:], "course.json: workload must be an object with ects, hours or both (numbers > 0)"),
        BrokenInput("workload.days", 3, "course.json: workload.days is not a known field (check the spelling); allowed here: ects, hours"),
        BrokenInput("title", nil, "course.json: title is missing; expected a non-blank string on one line"),
        BrokenInput("title", "Two\nlines", "course.json: title must be a non-blank string on one line"),
        BrokenInput("learningOutcomes", [], "course.json: learningOutcomes must be a non-empty array of objects with a statement"),
        BrokenInput("level.eqf", 9, "course.json: level.eqf must be an integer from 1 to 8"),
        BrokenInput("level.eqf", 5.5, "course.json: level.eqf must be an integer from 1 to 8"),
        BrokenInput("level.qfEhea", "master", "course.json: level.qfEhea must be one of short, first, second, third"),
        BrokenInput("assessment.type", "exam",
                    "course.json: assessment.type must be one of test, skill-application, portfolio, project, recognition-of-prior-learning, or an absolute IRI"),
        BrokenInput("participation.mode", "remote", "course.json: participation.mode must be one of online, onsite, blended"),
        BrokenInput("qualityAssurance", ["body": "QQI"], "course.json: qualityAssurance must be an object with type, description or both"),
        BrokenInput("stackability.type", "standalone", "course.json: stackability.type must be stackable when towards is given"),
        BrokenInput("awardingBody.country", "ie",
                    "course.json: awardingBody.country must be an ISO 3166-1 alpha-2 code in capitals, e.g. IE (Greece is GR, the United Kingdom GB)"),
        BrokenInput("awardingBody.email", "nobody", "course.json: awardingBody.email must be an e-mail address (name@domain)"),
        BrokenInput("additionalAwardingBodies", [["name": "Alliance", "country": "BE"]],
                    "course.json: additionalAwardingBodies[0].id is missing; expected an id or url for the body's profile"),
        BrokenInput("prerequisites", " ", "course.json: prerequisites must be a non-blank string"),
        BrokenInput("titel", "Typo", "course.json: titel is not a known field (check the spelling); allowed here: id, title, description, learningOutcomes, workload, level, assessment, participation, qualityAssurance, prerequisites, stackability, furtherInformation, awardingBody, additionalAwardingBodies"),
    ])
    func brokenCourse(_ broken: BrokenInput) throws {
        let course = try profileExampleObject("course.json").settingMember(atPath: broken.path, to: broken.value)
        #expect {
            try CourseDescription(json: .object(course))
        } throws: { error in
            (error as? ProfileInputError)?.description == broken.message
        }
    }

    @Test("a learning outcome's field is named with its index")
    func outcomeIndex() throws {
        var course = try profileExampleObject("course.json")
        course["learningOutcomes"] = [["statement": "One."], ["statement": "Two.", "title": "orphan title"]]
        #expect {
            try CourseDescription(json: .object(course))
        } throws: { error in
            (error as? ProfileInputError)?.description
                == "course.json: learningOutcomes[1].escoSkill is missing; expected an ESCO skill URI, because title names that skill"
        }
    }

    @Test("a broken LEARNER.json gets one message naming the field", arguments: [
        BrokenInput("awardedDate", "30/06/2025",
                    "learner.json: awardedDate must be a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"),
        BrokenInput("awardedDate", "2025-02-30",
                    "learner.json: awardedDate must be a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"),
        BrokenInput("awardedDate", "2025-06-30T10:00:00",
                    "learner.json: awardedDate must be a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"),
        BrokenInput("awardedDate", "9999-12-31T23:59:59-14:00",
                    "learner.json: awardedDate must be a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"),
        BrokenInput("awardedDate", "2016-12-31T23:59:60Z",
                    "learner.json: awardedDate must be a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"),
        BrokenInput("identifier.type", "phone",
                    "learner.json: identifier.type must be email, studentId, nationalId, an OB IdentifierTypeEnum value such as userName, or an ext: term"),
        BrokenInput("identifier.hashed", false, "learner.json: identifier.hashed must be true when a salt is given (the salt is only used for hashing)"),
        BrokenInput("identifier.hashed", "yes", "learner.json: identifier.hashed must be true or false"),
        BrokenInput("identifier.value", nil, "learner.json: identifier.value is missing; expected a non-blank string"),
        BrokenInput("supervision.identityVerified", false, "learner.json: supervision.identityVerified must be true for type supervised-online-with-id"),
        BrokenInput("grade.resultType", "Grade", "learner.json: grade.resultType must be an OB ResultType such as LetterGrade or Percent, or an ext: term"),
        BrokenInput("id", "not an iri", "learner.json: id must be an absolute IRI (scheme:rest, no spaces), e.g. https://… or urn:…"),
        BrokenInput("name", nil, "learner.json: name is missing; expected a non-blank string on one line"),
    ])
    func brokenLearner(_ broken: BrokenInput) throws {
        let learner = try profileExampleObject("learner.json").settingMember(atPath: broken.path, to: broken.value)
        #expect {
            try LearnerRecord(json: .object(learner))
        } throws: { error in
            (error as? ProfileInputError)?.description == broken.message
        }
    }

    @Test("the whole file must be an object")
    func notAnObject() {
        #expect {
            try LearnerRecord(json: ["name"])
        } throws: { error in
            (error as? ProfileInputError)?.description == "learner.json: the file must be a JSON object, not an array"
        }
    }

    @Test("extension terms and OB values are accepted as identifier and result types")
    func extensionTerms() throws {
        let learner = try profileExampleObject("learner.json")
            .settingMember(atPath: "identifier", to: ["type": "ext:libraryCard", "value": "L-7"])
            .settingMember(atPath: "grade.resultType", to: "ext:Distinction")
        let record = try LearnerRecord(json: .object(learner))
        #expect(record.identifier.identityType == "ext:libraryCard")
        #expect(record.grade?.resultType == "ext:Distinction")
    }
}
