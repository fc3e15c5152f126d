/// Long lists of file arguments for `sign` and `verify`, kept outside ArgumentParser.
///
/// ArgumentParser's bookkeeping for positional values grows with the square of their number: 2,000 files
/// cost about 0.1 s of parsing, more than verifying them. `MCred.main` therefore hands it the first file
/// only and keeps the others here, in order; the commands read ``merged(_:)``.
enum FileArguments {
    /// The files after the first one, in command-line order.
    nonisolated(unsafe) private(set) static var deferred: [String] = []

    /// The options of a bulk command that take a value, so their values are not mistaken for files; nil for
    /// the other commands. (Plain arrays: a first use of `Set` or `Dictionary` costs a runtime conformance
    /// lookup that every start would pay.)
    static func valueOptions(of command: String) -> [String]? {
        switch command {
        case "sign": ["--key", "--passphrase-file", "--created", "--verification-method", "--out", "--out-dir"]
        case "verify": ["--at", "--format", "--trust", "--trust-anchor", "--did-document", "--cache", "--timeout",
                        "--did-web-mirror"]
        default: nil
        }
    }

    /// Returns `arguments` with every file after the first removed (and kept in ``deferred``).
    static func split(_ arguments: [String]) -> [String] {
        guard let command = arguments.first, let options = valueOptions(of: command) else { return arguments }
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
                if options.contains(argument), index + 1 < arguments.count {
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
