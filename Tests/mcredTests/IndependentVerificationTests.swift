import Foundation
import JSONLD
import TestSupport
import Testing

/// What `mcred issue` signs verifies with independent implementations — pyld (JSON-LD, URDNA2015 = RDFC-1.0),
/// the rfc8785 package and pyca/cryptography — through `spec/tools/independent_verify.py`; a tampered copy does
/// not. Skipped when those Python packages are missing, unless `MCRED_REQUIRE_INTEROP` is 1.
@Suite struct IndependentVerificationTests {
    static let available = (try? run(["python3", "-c", "import pyld, rfc8785, cryptography"]).status) == 0
    static let required = ProcessInfo.processInfo.environment["MCRED_REQUIRE_INTEROP"] == "1"

    @Test(.enabled(if: available || required, "pip install pyld rfc8785 cryptography"))
    func issuedCredentialsVerifyIndependently() throws {
        let folder = try CLIHarness.temporaryDirectory()
        // The contexts pyld reads: the very documents mcred bundles (pinned by SHA-256).
        let contexts = folder.appendingPathComponent("contexts")
        try FileManager.default.createDirectory(at: contexts, withIntermediateDirectories: true)
        var index: [String: String] = [:]
        for (number, document) in BundledContexts.documents.enumerated() {
            try Data(document.text.utf8).write(to: contexts.appendingPathComponent("\(number).jsonld"))
            index[document.url] = "\(number).jsonld"
        }
        try JSONSerialization.data(withJSONObject: index).write(to: contexts.appendingPathComponent("index.json"))

        // Learners whose names, grades and dates exercise escaping and Unicode.
        var csv = "name,email,studentId,awardedDate,grade\r\n"
        let names = ["Zoë \"\"Z\"\" Ångström", "李 小龍", "O'Brien, Seán", "e\u{301}lodie 😀", "Ana\\Back", "Ｆｕｌｌ"]
        for (row, name) in names.enumerated() {
            csv += "\"\(name)\",learner\(row)@example.org,S-\(row),2026-0\(row % 9 + 1)-15,\(["A", "B", "C"][row % 3])\r\n"
        }
        let learners = folder.appendingPathComponent("learners.csv")
        try Data(csv.utf8).write(to: learners)
        let out = folder.appendingPathComponent("issued")
        let issued = try CLIHarness.mcred([
            "issue", "--key", Samples.key, "--achievement", "spec/examples/course.json", "--learners", learners.path,
            "--out-dir", out.path,
        ])
        try #require(issued.status == 0, "\(issued.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted().map { out.appendingPathComponent($0).path }
        #expect(files.count == names.count)

        let verified = try run(["python3", "spec/tools/independent_verify.py", contexts.path] + files)
        #expect(verified.status == 0, "\(verified.output)\(verified.errorOutput)")
        let lines = verified.output.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("VALID ") && $0.hasSuffix("eddsa-jcs-2022") }.count == names.count)
        #expect(lines.filter { $0.hasPrefix("VALID ") && $0.hasSuffix("eddsa-rdfc-2022") }.count == names.count)

        // The same check refuses both proofs of a credential whose learner was renamed after signing.
        let tampered = try String(contentsOfFile: files[0], encoding: .utf8).replacingOccurrences(of: "Zoë", with: "Zoe")
        let tamperedPath = folder.appendingPathComponent("tampered.json").path
        try tampered.write(toFile: tamperedPath, atomically: true, encoding: .utf8)
        let refused = try run(["python3", "spec/tools/independent_verify.py", contexts.path, tamperedPath])
        #expect(refused.status == 1)
        #expect(refused.output.split(separator: "\n").filter { $0.hasPrefix("INVALID ") }.count == 2, "\(refused.output)")
    }
}
