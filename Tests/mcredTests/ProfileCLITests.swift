import Foundation
import TestSupport
import Testing

/// Paths and values of the profile examples, relative to the repository root (the harness's working folder).
private enum Profile {
    static let key = "keys-example/issuer.key.pem"
    static let course = "spec/examples/course.json"
    static let learner = "spec/examples/learner.json"
    static let unsigned = "spec/examples/credential-unsigned.json"
    static let signed = "spec/examples/credential-signed.json"
    static let fixedID = "urn:uuid:df48b852-f65f-423a-b3d1-90105380e391"
    static let fixedCreated = "2025-06-30T00:00:00Z"
    /// A time at which the examples are valid, so that results do not depend on the clock.
    static let at = "2026-01-01T00:00:00Z"

    static let elementNames = [
        "Identification of the learner", "Title of the micro-credential", "Country(ies)/Region(s) of the issuer",
        "Awarding body(ies)", "Date of issuing", "Learning outcomes", "Notional workload", "Level",
        "Type of assessment", "Form of participation", "Type of quality assurance", "Prerequisites",
        "Supervision and identity verification", "Grade", "Integration/stackability options", "Further information",
    ]

    static func json(_ path: String) throws -> NSDictionary {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : packageRoot().appendingPathComponent(path)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? NSDictionary)
    }

    static func json(text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    /// Writes `object` as JSON into `folder` and returns the path.
    static func write(_ object: Any, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }
}

@Suite("CLI: issue, lint, inspect and demo (micro-credential profile)")
struct ProfileCLITests {
    @Test("issue → lint and verify accept it; the proof set has an eddsa-jcs-2022 and an eddsa-rdfc-2022 proof")
    func issueThenVerify() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("credential.json").path
        let issued = try CLIHarness.mcred(["issue", "--key", Profile.key, "--achievement", Profile.course,
                                           "--learner", Profile.learner, "--out", out])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stdout.isEmpty && issued.stderr.isEmpty)
        let credential = try Profile.json(out)
        let proofs = try #require(credential["proof"] as? [[String: Any]])
        #expect(proofs.map { $0["cryptosuite"] as? String } == ["eddsa-jcs-2022", "eddsa-rdfc-2022"])
        #expect((credential["id"] as? String)?.hasPrefix("urn:uuid:") ?? false)
        #expect(credential["validFrom"] as? String == "2025-06-30T00:00:00Z")

        let verified = try CLIHarness.mcred(["verify", out])
        #expect(verified.status == 0, "\(verified.stdout)")
        let linted = try CLIHarness.mcred(["lint", out])
        #expect(linted.status == 0)
        #expect(linted.stdout.split(separator: "\n").count == 16)
        #expect(linted.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("[PASS] Element ") })
    }

    @Test("issue with --id and --created reproduces spec/examples/credential-signed.json")
    func reproducible() throws {
        let issued = try CLIHarness.mcred(["issue", "--key", Profile.key, "--achievement", Profile.course,
                                           "--learner", Profile.learner, "--id", Profile.fixedID,
                                           "--created", Profile.fixedCreated])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(try Profile.json(text: issued.stdout) == (try Profile.json(Profile.signed)))
    }

    @Test("issue without --id writes a fresh urn:uuid each time")
    func freshIDs() throws {
        let arguments = ["issue", "--key", Profile.key, "--achievement", Profile.course, "--learner", Profile.learner]
        let first = try Profile.json(text: try CLIHarness.mcred(arguments).stdout)["id"] as? String
        let second = try Profile.json(text: try CLIHarness.mcred(arguments).stdout)["id"] as? String
        #expect(first != nil && first != second)
    }

    @Test("a bad COURSE.json or LEARNER.json field: exit 2, one stderr line naming the file and field", arguments: [
        ("course", "workload", #"{"ects": "5"}"#, "workload.ects must be a number > 0"),
        ("course", "participation", #"{"mode": "remote"}"#, "participation.mode must be one of online, onsite, blended"),
        ("learner", "grade", #"{"scale": "A to F"}"#, "grade.value is missing; expected a non-blank string"),
    ])
    func badInput(file: String, member: String, value: String, message: String) throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = try Profile.json(file == "course" ? Profile.course : Profile.learner).mutableCopy() as! NSMutableDictionary
        example[member] = try Profile.json(text: value)
        let broken = try Profile.write(example, "\(file).json", in: folder)
        let course = file == "course" ? broken : Profile.course
        let learner = file == "learner" ? broken : Profile.learner
        let result = try CLIHarness.mcred(["issue", "--key", Profile.key, "--achievement", course, "--learner", learner])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["mcred issue: \(broken): \(message)"])
    }

    @Test("issue: a course that is not JSON, or an --id that is not an IRI")
    func issueUsage() throws {
        let notJSON = try CLIHarness.mcred(["issue", "--key", Profile.key, "--achievement", "Package.swift",
                                            "--learner", Profile.learner])
        #expect(notJSON.status == 2)
        #expect(notJSON.stderrLines.count == 1 && notJSON.stderr.contains("Package.swift is not valid JSON"))
        let badID = try CLIHarness.mcred(["issue", "--key", Profile.key, "--achievement", Profile.course,
                                          "--learner", Profile.learner, "--id", "not an iri"])
        #expect(badID.status == 64)
    }

    @Test("lint: exit 0 for the example, 1 with a mandatory element missing (named), 2 for non-JSON")
    func lintExitCodes() throws {
        #expect(try CLIHarness.mcred(["lint", Profile.unsigned]).status == 0)

        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let credential = try Profile.json(Profile.unsigned).mutableCopy() as! NSMutableDictionary
        let subject = (credential["credentialSubject"] as! NSDictionary).mutableCopy() as! NSMutableDictionary
        let achievement = (subject["achievement"] as! NSDictionary).mutableCopy() as! NSMutableDictionary
        achievement.removeObject(forKey: "assessmentType")
        subject["achievement"] = achievement
        credential["credentialSubject"] = subject
        let path = try Profile.write(credential, "no-assessment.json", in: folder)
        let failed = try CLIHarness.mcred(["lint", path])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains(
            "[FAIL] Element 9 \u{2014} Type of assessment: credentialSubject.achievement.assessmentType missing\n"))

        let json = try CLIHarness.mcred(["lint", "--format", "json", path])
        #expect(json.status == 1)
        let report = try Profile.json(text: json.stdout)
        #expect(report["passes"] as? Bool == false)
        let findings = try #require(report["findings"] as? [NSDictionary])
        #expect(findings.count == 16)
        #expect(findings[8]["status"] as? String == "fail" && findings[8]["name"] as? String == "Type of assessment")

        let notJSON = try CLIHarness.mcred(["lint", "Package.swift"])
        #expect(notJSON.status == 2)
        #expect(notJSON.stderrLines.count == 1)
    }

    @Test("inspect shows all 16 elements of the signed example, then the verdict; --format json for machines")
    func inspect() throws {
        let text = try CLIHarness.mcred(["inspect", "--at", Profile.at, Profile.signed])
        #expect(text.status == 0, "\(text.stdout)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for name in Profile.elementNames {
            #expect(lines.contains { $0.hasPrefix(name + ":") }, "\(name) is not shown")
        }
        #expect(lines.contains("Notional workload: 5 ECTS (125 hours)"))
        #expect(lines.contains("Level: EQF 5, QF-EHEA short cycle"))
        #expect(lines.contains("\(Profile.signed): VALID \u{2014} issued by did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"))
        #expect(lines.contains { $0.contains("pass") && $0.contains("Signature") })

        let json = try CLIHarness.mcred(["inspect", "--format", "json", "--at", Profile.at, Profile.signed])
        #expect(json.status == 0)
        let document = try Profile.json(text: json.stdout)
        let elements = try #require(document["elements"] as? [NSDictionary])
        #expect(elements.map { $0["name"] as? String } == Profile.elementNames)
        #expect(elements.allSatisfy { $0["status"] as? String == "pass" && $0["value"] is String })
        #expect(elements[6]["value"] as? String == "5 ECTS (125 hours)")
        #expect((document["verification"] as? NSDictionary)?["valid"] as? Bool == true)
    }

    @Test("inspect of an unsigned credential exits 1: it does not verify")
    func inspectUnsigned() throws {
        let result = try CLIHarness.mcred(["inspect", "--at", Profile.at, Profile.unsigned])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Title of the micro-credential: Designing and Issuing Digital Micro-Credentials"))
        #expect(result.stdout.contains("INVALID"))
    }

    @Test("demo exits 0, and with --keep leaves inputs that match spec/examples and credentials that verify")
    func demoKeep() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try CLIHarness.mcred(["demo", "--keep", folder.path])
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        #expect(demo.stdout.contains("Step 5. Trust"))
        #expect(demo.stdout.contains("pass           Issuer trusted — listed on «mcred demo registry"))
        #expect(demo.stdout.contains("Step 6. Unlisted issuer"))
        #expect(demo.stdout.contains("fail           Issuer trusted — did:key:"))
        #expect(demo.stdout.contains("Step 7. Status"))
        #expect(demo.stdout.contains("pass           Revocation status — not revoked (list https://uniz.example/status/1"))
        #expect(demo.stdout.contains("Step 8. Revoke"))
        #expect(demo.stdout.contains("fail           Revocation status — revoked (list https://uniz.example/status/1"))
        #expect(demo.stdout.contains("Step 9. Tamper"))
        #expect(demo.stdout.hasSuffix("mcred demo: all 9 steps behaved as expected.\n"))

        for (kept, example) in [("course.json", Profile.course), ("learner.json", Profile.learner)] {
            let expected = try Profile.json(example).mutableCopy() as! NSMutableDictionary
            expected.removeObject(forKey: "$schema")
            #expect(try Profile.json(folder.appendingPathComponent(kept).path) == expected, "\(kept) differs from \(example)")
        }
        let credential = folder.appendingPathComponent("credential.json").path
        let tampered = folder.appendingPathComponent("credential-tampered.json").path
        #expect(try CLIHarness.mcred(["verify", credential]).status == 0)
        #expect(try CLIHarness.mcred(["verify", tampered]).status == 1)
        // The kept register and lists give the same verdict through the command line: revoked.
        let registered = folder.appendingPathComponent("credential-registered.json").path
        let revoked = try CLIHarness.mcred([
            "verify", "--status-list", "https://uniz.example/status/1=" + folder.appendingPathComponent("status/1").path,
            "--status-list", "https://uniz.example/status/2=" + folder.appendingPathComponent("status/2").path,
            "--offline", registered])
        #expect(revoked.status == 1)
        #expect(revoked.stdout.contains("revoked (list https://uniz.example/status/1"))
        let shown = try CLIHarness.mcred(["register", "show", folder.appendingPathComponent("register.db").path])
        #expect(shown.stdout.contains("revoked"), "\(shown.stdout)")
        let unlisted = folder.appendingPathComponent("credential-unlisted.json").path
        #expect(try CLIHarness.mcred(["verify", unlisted]).status == 0)
        #expect(try CLIHarness.mcred(["verify", "--trust", "keys-example/trust-list.json", "--trust-anchor",
                                      "keys-example/registry.pub.pem", unlisted]).status == 1)
    }

    @Test("demo without --keep writes nothing to the working folder")
    func demoLeavesNoFiles() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = packageRoot().appendingPathComponent(Profile.key).path
        let keys = packageRoot().appendingPathComponent("keys-example")
        let demo = try CLIHarness.mcred(["demo", "--key", key, "--trust", keys.appendingPathComponent("trust-list.json").path,
                                         "--trust-anchor", keys.appendingPathComponent("registry.pub.pem").path], in: folder)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("demo removes its temporary folder ($TMPDIR/mcred-demo-…), and nothing outside it")
    func demoRemovesTemporaryFolder() throws {
        let temporary = try CLIHarness.temporaryDirectory()
        let outside = try CLIHarness.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: temporary)
            try? FileManager.default.removeItem(at: outside)
        }
        try Data("keep me".utf8).write(to: outside.appendingPathComponent("keep.txt"))
        let demo = try run(["env", "TMPDIR=\(temporary.path)", try CLIHarness.binary().path, "demo"], in: packageRoot())
        #expect(demo.status == 0, "\(demo.errorOutput)")
        #expect(demo.output.contains("Files: \(temporary.path)/mcred-demo-"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("keep.txt").path))
    }

    @Test("demo with a missing key: exit 2 and one line saying what to do")
    func demoMissingKey() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try CLIHarness.mcred(["demo"], in: folder)
        #expect(demo.status == 2)
        #expect(demo.stdout.isEmpty)
        #expect(demo.stderrLines.count == 1)
        #expect(demo.stderr.contains("keys-example/issuer.key.pem") && demo.stderr.contains("--key"))
    }
}
