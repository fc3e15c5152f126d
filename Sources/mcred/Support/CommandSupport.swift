import ArgumentParser
import CanonicalJSON
import CommandLineRuntime

/// Exit statuses shared by every subcommand.
enum ExitStatus {
    /// A verdict was negative: verification or lint failed.
    static let negative = ExitCode(1)
    /// The input could not be used: unreadable, malformed, wrong passphrase…
    static let badInput = ExitCode(2)
}

/// A subcommand whose errors become one line on stderr and exit status 2.
///
/// `ExitCode` passes through untouched, so a command can still end with status 1 for a negative verdict.
protocol MCredCommand: AsyncParsableCommand {
    /// The command as typed, e.g. `mcred key show`, used to prefix error lines.
    static var invocation: String { get }
    func execute() async throws
}

extension MCredCommand {
    static var invocation: String { "mcred " + _commandName }

    func run() async throws {
        do {
            try await execute()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("\(Self.invocation): \(printable(commandLineMessage(error)))")
            throw ExitStatus.badInput
        }
    }
}

/// Refuses standard input (`-`) named more than once among a command's inputs (files, key, passphrase…).
func requireStandardInputOnce(_ inputs: [String?]) throws {
    if inputs.filter({ $0 == "-" }).count > 1 {
        throw ValidationError("Standard input ('-') can be read once only.")
    }
}

/// Output formats shared by the commands that report to people or machines.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Parses JSON input; a parse error becomes an ``InputError`` naming the input as `name`.
func parsedJSON(_ bytes: [UInt8], name: String) throws -> JSONValue {
    do {
        return try JSONValue(parsing: bytes)
    } catch {
        throw InputError("\(name) is not valid JSON: \(error)")
    }
}
