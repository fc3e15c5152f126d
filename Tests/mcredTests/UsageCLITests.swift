import Foundation
import TestSupport
import Testing

/// Issue #10, item 5: usage errors, error-line escaping and colour.
@Suite("CLI: usage errors and error lines")
struct UsageCLITests {
    @Test("keygen --out '' and --out DIR/ are usage errors, and write nothing")
    func keygenOut() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for out in ["", folder.path + "/"] {
            let result = try CLIHarness.mcred(["keygen", "--out", out])
            #expect(result.status == 64, "\(out): \(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: --out"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        #expect(!FileManager.default.fileExists(atPath: packageRoot().appendingPathComponent(".key.pem").path))
    }

    @Test("bench --seconds below 0.1 is a usage error")
    func benchSeconds() throws {
        for seconds in ["0.05", "0.0999", "nan", "0"] {
            let result = try CLIHarness.mcred(["bench", "--seconds", seconds, "--skip-cli"])
            #expect(result.status == 64, "\(seconds)")
            #expect(result.stderr.contains("--seconds must be in [0.1, 60]."))
            #expect(!result.stdout.contains("nan"))
        }
    }

    @Test("mcred help UNKNOWN is a usage error; mcred help COMMAND is not")
    func helpUnknown() throws {
        let unknown = try CLIHarness.mcred(["help", "UNKNOWN"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("Error: Unknown subcommand 'UNKNOWN'."))
        #expect(try CLIHarness.mcred(["help", "key", "nope"]).status == 64)
        #expect(try CLIHarness.mcred(["help", "key", "show"]).status == 0)
        #expect(try CLIHarness.mcred(["help", "sign"]).status == 0)
    }

    @Test("every value option given twice is a usage error, for every command")
    func optionTwice() throws {
        let commands: [[String]] = [["keygen"], ["key", "show"], ["canonicalize"], ["sign"], ["verify"], ["issue"],
                                    ["lint"], ["inspect"], ["demo"], ["bench"]]
        for command in commands {
            let dump = try CLIHarness.mcred(command + ["--experimental-dump-help"])
            let info = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
            let arguments = (info["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
            // Repeatable options (--trust, --trust-anchor…) take several values; the others once.
            for argument in arguments where argument["kind"] as? String == "option" && argument["isRepeating"] as? Bool != true {
                guard let name = (argument["names"] as? [[String: Any]])?.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                      name != "help" else { continue }
                let result = try CLIHarness.mcred(command + ["--\(name)", "a", "--\(name)=b", "x.json"])
                #expect(result.status == 64, "\(command) --\(name) twice: \(result.stderr)")
                #expect(result.stderr.hasPrefix("Error: --\(name) is given twice; give it once."), "\(command): \(result.stderr)")
            }
            for argument in arguments where argument["kind"] as? String == "flag" {
                // A flag is accepted (it is not mistaken for an unknown option).
                guard let name = (argument["names"] as? [[String: Any]])?.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                      !["help", "version"].contains(name) else { continue }
                let result = try CLIHarness.mcred(command + ["--\(name)", "--bogus"])
                #expect(result.stderr.hasPrefix("Error: Unknown option '--bogus'"), "\(command) --\(name): \(result.stderr)")
            }
        }
    }

    @Test("verify -x and sign -x report the unknown option, with or without files")
    func unknownOption() throws {
        for arguments in [["verify", "-x"], ["verify", "-x", "a.json"], ["verify", "a.json", "b.json", "-x"],
                          ["sign", "-x"], ["sign", "--key", Samples.key, "--bogus", "a.json", "b.json"]] {
            let result = try CLIHarness.mcred(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.hasPrefix("Error: Unknown option '\(arguments.first { $0.hasPrefix("-") && $0 != "--key" }!)'"),
                    "\(arguments): \(result.stderr)")
        }
    }

    @Test("error lines escape line breaks as reports do: \\u{A}, one line")
    func errorLineEscapes() throws {
        let folder = try CLIHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let odd = try Samples.write("{}", "a\nb\r.json", in: folder)
        let result = try CLIHarness.mcred(["canonicalize", odd + "-missing"])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("a\\u{A}b\\u{D}.json-missing"), "\(result.stderr)")
        let verify = try CLIHarness.mcred(["verify", odd + "-missing"])
        #expect(verify.stderr.contains("a\\u{A}b\\u{D}.json-missing"), "\(verify.stderr)")
    }

    @Test("NO_COLOR (present and not empty) turns colour off on a terminal")
    func noColor() throws {
        let binary = try CLIHarness.binary().path
        func onTerminal(_ environment: String) throws -> String {
            // script(1) gives the command a terminal as standard output.
            let command = "\(environment) '\(binary)' verify --at \(Samples.at) spec/examples/credential-signed.json"
            return try TestSupport.run(["script", "-qec", command, "/dev/null"]).output
        }
        #expect(try onTerminal("env -u NO_COLOR").contains("\u{1B}[32m"))
        #expect(try onTerminal("env NO_COLOR=").contains("\u{1B}[32m"))
        #expect(!(try onTerminal("env NO_COLOR=1").contains("\u{1B}[")))
    }
}
