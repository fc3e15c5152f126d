import Foundation
import TestSupport
import Testing

/// `sign` and `verify` hand long file lists to ArgumentParser one file at a time (see FileArguments): their
/// options must work before, between and after the files, whichever options the commands have.
@Suite("CLI: long file lists")
struct FileListCLITests {
    @Test("verify --format json and --at work before and after 300 files, with the same output")
    func verifyOptionOrder() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let signed = try signedFiles(in: folder)
        let before = try CLIHarness.mcred(["verify", "--format", "json", "--at", Samples.at] + signed)
        #expect(before.status == 0, "\(before.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        let results = try #require(document["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["file"] as? String } == signed)
        #expect(document["verifiedAt"] as? String == Samples.at)
        for arguments in [signed + ["--format", "json", "--at", Samples.at],
                          ["--format", "json"] + signed + ["--at", Samples.at],
                          ["--at", Samples.at] + signed + ["--format", "json"]] {
            let result = try CLIHarness.mcred(["verify"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == before.stdout)
        }
    }

    @Test("sign takes its options after 300 files")
    func signOptionsAfterFiles() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unsigned = try (0..<300).map { try Samples.write(Samples.credential($0), "c\($0).json", in: folder) }
        let first = folder.appendingPathComponent("first").path
        let last = folder.appendingPathComponent("last").path
        let optionsFirst = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created,
                                                 "--out-dir", first] + unsigned)
        #expect(optionsFirst.status == 0, "\(optionsFirst.stderr)")
        let optionsLast = try CLIHarness.mcred(["sign"] + unsigned + ["--key", Samples.key, "--created", Samples.created,
                                                                      "--out-dir", last])
        #expect(optionsLast.status == 0, "\(optionsLast.stderr)")
        for index in [0, 150, 299] {
            let name = "c\(index).json"
            #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/" + name))
                == Data(contentsOf: URL(fileURLWithPath: last + "/" + name)))
        }
    }

    @Test("every value option of sign and verify, after 300 files, takes the next word as its value")
    func everyValueOptionAfterFiles() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = (0..<300).map { folder.appendingPathComponent("missing-\($0).json").path }
        for command in ["sign", "verify"] {
            let dump = try CLIHarness.mcred([command, "--experimental-dump-help"])
            let info = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
            let arguments = (info["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
            var names: [String] = []
            for argument in arguments where argument["kind"] as? String == "option" {
                let long = (argument["names"] as? [[String: Any]])?.first { $0["kind"] as? String == "long" }
                if let name = long?["name"] as? String, name != "help" { names.append(name) }
            }
            #expect(names.count >= 2, "\(command): \(names)")
            for name in names {
                // `--name=value` never takes a file; `--name value` must act the same, whatever the option.
                let separate = try CLIHarness.mcred([command] + files + ["--\(name)", "value-word"], in: folder)
                let joined = try CLIHarness.mcred([command] + files + ["--\(name)=value-word"], in: folder)
                #expect(separate.status == joined.status, "\(command) --\(name): \(separate.stderr)")
                #expect(separate.stderr == joined.stderr, "\(command) --\(name)")
                // Options whose value is a file read it; the others must not read their value as a credential.
                let fileOptions = ["key", "passphrase-file", "trust", "trust-anchor", "did-document"]
                #expect(!separate.stderr.contains("cannot read value-word") || fileOptions.contains(name),
                        "\(command) --\(name): \(separate.stderr)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    /// 300 credentials signed into `folder`, in order.
    private func signedFiles(in folder: URL) throws -> [String] {
        let unsigned = try (0..<300).map { try Samples.write(Samples.credential($0), "c\($0).json", in: folder) }
        let out = folder.appendingPathComponent("signed").path
        let result = try CLIHarness.mcred(["sign", "--key", Samples.key, "--created", Samples.created, "--out-dir", out]
            + unsigned)
        #expect(result.status == 0, "\(result.stderr)")
        return unsigned.indices.map { out + "/c\($0).json" }
    }
}
