import ArgumentParser
import CommandLineRuntime
import DataIntegrity
import StatusRegister

/// What revoke, suspend and reinstate share: the register, the ids, a reason.
struct StatusChangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The register file.", valueName: "register"))
    var register: String

    @Option(help: ArgumentHelp("Why (kept in the register's status events).", valueName: "text"))
    var reason: String?

    @Argument(help: ArgumentHelp("Credential ids.", valueName: "credential-id"))
    var credentialIDs: [String] = []

    func validate() throws {
        if credentialIDs.isEmpty { throw ValidationError("Give at least one credential id.") }
    }

    /// Changes the status of every credential, all or none, and lists them on standard output.
    func change(_ event: StatusEventKind) throws {
        let changed = try RegisterFiles.open(register).changeStatus(of: credentialIDs, event, reason: reason, at: .now)
        try Terminal.write(changed.map { "\(printable($0.id)): \($0.status.rawValue)\n" }.joined())
    }
}

private let statusChangeDiscussion = """
    All the ids change or none does: an unknown id, or a change the rules refuse, leaves the register as it was. \
    Each change appends an event (with --reason) to the register. The status lists change when they are \
    published again (`mcred status publish`).

    Exit status: 0 changed, 2 an unknown id or a refused change (one line on stderr), 64 usage error.
    """

struct Revoke: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke credentials in a register. A revocation is final.",
        discussion: statusChangeDiscussion)

    @OptionGroup var options: StatusChangeOptions

    func execute() async throws { try options.change(.revoked) }
}

struct Suspend: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend",
        abstract: "Suspend credentials in a register (reinstate lifts a suspension).",
        discussion: statusChangeDiscussion)

    @OptionGroup var options: StatusChangeOptions

    func execute() async throws { try options.change(.suspended) }
}

struct Reinstate: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "reinstate",
        abstract: "Lift the suspension of credentials in a register; a revoked credential stays revoked.",
        discussion: statusChangeDiscussion)

    @OptionGroup var options: StatusChangeOptions

    func execute() async throws { try options.change(.reinstated) }
}

extension Revoke: OptionGroupOwner { static var optionGroups: [any ParsableArguments] { [StatusChangeOptions()] } }
extension Suspend: OptionGroupOwner { static var optionGroups: [any ParsableArguments] { [StatusChangeOptions()] } }
extension Reinstate: OptionGroupOwner { static var optionGroups: [any ParsableArguments] { [StatusChangeOptions()] } }
