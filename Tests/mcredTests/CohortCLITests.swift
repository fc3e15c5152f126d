import Foundation
import TestSupport
import Testing

private let key = "keys-example/issuer.key.pem"
private let course = "spec/examples/course.json"

/// A LEARNERS.csv of `count` good learners (every third identified by student number, the others by e-mail).
private func cohort(_ count: Int) -> String {
    var text = "name,email,studentId,awardedDate,grade,gradeType\r\n"
    for index in 0..<count {
        let identifier = index % 3 == 0 ? ",S-\(index)" : "learner\(index)@example.org,"
        text += "\"Learner \(index), Jr.\",\(identifier),2025-06-30,\(["A", "B", "C"][index % 3]),LetterGrade\r\n"
    }
    return text
}

private func write(_ text: String, _ name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("CLI: issue --learners (a cohort from a CSV file)")
struct CohortCLITests {
    @Test("10,000 rows issue 10,000 credentials that all verify, with no e-mail address or student number in clear")
    func tenThousand() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try write(cohort(10_000), "cohort.csv", in: folder)
        let out = folder.appendingPathComponent("cohort.jsonl").path
        let issued = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv, "--out", out])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stdout.hasPrefix("issued 10000, skipped 0, in "))
        #expect(issued.stdout.hasSuffix(" credentials/s)\n"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 10_000)
        #expect(!lines.contains { $0.contains("@example.org") || $0.contains("\"S-") })
        #expect(Set(lines.map { line in line.split(separator: "\"id\":\"").dropFirst().first?.prefix(45) ?? "" }).count == 10_000,
                "every credential has its own id")
        // An independent path: mcred audit verifies every line of the JSON Lines file.
        let audit = try CLIHarness.mcred(["audit", "--format", "json", "--seed", "x", out])
        #expect(audit.status == 0, "\(audit.stdout.prefix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["audited"] as? Int == 10_000)
        #expect(totals["valid"] as? Int == 10_000)
    }

    @Test("an existing JSON Lines output over the 16 MiB input limit is recognised by its first line and replaced")
    func largeExistingOutput() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try write(cohort(3), "cohort.csv", in: folder)
        let line = "{\"earlier\":\"" + String(repeating: "x", count: 1000) + "\"}\n"
        let out = try write(String(repeating: line, count: 17_000), "cohort.jsonl", in: folder)
        let issued = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv, "--out", out])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3)
        // Not JSON Lines: still refused without --force, and left as it was.
        let other = try write("not json\n", "notes.txt", in: folder)
        let refused = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv, "--out", other])
        #expect(refused.status == 2)
        #expect(refused.stderr == "mcred issue: \(other) already exists and is not JSON Lines; use --force to replace it\n")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "not json\n")
    }

    @Test("three bad rows are all named as FILE:ROW: column: reason, exit 2, and nothing is written")
    func threeBadRows() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = cohort(6)
        text += "Bad Date,bad@example.org,,2025-02-30,,\r\n"
        text += "No Identifier,,,2025-06-30,,\r\n"
        text += "\"Bad Mail\",not-an-address,,2025-06-30,A,Bogus\r\n"
        let csv = try write(text, "learners.csv", in: folder)
        let outDir = folder.appendingPathComponent("issued")
        let result = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv,
                                           "--out-dir", outDir.path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.stderr)")
        #expect(lines[0].hasPrefix(csv + ":8: awardedDate: must be a date"))
        #expect(lines[1].hasPrefix(csv + ":9: the row has no email, studentId or did"))
        #expect(lines[2] == csv + ":10: email: must be an e-mail address such as ana@example.org")
        #expect(lines[3].hasPrefix(csv + ":10: gradeType: must be an OB ResultType"))
        #expect(lines[4] == "mcred issue: 3 rows of \(csv) cannot be issued (listed above); nothing was written: "
            + "correct them, or issue the others with --skip-invalid")
        #expect(!FileManager.default.fileExists(atPath: outDir.path))

        // --skip-invalid: the six good rows, each in learner-ROW.json, and the bad ones listed.
        let skipping = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv,
                                             "--out-dir", outDir.path, "--skip-invalid"])
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(skipping.stdout.hasPrefix("issued 6, skipped 3, in "))
        #expect(skipping.stderr.split(separator: "\n").count == 4)
        let files = try FileManager.default.contentsOfDirectory(atPath: outDir.path).sorted()
        #expect(files == (2...7).map { "learner-\($0).json" })
        let verified = try CLIHarness.mcred(["verify"] + files.map { outDir.appendingPathComponent($0).path })
        #expect(verified.status == 0, "\(verified.stdout)")
    }

    @Test("with --register every issued credential is recorded with its status entries")
    func registered() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let register = folder.appendingPathComponent("awards.db").path
        #expect(try CLIHarness.mcred(["register", "init", register, "--status-base-url", "https://uni.example/status"]).status == 0)
        let csv = try write(cohort(25), "cohort.csv", in: folder)
        let out = folder.appendingPathComponent("cohort.jsonl").path
        let issued = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course, "--learners", csv,
                                           "--out", out, "--register", register])
        #expect(issued.status == 0, "\(issued.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 25)
        #expect(lines.allSatisfy { $0.contains("\"credentialStatus\":[") })
        let exported = try CLIHarness.mcred(["register", "export", register, "--format", "jsonl"])
        #expect(exported.stdout.split(separator: "\n").count == 25)
    }

    @Test("usage: --learner with --learners, --learners without an output, --id with --learners exit 64")
    func usage() throws {
        for arguments in [["--learner", "x.json", "--learners", "x.csv", "--out", "o"], ["--learners", "x.csv"],
                          ["--learners", "x.csv", "--out", "o", "--id", "urn:x:1"],
                          ["--learner", "x.json", "--out-dir", "d"]] {
            let result = try CLIHarness.mcred(["issue", "--key", key, "--achievement", course] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
