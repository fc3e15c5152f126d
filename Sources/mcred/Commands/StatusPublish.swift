import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import MicroCredentials
import StatusRegister
import SystemPackage

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Publish a register's status lists.",
        subcommands: [StatusPublish.self]
    )
}

struct StatusPublish: MCredCommand {
    static let invocation = "mcred status publish"
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write every status list credential of a register, signed by the issuer's key.",
        discussion: """
            Each list (revocation and suspension) becomes a BitstringStatusListCredential valid from now for \
            --valid-for, signed with eddsa-jcs-2022 by the key, whose did:key must be the register's issuer. \
            The files are named after the last segment of their URL (1, 2, …) and written all or none; put \
            them at their URLs. Publish again after every change, and before the lists expire.

            Exit status: 0 written, 2 bad input (a key of another issuer, an unwritable folder…), 64 usage error.

            Example:
              mcred status publish --register awards.db --key issuer.key.pem --out-dir public/status --valid-for 1d
            """)

    @Option(help: ArgumentHelp("The register file.", valueName: "register"))
    var register: String

    @Option(help: ArgumentHelp("The issuer's private key (PKCS#8 PEM or DER).", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The folder to write the lists into (created if missing).", valueName: "dir"))
    var outDir: String

    @Option(help: ArgumentHelp("How long the lists are valid: 7d, 12h, 30m (default 7d).", valueName: "duration"))
    var validFor: String = "7d"

    func validate() throws {
        if Self.seconds(validFor) == nil {
            throw ValidationError("--valid-for must be a positive number of days, hours or minutes: 7d, 12h, 30m.")
        }
        try requireStandardInputOnce([key, passphraseFile])
    }

    /// Every status list of the register as a signed BitstringStatusListCredential: its URL, its file name (the
    /// URL's last segment) and its bytes.
    static func signedLists(
        of store: SQLiteCredentialRegister, signer: CredentialSigner, validFrom: DateTimeStamp, until: DateTimeStamp
    ) throws -> [(url: String, name: String, bytes: [UInt8])] {
        try store.statusLists().map { list in
            let credential = BitstringStatusListCredential.credential(
                id: list.url, issuer: signer.controller, purpose: list.purpose.rawValue, list: try store.bits(of: list),
                validFrom: validFrom, validUntil: until)
            let signed = try signer.sign(.object(credential), created: validFrom)
            let name = String(list.url.split(separator: "/").last ?? Substring(String(list.number)))
            return (list.url, name, JSONValue.object(signed).serialized(pretty: true) + [0x0A])
        }
    }

    /// `7d`, `12h`, `30m`, `45s` in seconds; nil for anything else (or more than ten years).
    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0,
              text.dropLast().allSatisfy(\.isASCII)
        else { return nil }
        let factor: Int64
        switch unit {
        case "d": factor = 86_400
        case "h": factor = 3_600
        case "m": factor = 60
        case "s": factor = 1
        default: return nil
        }
        guard value <= 3_660 * 86_400 / factor else { return nil }
        return value * factor
    }

    func execute() async throws {
        let store = try RegisterFiles.open(register)
        let settings = try store.settings()
        let signer = try CredentialSigner(key: Files.signingKey(key, passphraseFile: passphraseFile))
        if let issuer = settings.issuer, issuer != signer.controller {
            throw InputError("the key is \(signer.controller) but the register's issuer is \(printable(issuer)); "
                + "sign the lists with the issuer's key")
        }
        let now = DateTimeStamp.now
        let files = try Self.signedLists(of: store, signer: signer, validFrom: now,
                                         until: now.adding(seconds: Self.seconds(validFor)!))
            .map { (bytes: $0.bytes, path: outDir + "/" + $0.name, permissions: Files.publicFile) }
        try OutputChecks.refuseProtected(files.map(\.path), key: key, passphraseFile: passphraseFile)
        try System.createFolder(outDir)
        try Files.writeAllAtomically(files)
        try Terminal.write(files.map { $0.path + "\n" }.joined())
    }
}
