import Foundation
import TestSupport
import Testing

/// Unicode noncharacters are valid data end to end: canonicalize, sign and verify (issue #10, item 1).
@Suite("CLI: Unicode noncharacters")
struct NoncharacterCLITests {
    static let noncharacterFolder = "Tests/CanonicalJSONTests/Noncharacters"
    /// Swift string literals cannot spell U+FDD0…U+FDEF as `\u{…}`.
    static let fdd0 = String(Unicode.Scalar(0xFDD0)!)
    static let fdd1 = String(Unicode.Scalar(0xFDD1)!)

    @Test("canonicalize of the noncharacter document equals the Python rfc8785 output byte for byte")
    func canonicalizeMatchesPython() throws {
        let folder = packageRoot().appendingPathComponent(Self.noncharacterFolder)
        let expected = try Data(contentsOf: folder.appendingPathComponent("noncharacters.canonical.json"))
        let result = try TestSupport.run([
            try CLIHarness.binary().path, "canonicalize", folder.appendingPathComponent("noncharacters.json").path,
        ])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.stdout == expected)
        // From standard input too.
        let piped = try TestSupport.run(
            [try CLIHarness.binary().path, "canonicalize", "-"],
            stdin: try Data(contentsOf: folder.appendingPathComponent("noncharacters.json")))
        #expect(piped.stdout == expected)
    }

    @Test("a credential with noncharacters in names, raw and escaped, signs and verifies; changing one breaks it")
    func signAndVerify() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = try String(
            contentsOf: packageRoot().appendingPathComponent("spec/examples/credential-unsigned.json"), encoding: .utf8)
        // Raw U+FDD0 and U+10FFFF, escaped U+FFFE and U+1FFFF (a surrogate pair).
        let text = example
            .replacingOccurrences(of: "\"University of Zed\"", with: "\"University of Zed \(Self.fdd0)\\uFFFE\"")
            .replacingOccurrences(of: "\"Research Alliance\"", with: "\"Research Alliance \u{10FFFF}\\ud83f\\udfff\"")
        #expect(text != example)
        let unsigned = try Samples.write(text, "noncharacters.json", in: folder)

        let signed = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, unsigned])
        #expect(signed.status == 0, "\(signed.stderr)")
        // The signed credential spells every noncharacter raw.
        #expect(signed.stdout.contains("\"University of Zed \(Self.fdd0)\u{FFFE}\""))
        #expect(signed.stdout.contains("\"Research Alliance \u{10FFFF}\u{1FFFF}\""))
        let signedPath = try Samples.write(signed.stdout, "signed.json", in: folder)

        let verified = try CLIHarness.mcred(["verify", "--at", Samples.at, signedPath])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("\(signedPath): VALID"))

        // The noncharacters are covered by the signature: another character in their place fails it.
        let tampered = try Samples.write(
            signed.stdout.replacingOccurrences(of: "Zed \(Self.fdd0)", with: "Zed \(Self.fdd1)"), "tampered.json", in: folder)
        let rejected = try CLIHarness.mcred(["verify", "--at", Samples.at, "--format", "json", tampered])
        #expect(rejected.status == 1, "\(rejected.stdout)\(rejected.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(rejected.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == false)
        let results = try #require(report?["results"] as? [[String: Any]])
        let checks = try #require(results.first?["checks"] as? [[String: Any]])
        #expect(checks.filter { $0["status"] as? String == "fail" }.map { $0["id"] as? String } == ["signature"])
    }
}
