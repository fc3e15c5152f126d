import ArgumentParser
import Glibc

/// Exit statuses shared by every subcommand.
enum ExitStatus {
    /// A verdict was negative: verification or lint failed.
    static let negative = ExitCode(1)
    /// The input could not be used: unreadable, malformed, wrong passphrase…
    static let badInput = ExitCode(2)
}

/// Input that cannot be used. The CLI prints the message as one line on stderr and exits with status 2.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
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

/// Text from a credential or key made safe for one line of a terminal: control characters (C0, DEL, C1),
/// line and paragraph separators and bidirectional overrides are shown as `\u{…}` escapes, so a value can
/// neither break a line nor move the cursor, recolour or reorder what is printed around it.
func printable(_ text: String) -> String {
    func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        if isUnsafe(scalar) {
            result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
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

enum Terminal {
    /// Writes a line to standard error. A failure to write there cannot be reported anywhere, so it is ignored.
    static func error(_ line: String) {
        _ = System.writeAll(STDERR_FILENO, Array((line + "\n").utf8))
    }

    /// Writes bytes to standard output.
    /// - Throws: ``InputError`` when standard output cannot take them (a full disk, a closed descriptor).
    static func write(_ bytes: [UInt8]) throws {
        if let failure = System.writeAll(STDOUT_FILENO, bytes) {
            throw InputError("cannot write to standard output: \(String(cString: strerror(failure)).lowercased())")
        }
    }

    /// Writes several byte buffers to standard output, in order, through one 256 KiB buffer: a batch's output
    /// is never joined into one large array (whose fresh pages cost more than the copying).
    /// - Throws: ``InputError`` when standard output cannot take them.
    static func write(chunks: [[UInt8]]) throws {
        let capacity = 256 * 1024
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        for chunk in chunks {
            if buffer.count + chunk.count > capacity && !buffer.isEmpty {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            if chunk.count >= capacity { try write(chunk) } else { buffer += chunk }
        }
        try write(buffer)
    }

    /// Writes a string to standard output.
    static func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Whether standard output is a terminal (colour is used only then).
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether text for people may be coloured: standard output is a terminal and `NO_COLOR` is absent or
    /// empty (no-color.org).
    static var colorAllowed: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return standardOutputIsTerminal
    }
}
