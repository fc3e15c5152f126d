import ArgumentParser

/// Long lists of file arguments for `sign` and `verify`, kept outside ArgumentParser.
///
/// ArgumentParser's bookkeeping for positional values grows with the square of their number: 2,000 files
/// cost about 0.1 s of parsing, more than verifying them. `MCred.main` therefore hands it the first file
/// only and keeps the others here, in order; the commands read ``merged(_:)``.
enum FileArguments {
    /// The files after the first one, in command-line order.
    nonisolated(unsafe) private(set) static var deferred: [String] = []

    /// The commands whose file lists are split.
    static let bulkCommands: [any ParsableCommand.Type] = [Sign.self, Verify.self]

    /// Whether `command` is one of ``bulkCommands``.
    static func isBulk(_ command: any ParsableCommand.Type) -> Bool {
        bulkCommands.contains { ObjectIdentifier($0) == ObjectIdentifier(command) }
    }

    /// Returns `arguments` with every file after the first removed (and kept in ``deferred``).
    /// - Parameters:
    ///   - arguments: the command's name, then its arguments.
    ///   - valueOptions: the command's options that take a value (see ``CommandOptions``), so that their
    ///     values are not mistaken for files.
    static func split(_ arguments: [String], valueOptions: [String]) -> [String] {
        guard let command = arguments.first else { return arguments }
        var kept = [command]
        var files: [String] = []
        var index = 1
        var onlyFiles = false
        while index < arguments.count {
            let argument = arguments[index]
            if onlyFiles || argument == "-" || !argument.hasPrefix("-") {
                files.append(argument)
            } else if argument == "--" {
                onlyFiles = true
            } else {
                kept.append(argument)
                if valueOptions.contains(argument), index + 1 < arguments.count {
                    kept.append(arguments[index + 1])
                    index += 1
                }
            }
            index += 1
        }
        guard files.count > 1 else { return arguments }
        deferred = Array(files.dropFirst())
        // "--" keeps a first file that starts with "-" (other than "-" itself) from being read as an option.
        return kept + ["--", files[0]]
    }

    /// The command's files: what ArgumentParser parsed, then the deferred ones.
    static func merged(_ parsed: [String]) -> [String] {
        parsed + deferred
    }
}
