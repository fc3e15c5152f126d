import ArgumentParser

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
            Keygen.self, KeyCommand.self, Canonicalize.self, Sign.self, Verify.self, Issue.self, Lint.self,
            Inspect.self, TrustCommand.self, Demo.self, Bench.self,
        ]
    )

    static func main() async {
        await main(FileArguments.split(Array(CommandLine.arguments.dropFirst())))
    }
}
