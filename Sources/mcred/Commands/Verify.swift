import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity

struct Verify: MCredCommand, OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { [ReportOptions(), VerificationOptions()] }

    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify signed credentials and report every check.",
        discussion: """
            Checks, in order: well-formed JSON, the VC 2.0 data model, each proof (well-formed, cryptosuite \
            eddsa-jcs-2022, key resolved from did:key or did:web, issuer bound to the key, signature, created not \
            in the future), the validity period at --at (default now; 5 minutes of clock skew allowed), \
            revocation status and issuer trust (with --trust: listed on a trust list, and the key valid for the \
            issuer when the list names its keys). Each is pass, fail or indeterminate (not checkable here); a \
            credential is VALID when no check fails, INVALID when one does, and with --strict NOT VERIFIED when \
            none fails but one is indeterminate. Files are verified in parallel on all cores.

            Exit status: 0 every file valid, 1 any file invalid (or not verified), 2 any file unreadable, not JSON \
            or over 16 MiB, or a trust list that cannot be used.

            Examples:
              mcred verify signed.json
              mcred verify --at 2030-01-01T00:00:00Z --format json batch/*.json
              mcred verify --trust keys-example/trust-list.json --trust-anchor keys-example/registry.pub.pem \
                --strict signed.json
            """)

    @OptionGroup var output: ReportOptions

    @OptionGroup(title: "Trust and key resolution")
    var verification: VerificationOptions

    @Argument(help: ArgumentHelp("Credential files, or '-' for standard input.", valueName: "file"))
    var listedFiles: [String] = []

    /// Every file argument, in order (see ``FileArguments``).
    var files: [String] { FileArguments.merged(listedFiles) }

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one credential file, or '-' for standard input.") }
        try requireStandardInputOnce(files)
    }

    /// One file's outcome, rendered on the worker thread that verified it (text lines, or the JSON result
    /// object), so that no report outlives its file.
    enum Outcome: Sendable {
        case verified(valid: Bool, text: [UInt8], json: JSONValue?)
        case unreadable(String)
    }

    func execute() async throws {
        let time = output.at ?? .now
        let inputs = files
        let format = output.format
        let color = output.format == .text && !output.noColor && Terminal.colorAllowed
        let outcomes: [Outcome] = try await verification.withVerifier(at: time) { verifier in
            await concurrentMap(inputs.count) { index in
            let bytes: [UInt8]
            do {
                bytes = try Files.read(inputs[index])
            } catch {
                return .unreadable(String(describing: error))
            }
            let report = await verifier.verify(bytes, at: time)
            if report.checks.first?.status == .fail {  // not JSON: bad input, exit 2
                return .unreadable("\(Files.displayName(inputs[index])): \(report.checks[0].message)")
            }
            switch output.format {
            case .text:
                let text = ReportRendering.textBytes(report, name: Files.displayName(inputs[index]), color: color)
                return .verified(valid: report.isValid, text: text, json: nil)
            case .json:
                return .verified(valid: report.isValid, text: [], json: .object(report.jsonObject(file: inputs[index])))
            }
            }
        }
        var anyInvalid = false
        var anyUnreadable = false
        var texts: [[UInt8]] = []
        var results: [JSONValue] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .verified(let valid, let text, let json):
                anyInvalid = anyInvalid || !valid
                texts.append(text)
                if let json { results.append(json) }
            case .unreadable(let reason):
                anyUnreadable = true
                Terminal.error("mcred verify: \(printable(reason))")
                results.append(["file": .string(inputs[index]), "valid": false, "error": .string(reason)])
            }
        }
        if format == .json {
            let document: JSONValue = [
                "valid": .bool(!anyInvalid && !anyUnreadable), "verifiedAt": .string(time.text),
                "results": .array(results),
            ]
            texts = [document.serialized(pretty: true) + [0x0A]]
        }
        try Terminal.write(chunks: texts)
        if anyUnreadable { throw ExitStatus.badInput }
        if anyInvalid { throw ExitStatus.negative }
    }
}
