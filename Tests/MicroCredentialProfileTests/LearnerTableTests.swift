import CanonicalJSON
import Foundation
import MicroCredentialProfile
import TestSupport
import Testing

private func records(_ text: String) throws(CSVError) -> CSVRecords {
    try CSVRecords(parsing: Array(text.utf8))
}

private let course = try! JSONValue(parsing: Array(try! Data(contentsOf: packageRoot()
    .appendingPathComponent("spec/examples/course.json"))))

@Suite("LEARNERS.csv: RFC 4180 records and learner rows")
struct LearnerTableTests {
    @Test("quoted commas, quoted line breaks, doubled quotes, CRLF and a byte order mark")
    func rfc4180() throws {
        let table = try records("\u{FEFF}a,b,c\r\n\"x, y\",\"line 1\r\nline 2\",\"say \"\"hi\"\"\"\r\nplain,,\"\"\r\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records.map(\.fields) == [["x, y", "line 1\r\nline 2", "say \"hi\""], ["plain", "", ""]])
        // Rows as a spreadsheet counts them: the quoted line break does not start a row.
        #expect(table.records.map(\.row) == [2, 3])
        // LF alone ends records too; blank rows are skipped but counted; no final line break is needed.
        let lf = try records("a,b\n1,2\n\n3,4")
        #expect(lf.records.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(lf.records.map(\.row) == [2, 4])
        // Spaces belong to the field; a lone CR is data.
        #expect(try records("a\n x \ny\rz\n").records.map(\.fields) == [[" x "], ["y\rz"]])
    }

    @Test("malformed CSV is refused with its row", arguments: [
        ("a,b\n\"open,1\n", 2, "never closed"),
        ("a,b\nx\"y,1\n", 2, "a quote inside unquoted field 1"),
        ("a,b\n\"x\"y,1\n", 2, "text after the closing quote of field 1"),
        ("\na,b\n", 1, "the first row must be the header"),
        ("", 1, "the first row must be the header"),
    ])
    func malformed(_ text: String, _ row: Int, _ reason: String) {
        #expect {
            try records(text)
        } throws: { error in
            guard let error = error as? CSVError else { return false }
            return error.row == row && error.reason.contains(reason)
        }
    }

    @Test("text that is not UTF-8 is refused")
    func notUTF8() {
        #expect(throws: CSVError.self) { try CSVRecords(parsing: Array("a\n".utf8) + [0xC3, 0x28, 0x0A]) }
    }

    @Test("random tables written by Python's csv module read back field for field", arguments: [1, 2, 3, 4])
    func pythonWrites(_ seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let alphabet = Array("ab ,\"\r\n;é€😀'\t") .map(String.init)
        let columns = Int.random(in: 1...5, using: &generator)
        let rows: [[String]] = (0..<40).map { _ in
            (0..<columns).map { _ in
                (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            }
        }
        let table = [(0..<columns).map { "c\($0)" }] + rows
        let json = String(decoding: try JSONSerialization.data(withJSONObject: table), as: UTF8.self)
        let written = try run(["python3", "-c", """
            import csv, json, sys
            rows = json.loads(sys.stdin.read())
            w = csv.writer(sys.stdout, lineterminator='\\r\\n')
            w.writerows(rows)
            """], stdin: Data(json.utf8))
        try #require(written.status == 0, "\(written.errorOutput)")
        let parsed = try CSVRecords(parsing: Array(written.stdout))
        #expect(parsed.header == table[0])
        // A row of one empty field is a blank row, which the reader skips (Python writes it as `""` or nothing).
        let expected = rows.filter { $0 != [""] }
        #expect(parsed.records.map(\.fields) == expected)
    }

    @Test("every bad column of every row is named; good rows become learner records")
    func rowProblems() throws {
        let csv = try records("""
            name,email,studentId,did,awardedDate,grade,gradeType,gradeScale,assessmentType
            Ana Andromeda,ana@example.org,,,2025-06-30,B,LetterGrade,A to E,
            Bo Berg,,S-1,,2025-06-30,,,,test
            ,not-an-email,,,2025-13-40,,Bogus,,
            Cy Chen,,,did:example:cy,2025-06-30,,,letters,
            Di Diaz,,,,2025-06-30,,,,
            Ed,ed@example.org,,,2025-06-30
            """)
        let table = try LearnerTable(csv, course: course)
        let results = table.records.map(table.check)
        let learners = results.compactMap { try? $0.get() }
        let rowProblems = results.flatMap { result -> [LearnerTable.Problem] in
            if case .failure(let row) = result { return row.problems }
            return []
        }
        #expect(learners.map(\.row) == [2, 3])
        #expect(learners[0].learner.identifier.identityType == "emailAddress")
        #expect(learners[0].learner.identifier.hashed)
        #expect(learners[1].learner.identifier.identityType == "sisSourcedId")
        #expect(learners[1].course.assessment.type == .known(.test))
        #expect(learners[0].course.assessment.type == .known(.project))
        let problems = rowProblems.map(\.description)
        #expect(problems.contains { $0.hasPrefix("4: email: must be an e-mail address") })
        #expect(problems.contains { $0.hasPrefix("4: name: is empty") })
        #expect(problems.contains { $0.hasPrefix("4: awardedDate: must be a date") })
        #expect(problems.contains("4: gradeType: is given without a grade"))
        #expect(problems.contains("5: gradeScale: is given without a grade"))
        #expect(problems.contains { $0.hasPrefix("6: the row has no email, studentId or did") })
        #expect(problems.contains { $0.hasPrefix("7: the row has 5 fields but the header has 9") })
        #expect(Set(rowProblems.map(\.row)) == [4, 5, 6, 7])
    }

    @Test("a header with an unknown, repeated or missing column is refused as row 1")
    func header() throws {
        for (text, column) in [("name,mail,awardedDate\n", "mail"), ("name,email,email,awardedDate\n", "email"),
                               ("name,email\n", "awardedDate")] {
            #expect {
                try LearnerTable(try records(text), course: course)
            } throws: { error in
                (error as? LearnerTable.Problem).map { $0.row == 1 && $0.column == column } ?? false
            }
        }
    }
}
