import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

struct Lint: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check that a credential carries the 16 elements of an EU micro-credential.",
        discussion: """
            Applies the rules of spec/microcredential-profile.md §8 to the credential's JSON and prints one line \
            per Annex I element, in order: [PASS], [WARN] (acceptable, not as recommended), [FAIL] (a mandatory \
            element is missing, or an element is malformed) or [ABSENT] (an optional element is not given), \
            then the element's number and name and, where there is one, a detail naming the JSON path. The \
            proof is not checked here: use mcred verify.

            Exit status: 0 no element fails, 1 an element fails, 2 unreadable or not a JSON object.

            Examples:
              mcred lint spec/examples/credential-unsigned.json
              mcred lint --format json credential.json
            """)

    @Argument(help: ArgumentHelp("The credential file, or '-' for standard input.", valueName: "file"))
    var file: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func execute() async throws {
        let report = ProfileLinter.lint(try ProfileCommandInput.credential(file))
        switch format {
        case .text: try Terminal.write(Self.text(report))
        case .json: try Terminal.write(Self.json(report, file: file).serialized(pretty: true) + [0x0A])
        }
        if !report.passes { throw ExitStatus.negative }
    }

    /// One line per element: `[STATUS] Element N — Name: detail`.
    static func text(_ report: ProfileLintReport) -> String {
        report.findings.map { printable($0.line) }.joined(separator: "\n") + "\n"
    }

    /// `{"file", "passes", "findings": [{"number", "name", "mandatory", "status", "detail"}]}`.
    static func json(_ report: ProfileLintReport, file: String) -> JSONValue {
        [
            "file": .string(file),
            "passes": .bool(report.passes),
            "findings": .array(report.findings.map { finding in
                [
                    "number": .number(Double(finding.element.number)),
                    "name": .string(finding.element.name),
                    "mandatory": .bool(finding.element.isMandatory),
                    "status": .string(finding.status.rawValue),
                    "detail": finding.detail.map(JSONValue.string) ?? .null,
                ]
            }),
        ]
    }
}
