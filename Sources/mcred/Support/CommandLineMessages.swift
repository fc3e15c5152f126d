import ArgumentParser
import Ed25519OpenSSL
import MicroCredentials

/// The text of an error as the CLI prints it: library errors are worded without command-line flags, so the
/// cases whose next step is a flag of this program get that flag named here.
func commandLineMessage(_ error: any Error) -> String {
    if let error = error as? Ed25519Error { return commandLineMessage(error) }
    if let error = error as? SigningError { return commandLineMessage(error) }
    return String(describing: error)
}

/// ``commandLineMessage(_:)`` for key errors.
func commandLineMessage(_ error: Ed25519Error) -> String {
    switch error {
    case .passphraseRequired:
        "the private key is encrypted; give its passphrase with --passphrase-file"
    case .notEd25519(let found):
        "the key is \(found), not Ed25519; mcred signs with Ed25519 keys only (make one with `mcred keygen`)"
    default:
        String(describing: error)
    }
}

/// ``commandLineMessage(_:)`` for signing errors.
func commandLineMessage(_ error: SigningError) -> String {
    switch error {
    case .issuerMismatch(let issuer, let keyController):
        "the credential's issuer is \(issuer) but the key belongs to \(keyController); sign with the issuer's key, "
            + "or name the issuer's verification method with --verification-method"
    case .key(let keyError):
        commandLineMessage(keyError)
    case .crypto(let keyError):
        "signing failed: " + commandLineMessage(keyError)
    default:
        String(describing: error)
    }
}

/// A command's long option names, found by reflection: `command` is a blank instance of the command (`init()`),
/// whose `@Option` and `@Flag` properties give the long names as ArgumentParser derives them from the property
/// names, with those of its option groups (``OptionGroupOwner``). (Plain arrays: a first use of `Set` or
/// `Dictionary` costs a runtime conformance lookup that every start would pay.)
struct CommandOptions {
    /// The options that take one value (`--key`, `--format`…).
    private(set) var singleValueOptions: [String] = []
    /// The options that may be given several times (`--trust`…).
    private(set) var repeatableOptions: [String] = []
    /// The flags, with ArgumentParser's own.
    private(set) var flags = ["-h", "--help", "--version", "--experimental-dump-help"]

    /// Every option that takes a value.
    var valueOptions: [String] { singleValueOptions + repeatableOptions }

    init(of command: any ParsableArguments) {
        collect(command)
        for group in (command as? any OptionGroupOwner).map({ type(of: $0).optionGroups }) ?? [] { collect(group) }
    }

    private mutating func collect(_ arguments: any ParsableArguments) {
        for child in Mirror(reflecting: arguments).children {
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let type = String(describing: Swift.type(of: child.value))
            let name = "--" + kebabCase(String(label.dropFirst()))
            if type.hasPrefix("Option<Array<") {
                repeatableOptions.append(name)
            } else if type.hasPrefix("Option<") {
                singleValueOptions.append(name)
            } else if type.hasPrefix("Flag<") {
                flags.append(name)
            }
        }
    }

    /// Finds, before ArgumentParser parses, an option the command does not have or a one-value option given
    /// twice.
    ///
    /// ArgumentParser reports an unknown option only after decoding and `validate()`, so a missing `--key` or a
    /// command's own check ("give at least one file") would be reported instead of the unknown option
    /// (`verify -x`); and it lets a later `--key B` silently replace an earlier `--key A`. `words` are the
    /// arguments after the command's name; they are read up to a `--`. Returns the usage error's message, or nil.
    func problem(in words: ArraySlice<String>) -> String? {
        var seen: [Substring] = []
        var problem: String?
        for word in words {
            if word == "--" { break }
            guard word.hasPrefix("-"), word != "-" else { continue }
            let name = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if ["-h", "--help", "--experimental-dump-help"].contains(where: { $0 == name }) { return nil }  // help wins
            guard problem == nil else { continue }
            if singleValueOptions.contains(where: { $0 == name }) {
                if seen.contains(name) { problem = "\(name) is given twice; give it once." }
                seen.append(name)
            } else if !flags.contains(where: { $0 == name }) && !repeatableOptions.contains(where: { $0 == name }) {
                problem = "Unknown option '\(name)'"
            }
        }
        return problem
    }
}

/// A command that includes `@OptionGroup`s: blank instances of them, whose options it accepts too.
protocol OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { get }
}

/// `passphraseFile` → `passphrase-file`, `skipCLI` → `skip-cli`: ArgumentParser's default long names.
private func kebabCase(_ name: String) -> String {
    let characters = Array(name)
    var result = ""
    for (index, character) in characters.enumerated() {
        if character.isUppercase && index > 0 {
            let previous = characters[index - 1]
            let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { result += "-" }
        }
        result += character.lowercased()
    }
    return result
}
