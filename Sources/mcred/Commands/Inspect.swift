import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

struct Inspect: MCredCommand, OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { [ReportOptions(), VerificationOptions()] }

    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a micro-credential for a person: its 16 EU elements, then the verification verdict.",
        discussion: """
            Prints the credential id and issuer, one line per Annex I element (`Label: value`, as \
            spec/microcredential-profile.md §9 defines; a missing mandatory element reads "(missing)", an absent \
            optional one is left out), the profile lint's outcome, and the verification verdict with every \
            check, as mcred verify prints it.

            Exit status: 0 the credential verifies and no element fails the lint, 1 it does not verify or an \
            element fails, 2 unreadable or not a JSON object.

            Examples:
              mcred inspect credential.json
              mcred inspect --format json --at 2030-01-01T00:00:00Z credential.json
              mcred inspect --trust keys-example/trust-list.json --trust-anchor keys-example/registry.pub.pem \
                credential.json
            """)

    @Argument(help: ArgumentHelp("The credential file, or '-' for standard input.", valueName: "file"))
    var file: String

    @OptionGroup var output: ReportOptions

    @OptionGroup(title: "Trust and key resolution")
    var verification: VerificationOptions

    func execute() async throws {
        let credential = try ProfileCommandInput.credential(file)
        let inspection = CredentialInspection(credential: credential)
        let time = output.at ?? .now
        let report = try await verification.withVerifier(at: time) { await $0.verify(.object(credential), at: time) }
        let name = Files.displayName(file)
        switch output.format {
        case .text:
            let color = !output.noColor && Terminal.colorAllowed
            try Terminal.write(Self.text(inspection, credential: credential, report: report, name: name, color: color))
        case .json:
            let json = inspection.jsonObject(verification: report.jsonObject(file: file), file: file)
            try Terminal.write(JSONValue.object(json).serialized(pretty: true) + [0x0A])
        }
        if !report.isValid || !inspection.lint.passes { throw ExitStatus.negative }
    }

    /// The envelope, the element lines, the lint outcome and the verification report.
    static func text(
        _ inspection: CredentialInspection, credential: JSONObject, report: VerificationReport, name: String,
        color: Bool
    ) -> String {
        var lines = [
            "Credential: \(printable(credential["id"]?.stringValue ?? "(no id)"))",
            "Issuer: \(printable(inspection.model.issuer?.id ?? credential["issuer"]?.stringValue ?? "(missing)"))",
        ]
        if let awardingBody = VerificationOptions.awardingBody(report) { lines.append("Awarding body: \(printable(awardingBody))") }
        lines.append("")
        lines += inspection.lines.map(printable)
        lines.append("")
        lines.append(lintSummary(inspection.lint))
        lines.append("")
        return lines.joined(separator: "\n") + "\n" + ReportRendering.text(report, name: name, color: color)
    }

    /// `Profile lint: PASS …` or `Profile lint: FAIL — first failing element`.
    static func lintSummary(_ lint: ProfileLintReport) -> String {
        let count = { (status: ProfileFinding.Status) in lint.findings.filter { $0.status == status }.count }
        let tally = "\(count(.pass)) pass, \(count(.warn)) warn, \(count(.fail)) fail, \(count(.absent)) absent"
        guard let failure = lint.findings.first(where: { $0.status == .fail }) else {
            return "Profile lint: PASS (\(tally))"
        }
        return "Profile lint: FAIL (\(tally)) — \(failure.element.heading)" + (failure.detail.map { ": " + printable($0) } ?? "")
    }
}
