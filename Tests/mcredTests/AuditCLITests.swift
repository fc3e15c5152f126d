import Foundation
import TestSupport
import Testing

/// `mcred audit`: planted defects found exactly, samples independent of file layout and order, signed reports,
/// exit statuses.
@Suite("CLI: audit")
struct AuditCLITests {
    static let registryKey = "keys-example/registry.key.pem"
    static let registry = "did:key:z6MkodK3VPRGhE1Po7h9c4Lnf16skM7NNevatUr9jLv1Bwxa"

    /// Signs the credentials `texts` with `key` in one `mcred sign` run: one compact JSON line each, in order.
    static func signedLines(_ texts: [String], key: String = Samples.key, in folder: URL) throws -> [String] {
        let unsigned = folder.appendingPathComponent("unsigned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: unsigned, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: unsigned) }
        var paths: [String] = []
        for (index, text) in texts.enumerated() {
            paths.append(try Samples.write(text, "c-\(index).json", in: unsigned))
        }
        let result = try CLIHarness.mcred(["sign", "--key", key, "--created", Samples.created] + paths)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        if texts.count == 1 {  // one file: indented output
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return [String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)]
        }
        #expect(lines.count == texts.count)
        return lines
    }

    /// A credential with a validity end before `Samples.at`.
    static func expiring(_ index: Int) -> String {
        Samples.credential(index).replacingOccurrences(
            of: "\"validFrom\": \"2026-01-15T09:00:00Z\",",
            with: "\"validFrom\": \"2026-01-15T09:00:00Z\", \"validUntil\": \"2026-03-01T00:00:00Z\",")
    }

    static func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("2,000 credentials with 30 planted defects: audit finds exactly those, each with its failing checks")
    func plantedDefects() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = try Self.signedLines((0..<2000).map { Samples.credential($0) }, in: folder)
        let expired = try Self.signedLines((0..<5).map { Self.expiring(5000 + $0) }, in: folder)
        let noContext = try Self.signedLines((0..<5).map {
            Samples.credential(6000 + $0).replacingOccurrences(
                of: "\"@context\": [\"https://www.w3.org/ns/credentials/v2\"],", with: "")
        }, in: folder)
        let foreign = try Self.signedLines((0..<5).map { Samples.credential(7000 + $0, issuer: Self.registry) },
                                           key: Self.registryKey, in: folder)
        var expected: [Int: [String]] = [:]  // line number → failed checks
        func plant(_ index: Int, _ line: String, _ checks: [String]) {
            lines[index] = line
            expected[index + 1] = checks
        }
        for n in 0..<5 {
            let base = 37 + n * 397
            plant(base, lines[base].replacingOccurrences(of: "\"Learner \(base)\"", with: "\"Learner X\""), ["signature"])
            plant(base + 1, lines[base + 1].replacingOccurrences(
                of: "\"id\":\"\(Samples.issuer)\"", with: "\"id\":\"did:example:fake-university\""),
                ["issuer-binding", "signature"])
            plant(base + 2, foreign[n].replacingOccurrences(
                of: "\"id\":\"\(Self.registry)\"", with: "\"id\":\"\(Samples.issuer)\""),
                ["issuer-binding", "signature"])
            let proofValue = try #require(lines[base + 3].range(of: "\"proofValue\":\"z"))
            var broken = lines[base + 3]
            let start = broken.index(proofValue.upperBound, offsetBy: 10)
            let original = broken[start]
            broken.replaceSubrange(start...start, with: original == "A" ? "B" : "A")
            plant(base + 3, broken, ["signature"])
            plant(base + 4, expired[n], ["validity-period"])
            plant(base + 5, noContext[n], ["data-model"])
            plant(base + 6, "{\"id\": \"urn:uuid:not-json\", ", ["json"])
        }
        #expect(expected.count == 35)
        // A blank line is skipped (it shifts the line numbers after it by one).
        let text = lines.prefix(1000).joined(separator: "\n") + "\n\n" + lines.dropFirst(1000).joined(separator: "\n") + "\n"
        expected = Dictionary(uniqueKeysWithValues: expected.map { ($0.key > 1000 ? $0.key + 1 : $0.key, $0.value) })
        let batch = try Samples.write(text, "batch.jsonl", in: folder)

        let result = try CLIHarness.mcred(["audit", "--at", Samples.at, "--seed", "s", "--format", "json", batch])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try Self.parse(result.stdout)
        let totals = try #require(report["totals"] as? [String: Int])
        #expect(totals == ["credentials": 2000, "audited": 2000, "valid": 1965, "invalid": 35, "notVerified": 0])
        let records = try #require(report["credentials"] as? [[String: Any]])
        #expect(records.count == 2000)
        var found: [Int: [String]] = [:]
        for record in records where record["verdict"] as? String != "valid" {
            found[record["line"] as! Int] = record["failedChecks"] as? [String]
        }
        #expect(found == expected)
        #expect(report["failedChecks"] as? [String: Int] == [
            "json": 5, "data-model": 5, "issuer-binding": 10, "signature": 20, "validity-period": 5,
        ])
        // Sorted by sample key.
        let keys = records.map { $0["sampleKey"] as! String }
        #expect(keys == keys.sorted())
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1 && inputs[0]["credentials"] as? Int == 2000)
        let digest = try CLIHarness.openssl(["dgst", "-sha256", "-r", batch]).stdout.prefix(64)
        #expect(inputs[0]["sha256"] as? String == String(digest))
    }

    /// The report without what may differ between layouts: times, inputs, sources and lines.
    static func layoutIndependent(_ text: String) throws -> NSDictionary {
        var report = try parse(text)
        report["generatedAt"] = nil
        report["inputs"] = nil
        report["credentials"] = (report["credentials"] as! [[String: Any]]).map { record in
            var record = record
            record["source"] = nil
            record["line"] = nil
            return record
        }
        return report as NSDictionary
    }

    @Test("the same seed gives the same sample and report whatever the files, folders and order")
    func sampleIndependentOfLayout() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = try Self.signedLines((0..<300).map { Samples.credential($0) }, in: folder)
        lines[10] = lines[10].replacingOccurrences(of: "\"Learner 10\"", with: "\"Learner X\"")
        lines[20] = "not JSON at all"
        let single = try Samples.write(lines.joined(separator: "\n") + "\n", "all.jsonl", in: folder)
        // Several files in nested folders, indented differently, and a JSON Lines file with the rest.
        let tree = folder.appendingPathComponent("tree")
        var generator = SplitMix64(seed: 7)
        let shuffled = lines.shuffled(using: &generator)
        for (index, line) in shuffled.prefix(200).enumerated() {
            let sub = tree.appendingPathComponent("part-\(index % 3)/deeper-\(index % 2)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            if index % 2 == 0, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) {
                let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
                try pretty.write(to: sub.appendingPathComponent("c-\(index).json"))
            } else {
                _ = try Samples.write(line, "c-\(index).json", in: sub)
            }
        }
        _ = try Samples.write(shuffled.dropFirst(200).joined(separator: "\r\n"), "rest.jsonl", in: tree)
        let reversed = Data((lines.reversed().joined(separator: "\n") + "\n").utf8)

        for sampling in [["--sample", "40"], ["--fraction", "0.25"], []] {
            let common = ["audit", "--at", Samples.at, "--seed", "audit seed ✓", "--format", "json"] + sampling
            let one = try CLIHarness.mcred(common + [single])
            let split = try CLIHarness.mcred(common + [tree.path])
            let piped = try CLIHarness.mcred(common + ["-"], stdin: reversed)
            // Exit 1 exactly when the sample holds one of the two bad credentials.
            #expect(split.status == one.status && piped.status == one.status, "\(split.stderr)")
            let sampled = (try Self.parse(one.stdout)["totals"] as! [String: Int])["invalid"]!
            #expect(one.status == (sampled > 0 ? 1 : 0))
            let reference = try Self.layoutIndependent(one.stdout)
            #expect(try Self.layoutIndependent(split.stdout) == reference)
            #expect(try Self.layoutIndependent(piped.stdout) == reference)
            let report = try Self.parse(one.stdout)
            let records = report["credentials"] as! [[String: Any]]
            if sampling.first == "--sample" { #expect(records.count == 40) }
            if sampling.first == "--fraction" { #expect(records.count > 40 && records.count < 110) }
            if sampling.isEmpty { #expect(records.count == 300 && sampled == 2) }
            #expect(try Self.parse(split.stdout)["inputs"] as? [Any] != nil)
            #expect((try Self.parse(split.stdout)["inputs"] as! [Any]).count == 201)
        }
        // Another seed picks another sample.
        let first = try CLIHarness.mcred(["audit", "--at", Samples.at, "--seed", "a", "--sample", "40", "--format", "json", single])
        let second = try CLIHarness.mcred(["audit", "--at", Samples.at, "--seed", "b", "--sample", "40", "--format", "json", single])
        let ids = { (text: String) in try Self.parse(text)["credentials"].map { ($0 as! [[String: Any]]).map { $0["sha256"] as! String } } }
        #expect(try ids(first.stdout) != ids(second.stdout))
        // Without --seed, a random seed is made and recorded.
        let random = try CLIHarness.mcred(["audit", "--at", Samples.at, "--sample", "5", "--format", "json", single])
        let seed = try #require((try Self.parse(random.stdout)["sample"] as? [String: Any])?["seed"] as? String)
        #expect(seed.count == 32 && seed.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(random.stderr.contains(seed))
        let again = try CLIHarness.mcred(["audit", "--at", Samples.at, "--sample", "5", "--seed", seed, "--format", "json", single])
        #expect(try Self.layoutIndependent(again.stdout) == Self.layoutIndependent(random.stdout))
    }

    @Test("a signed report verifies; altering one line of it makes it invalid")
    func signedReport() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try Self.signedLines((0..<20).map { Samples.credential($0) }, in: folder)
        let batch = try Samples.write(lines.joined(separator: "\n") + "\n", "batch.jsonl", in: folder)
        let path = folder.appendingPathComponent("report.json").path
        let audit = try CLIHarness.mcred(["audit", "--at", Samples.at, "--format", "json", "--sign-report",
                                          "--key", Self.registryKey, "--report", path, batch])
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout.isEmpty)
        let signed = try String(contentsOfFile: path, encoding: .utf8)
        let credential = try Self.parse(signed)
        #expect(credential["type"] as? [String] == ["VerifiableCredential", "AuditReport"])
        #expect(credential["issuer"] as? String == Self.registry)
        let subject = try #require(credential["credentialSubject"] as? [String: Any])
        #expect((subject["totals"] as? [String: Int])?["valid"] == 20)
        #expect(try CLIHarness.mcred(["verify", path]).status == 0)

        var altered = signed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(altered.firstIndex { $0.contains("\"verdict\": \"valid\"") })
        altered[index] = altered[index].replacingOccurrences(of: "\"valid\"", with: "\"invalid\"")
        let tampered = try Samples.write(altered.joined(separator: "\n"), "tampered.json", in: folder)
        let verify = try CLIHarness.mcred(["verify", tampered])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("fail           Signature"))

        let refused = try CLIHarness.mcred(["audit", "--sign-report", "--key", Self.registryKey, batch])
        #expect(refused.status == 64)
    }

    @Test("exit 2 for a missing input; a line that is not JSON is an invalid credential (exit 1)")
    func exitStatuses() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = try Self.signedLines((0..<3).map { Samples.credential($0) }, in: folder)
        let good = try Samples.write(lines.joined(separator: "\n") + "\n", "good.jsonl", in: folder)
        let ok = try CLIHarness.mcred(["audit", "--at", Samples.at, good])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("mcred audit report\n"))
        #expect(ok.stdout.contains("Totals:        3 credentials read, 3 audited: 3 valid, 0 invalid, 0 not verified\n"))

        let missing = try CLIHarness.mcred(["audit", good, folder.appendingPathComponent("nope.jsonl").path])
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("nope.jsonl"))

        let bad = try Samples.write(lines[0] + "\n{not json\n", "bad.jsonl", in: folder)
        let result = try CLIHarness.mcred(["audit", "--at", Samples.at, "--format", "csv", bad])
        #expect(result.status == 1)
        let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 3)
        #expect(rows[0] == "sample_key,source,line,id,issuer,verdict,failed_checks,sha256")
        let invalid = try #require(rows.first { $0.contains(",invalid,") })
        #expect(invalid.contains("\(bad),2,,,invalid,json,"))
        // Its digest is SHA-256 of the line's bytes.
        let digest = try CLIHarness.openssl(["dgst", "-sha256", "-r", try Samples.write("{not json", "raw", in: folder)])
        #expect(invalid.hasSuffix(String(digest.stdout.prefix(64))))
    }
}
