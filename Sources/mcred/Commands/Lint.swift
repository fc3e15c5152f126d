import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

struct Lint: MCredCommand, OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { [VerificationOptions()] }

    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check that a credential carries the 16 elements of an EU micro-credential.",
        discussion: """
            Applies the rules of spec/microcredential-profile.md §8 to the credential's JSON and prints one line \
            per Annex I element, in order: [PASS], [WARN] (acceptable, not as recommended), [FAIL] (a mandatory \
            element is missing, or an element is malformed) or [ABSENT] (an optional element is not given), \
            then the element's number and name and, where there is one, a detail naming the JSON path. The \
            proof is not checked here: use mcred verify. With --trust, a last line says what the trust lists \
            say of the awarding body (its listing is not part of the lint's verdict).

            Exit status: 0 no element fails, 1 an element fails, 2 unreadable or not a JSON object.

            Examples:
              mcred lint spec/examples/credential-unsigned.json
              mcred lint --format json credential.json
            """)

    @Argument(help: ArgumentHelp("The credential file, or '-' for standard input.", valueName: "file"))
    var file: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup(title: "Trust lists (to name the awarding body)")
    var verification: VerificationOptions

    func execute() async throws {
        let credential = try ProfileCommandInput.credential(file)
        let report = ProfileLinter.lint(credential)
        var awardingBody: String?
        if !verification.trust.isEmpty {
            let time = DateTimeStamp.now
            let verification = try await verification.withVerifier(at: time) { await $0.verify(.object(credential), at: time) }
            awardingBody = VerificationOptions.awardingBody(verification)
        }
        switch format {
        case .text:
            try Terminal.write(Self.text(report) + (awardingBody.map { "Awarding body: \(printable($0))\n" } ?? ""))
        case .json:
            var json = Self.json(report, file: file)
            if let awardingBody, case .object(var object) = json {
                object["awardingBody"] = .string(awardingBody)
                json = .object(object)
            }
            try Terminal.write(json.serialized(pretty: true) + [0x0A])
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
