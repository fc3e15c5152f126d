import ArgumentParser
import CommandLineRuntime
import Glibc

@main
struct MCred: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcred",
        abstract: "Issue, sign and verify micro-credentials (W3C VC 2.0 + Data Integrity eddsa-jcs-2022).",
        discussion: """
            Exit status: 0 success (every credential valid), 1 a verdict was negative (verification or lint \
            failed), 2 bad input (one line on stderr says why), 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            Keygen.self, KeyCommand.self, Canonicalize.self, Sign.self, Verify.self, Audit.self, Issue.self, Lint.self,
            Inspect.self, TrustCommand.self, RegisterCommand.self, Revoke.self, Suspend.self, Reinstate.self,
            StatusCommand.self, Serve.self, Demo.self, Bench.self,
        ]
    )

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help", let unknown = unknownHelpTopic(arguments.dropFirst()) {
            // ArgumentParser's `help` shows the nearest known command's help for an unknown name, with status 0.
            exit(withError: ValidationError("Unknown subcommand '\(unknown)'."))
        }
        guard let (command, depth) = subcommand(of: arguments) else { return await main(arguments) }
        let options = CommandOptions(of: command.init())
        if let problem = options.problem(in: arguments.dropFirst(depth)) {
            let name = arguments.prefix(depth).joined(separator: " ")
            Terminal.error("Error: \(problem)\nUsage: \(usageString(for: command))\n  See 'mcred \(name) --help' for more information.")
            Glibc.exit(ExitCode.validationFailure.rawValue)
        }
        if FileArguments.isBulk(command) {
            await main(FileArguments.split(arguments, valueOptions: options.valueOptions))
        } else {
            await main(arguments)
        }
    }

    /// The command that `arguments` name (`sign`, `key show`…) and how many words name it; nil for none.
    static func subcommand(of arguments: [String]) -> (any ParsableCommand.Type, Int)? {
        var command: any ParsableCommand.Type = MCred.self
        var depth = 0
        while depth < arguments.count,
              let next = command.configuration.subcommands.first(where: { $0._commandName == arguments[depth] }) {
            command = next
            depth += 1
        }
        return depth == 0 ? nil : (command, depth)
    }

    /// The first name after `mcred help` that is not a subcommand of the one before it; nil if all are.
    static func unknownHelpTopic(_ names: ArraySlice<String>) -> String? {
        var command: any ParsableCommand.Type = MCred.self
        for name in names where !name.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == name }) else {
                return name
            }
            command = next
        }
        return nil
    }
}
