public import CanonicalJSON

/// LEARNERS.csv: one learner a row, as a student-information system exports them, for issuing a cohort at once
/// (`spec/cli-profile.md` §2.2).
///
/// Each row becomes the LEARNER.json it stands for and is checked by the same rules (``LearnerRecord``); the
/// optional per-learner assessment and participation columns replace those of COURSE.json for that learner and
/// are checked by the course's rules. ``check(_:)`` reports every bad column of a row, not only the first.
public struct LearnerTable: Sendable {
    /// A column of the table.
    public struct Column: Hashable, Sendable {
        /// The header name, exactly.
        public let name: String
        /// What the column holds, for help texts and the spec.
        public let meaning: String
    }

    /// The columns, in the order the spec lists them. `name`, `awardedDate` and one of `email`, `studentId`,
    /// `did` are required; the others may be absent or left empty.
    public static let columns: [Column] = [
        Column(name: "name", meaning: "the learner's full name as it is to be shown (required)"),
        Column(name: "email", meaning: "the learner's e-mail address; only a salted SHA-256 of it is written"),
        Column(name: "studentId", meaning: "the learner's student number; only a salted SHA-256 of it is written"),
        Column(name: "did", meaning: "the learner's DID or URI: the credential subject's id"),
        Column(name: "awardedDate", meaning: "the date of issuing, YYYY-MM-DD or a date-time with offset (required)"),
        Column(name: "grade", meaning: "the learner's grade"),
        Column(name: "gradeScale", meaning: "the grading scale in words"),
        Column(name: "gradeType", meaning: "an OB ResultType such as LetterGrade or Percent"),
        Column(name: "supervision", meaning: "supervision and identity verification, as in LEARNER.json"),
        Column(name: "assessmentType", meaning: "this learner's type of assessment, replacing COURSE.json's"),
        Column(name: "assessmentDescription", meaning: "with assessmentType: its description"),
        Column(name: "participationMode", meaning: "this learner's form of participation, replacing COURSE.json's"),
        Column(name: "participationDescription", meaning: "with participationMode: its description"),
    ]

    /// One learner, checked, with the course as it applies to them.
    public struct Learner: Sendable {
        /// The row of the CSV file (the header is row 1).
        public let row: Int
        public let learner: LearnerRecord
        public let course: CourseDescription
    }

    /// A problem with a row, or with the header (row 1).
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public let row: Int
        /// The column at fault; empty for the row as a whole.
        public let column: String
        public let reason: String

        /// `ROW: column: reason`; the caller puts the file name in front.
        public var description: String { column.isEmpty ? "\(row): \(reason)" : "\(row): \(column): \(reason)" }
    }

    /// The header's column names.
    public let header: [String]
    /// The rows after the header.
    public let records: [CSVRecords.Record]
    private let course: JSONValue
    private let baseCourse: CourseDescription

    /// Reads the table's header against the course it is issued for; the rows are checked by ``check(_:)``.
    ///
    /// - Parameters:
    ///   - records: the CSV file's records.
    ///   - course: COURSE.json as parsed.
    /// - Throws: ``Problem`` (row 1) when the header cannot be used: an unknown or repeated column, or a
    ///   required one missing; ``ProfileInputError`` when the course is not valid.
    public init(_ records: CSVRecords, course: JSONValue) throws {
        let header = records.header
        let known = Self.columns.map(\.name)
        for (index, name) in header.enumerated() {
            guard known.contains(name) else {
                throw Problem(row: 1, column: name, reason: "not a known column (check the spelling and case); "
                    + "the columns are " + known.joined(separator: ", "))
            }
            if header[..<index].contains(name) { throw Problem(row: 1, column: name, reason: "the column appears twice") }
        }
        for required in ["name", "awardedDate"] where !header.contains(required) {
            throw Problem(row: 1, column: required, reason: "the column is missing; it is required")
        }
        if !header.contains(where: { ["email", "studentId", "did"].contains($0) }) {
            throw Problem(row: 1, column: "", reason: "the header needs an identifier column: email, studentId or did")
        }
        self.header = header
        self.records = records.records
        self.course = course
        self.baseCourse = try CourseDescription(json: course)
    }

    /// Checks one row: the learner it stands for, or every problem it has (several when several columns are at
    /// fault). Rows are independent, so they may be checked in parallel.
    public func check(_ record: CSVRecords.Record) -> Result<Learner, RowProblems> {
        guard record.fields.count == header.count else {
            return .failure(RowProblems(problems: [Problem(row: record.row, column: "", reason: "the row has "
                + "\(record.fields.count) fields but the header has \(header.count); check for a missing or extra comma")]))
        }
        var cells: [String: String] = [:]
        for (name, value) in zip(header, record.fields) where !value.isEmpty { cells[name] = value }
        return Self.learner(cells, row: record.row, course: course, baseCourse: baseCourse)
    }

    /// The problems of one row, in column order.
    public struct RowProblems: Error, Hashable, Sendable {
        public var problems: [Problem]
    }

    /// One row: its LEARNER.json and, with overrides, its COURSE.json, each checked by its own rules.
    private static func learner(
        _ cells: [String: String], row: Int, course: JSONValue, baseCourse: CourseDescription
    ) -> Result<Learner, RowProblems> {
        var problems: [Problem] = []
        func problem(_ column: String, _ reason: String) { problems.append(Problem(row: row, column: column, reason: reason)) }

        // The identifier: the e-mail address, else the student number (both only hashed), else the DID.
        var identifier: (column: String, json: JSONObject)?
        if let email = cells["email"] {
            if Self.isEmailAddress(email) {
                identifier = ("email", ["type": "email", "value": .string(email), "hashed": true])
            } else {
                problem("email", "must be an e-mail address such as ana@example.org")
            }
        } else if let studentID = cells["studentId"] {
            identifier = ("studentId", ["type": "studentId", "value": .string(studentID), "hashed": true])
        } else if let did = cells["did"] {
            identifier = ("did", ["type": "identifier", "value": .string(did)])
        } else if cells["email"] == nil {
            problem("", "the row has no email, studentId or did; one is needed to identify the learner")
        }
        for column in ["gradeScale", "gradeType"] where cells[column] != nil && cells["grade"] == nil {
            problem(column, "is given without a grade")
        }
        for (detail, main) in [("assessmentDescription", "assessmentType"), ("participationDescription", "participationMode")]
        where cells[detail] != nil && cells[main] == nil {
            problem(detail, "is given without \(main)")
        }

        var learner: JSONObject = [:]
        if let name = cells["name"] { learner["name"] = .string(name) }
        if let did = cells["did"] { learner["id"] = .string(did) }
        learner["identifier"] = .object(identifier?.json ?? ["type": "email", "value": "x@x", "hashed": true])
        if let date = cells["awardedDate"] { learner["awardedDate"] = .string(date) }
        if let grade = cells["grade"] {
            var object: JSONObject = ["value": .string(grade)]
            if let scale = cells["gradeScale"] { object["scale"] = .string(scale) }
            if let type = cells["gradeType"] { object["resultType"] = .string(type) }
            learner["grade"] = .object(object)
        }
        if let supervision = cells["supervision"] { learner["supervision"] = ["type": .string(supervision)] }

        // Each field's own rule, one at a time, so that every bad column of the row is named.
        func columnName(for path: String) -> String {
            path == "identifier.value" ? identifier?.column ?? "" : Self.columnOfPath[path] ?? path
        }
        var record: LearnerRecord?
        var faulty: Set<String> = []
        while record == nil {
            do {
                record = try LearnerRecord(json: .object(learner))
            } catch {
                let column = columnName(for: error.path)
                if column == "name" || column == "awardedDate", cells[column] == nil {
                    problem(column, "is empty; it is required")
                } else {
                    problem(column, reason(error))
                }
                // Stand in a valid value for the faulty field (or leave it out) and check the rest of the row.
                guard faulty.insert(error.path).inserted,
                      learner.replace(path: error.path, with: standIn(for: error.path))
                else { break }
            }
        }

        var description = baseCourse
        if cells["assessmentType"] != nil || cells["participationMode"] != nil {
            guard case .object(var object) = course else { return .failure(RowProblems(problems: problems)) }
            for (member, main, detail, key) in [
                ("assessment", "assessmentType", "assessmentDescription", "type"),
                ("participation", "participationMode", "participationDescription", "mode"),
            ] {
                guard let value = cells[main] else { continue }
                var replaced = JSONObject([JSONMember(key, .string(value))])
                if let text = cells[detail] { replaced["description"] = .string(text) }
                object[member] = .object(replaced)
            }
            do {
                description = try CourseDescription(json: .object(object))
            } catch {
                problem(columnName(for: error.path), reason(error))
            }
        }
        guard problems.isEmpty, let record else { return .failure(RowProblems(problems: problems)) }
        return .success(Learner(row: row, learner: record, course: description))
    }

    /// The column of each LEARNER.json or COURSE.json path a row fills in (`identifier.value` depends on the row).
    private static let columnOfPath = [
        "name": "name", "id": "did", "awardedDate": "awardedDate",
        "grade.value": "grade", "grade.scale": "gradeScale", "grade.resultType": "gradeType",
        "supervision.type": "supervision", "assessment.type": "assessmentType",
        "assessment.description": "assessmentDescription", "participation.mode": "participationMode",
        "participation.description": "participationDescription",
    ]

    /// The reason of a profile error, without its JSON path (the column names the place).
    private static func reason(_ error: ProfileInputError) -> String {
        switch error {
        case .missing(_, _, let expected): "is empty; expected \(expected)"
        case .invalid(_, _, let expected): "must be \(expected)"
        case .unknownMember(_, let path, _): "\(path) is not a known field"
        }
    }

    /// A valid value to stand in for a faulty required field while the rest of the row is checked.
    private static func standIn(for path: String) -> JSONValue? {
        switch path {
        case "name": "stand-in"
        case "awardedDate": "2000-01-01"
        case "identifier.value": "stand-in@example.org"
        case "grade.value": "stand-in"
        default: nil
        }
    }

    /// `local@domain`: one `@`, something on each side, no spaces or control characters.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }
}

extension JSONObject {
    /// Sets the member at a dotted path (`grade.scale`) to `value`, or removes it when `value` is nil; false when
    /// there is nothing to change.
    fileprivate mutating func replace(path: String, with value: JSONValue?) -> Bool {
        let names = path.split(separator: ".").map(String.init)
        guard let first = names.first else { return false }
        if names.count == 1 {
            guard self[first] != nil || value != nil else { return false }
            self[first] = value
            return true
        }
        guard case .object(var inner)? = self[first],
              inner.replace(path: names.dropFirst().joined(separator: "."), with: value)
        else { return false }
        self[first] = .object(inner)
        return true
    }
}
