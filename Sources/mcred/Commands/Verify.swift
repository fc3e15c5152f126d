import ArgumentParser
import CanonicalJSON
import MicroCredentials

struct Verify: MCredCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify signed credentials and report every check.",
        discussion: """
            Checks, in order: well-formed JSON, the VC 2.0 data model, each proof (well-formed, cryptosuite \
            eddsa-jcs-2022, key resolved from did:key, issuer bound to the key, signature, created not in the \
            future), the validity period at --at (default now; 5 minutes of clock skew allowed), revocation \
            status and issuer trust. Each is pass, fail or indeterminate (not checkable here); a credential is \
            valid when no check fails. Files are verified in parallel on all cores.

            Exit status: 0 every file valid, 1 any file invalid, 2 any file unreadable, not JSON or over 16 MiB.

            Examples:
              mcred verify signed.json
              mcred verify --at 2030-01-01T00:00:00Z --format json batch/*.json
            """)

    @Option(help: ArgumentHelp("Judge validity at this time instead of now.", valueName: "datetime"))
    var at: DateTimeStamp?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Never colour the text output (it is coloured only on a terminal).")
    var noColor = false

    @Argument(help: ArgumentHelp("Credential files, or '-' for standard input.", valueName: "file"))
    var listedFiles: [String] = []

    /// Every file argument, in order (see ``FileArguments``).
    var files: [String] { FileArguments.merged(listedFiles) }

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one credential file, or '-' for standard input.") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input ('-') can be read once only.") }
    }

    /// One file's outcome: a report (with its text rendering, made on the worker thread), or why the file
    /// could not be verified at all.
    enum Outcome: Sendable {
        case report(VerificationReport, text: String)
        case unreadable(String)
    }

    func execute() throws {
        let time = at ?? .now
        let inputs = files
        let color = format == .text && !noColor && Terminal.standardOutputIsTerminal
        let renderText = format == .text
        let outcomes: [Outcome] = parallelMap(inputs.count, state: { CredentialVerifier() }) { verifier, index in
            let bytes: [UInt8]
            do {
                bytes = try Files.read(inputs[index])
            } catch {
                return .unreadable(String(describing: error))
            }
            let report = verifier.verify(bytes, at: time)
            if report.checks.first?.status == .fail {  // not JSON: bad input, exit 2
                return .unreadable("\(displayName(inputs[index])): \(report.checks[0].message)")
            }
            let text = renderText ? ReportRendering.text(report, name: displayName(inputs[index]), color: color) : ""
            return .report(report, text: text)
        }
        var anyInvalid = false
        var anyUnreadable = false
        switch format {
        case .text:
            var output: [UInt8] = []
            for outcome in outcomes {
                switch outcome {
                case .report(let report, let text):
                    anyInvalid = anyInvalid || !report.isValid
                    output += text.utf8
                case .unreadable(let reason):
                    anyUnreadable = true
                    Terminal.error("mcred verify: \(printable(oneLine(reason)))")
                }
            }
            try Terminal.write(output)
        case .json:
            var results: [JSONValue] = []
            for (index, outcome) in outcomes.enumerated() {
                switch outcome {
                case .report(let report, _):
                    anyInvalid = anyInvalid || !report.isValid
                    results.append(ReportRendering.json(report, file: inputs[index]))
                case .unreadable(let reason):
                    anyUnreadable = true
                    Terminal.error("mcred verify: \(printable(oneLine(reason)))")
                    results.append(["file": .string(inputs[index]), "valid": false, "error": .string(reason)])
                }
            }
            let document: JSONValue = [
                "valid": .bool(!anyInvalid && !anyUnreadable), "verifiedAt": .string(time.text),
                "results": .array(results),
            ]
            try Terminal.write(document.serialized(pretty: true) + [0x0A])
        }
        if anyUnreadable { throw ExitStatus.badInput }
        if anyInvalid { throw ExitStatus.negative }
    }

    private func displayName(_ file: String) -> String {
        file == "-" ? "standard input" : file
    }
}
