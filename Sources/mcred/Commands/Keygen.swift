import ArgumentParser
import Glibc
import CanonicalJSON
import Ed25519OpenSSL
import MicroCredentials

struct Keygen: MCredCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an Ed25519 issuer key pair.",
        discussion: """
            Writes PREFIX.key.pem (PKCS#8, file mode 0600; encrypted with scrypt and AES-256-CBC when \
            --passphrase-file is given) and PREFIX.pub.pem (SubjectPublicKeyInfo), each atomically, then prints \
            the key's did:key, verification method and publicKeyMultibase. Never prints secret material.

            Examples:
              mcred keygen --out issuer
              mcred keygen --out keys/issuer --passphrase-file passphrase.txt --format json
            """)

    @Option(help: ArgumentHelp("Path prefix of the two key files.", valueName: "prefix"))
    var out: String

    @Option(help: ArgumentHelp("Encrypt the private key with the first line of this file.", valueName: "file"))
    var passphraseFile: String?

    @Flag(help: "Replace existing key files.")
    var force = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func execute() throws {
        let privatePath = out + ".key.pem"
        let publicPath = out + ".pub.pem"
        if !force {
            for path in [privatePath, publicPath] where fileExists(path) {
                throw InputError("\(path) already exists; use --force to replace it")
            }
        }
        let passphrase = try passphraseFile.map(Files.readPassphrase)
        let key = try Ed25519PrivateKey()
        try Files.writeAtomically(Array(key.pemRepresentation(passphrase: passphrase).utf8), to: privatePath, mode: 0o600)
        try Files.writeAtomically(Array(key.publicKey.pemRepresentation().utf8), to: publicPath, mode: 0o644)
        KeyReport(publicKey: key.publicKey, files: ["privateKeyFile": privatePath, "publicKeyFile": publicPath],
                  encrypted: passphrase != nil)
            .print(format: format)
    }
}

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Inspect key files.",
        subcommands: [KeyShow.self]
    )
}

struct KeyShow: MCredCommand {
    static let invocation = "mcred key show"
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a key's did:key, verification method and publicKeyMultibase.",
        discussion: """
            Reads a private key (PKCS#8, plain or encrypted) or a public key (SubjectPublicKeyInfo), PEM or DER. \
            Only public values are printed.

            Examples:
              mcred key show keys-example/issuer.key.pem
              mcred key show issuer.key.pem --passphrase-file passphrase.txt --format json
            """)

    @Argument(help: ArgumentHelp("The key file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted private key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func execute() throws {
        let passphrase = try passphraseFile.map(Files.readPassphrase)
        let keyFile = try Ed25519KeyFile(bytes: Files.read(file, limit: 1024 * 1024), passphrase: passphrase)
        var kind = "public"
        if case .privateKey = keyFile { kind = "private" }
        KeyReport(publicKey: keyFile.publicKey, files: ["file": file], kind: kind).print(format: format)
    }
}

/// The public facts about a key, as text lines or one JSON object.
struct KeyReport {
    let publicKey: Ed25519PublicKey
    var files: [String: String]
    var kind: String? = nil
    var encrypted: Bool? = nil

    func print(format: OutputFormat) {
        let did = DIDKey(publicKey: publicKey)
        var fields: [(String, String)] = [
            ("did", did.did),
            ("verificationMethod", did.verificationMethod),
            ("publicKeyMultibase", did.multibase),
        ]
        if let kind { fields.append(("keyType", kind)) }
        for name in files.keys.sorted() { fields.append((name, files[name]!)) }
        switch format {
        case .text:
            let width = fields.map(\.0.count).max() ?? 0
            let lines = fields.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 1) + $0.1 }
            var text = lines.joined(separator: "\n") + "\n"
            if let encrypted { text += encrypted ? "The private key is encrypted.\n" : "" }
            Terminal.write(text)
        case .json:
            var object = JSONObject()
            for (name, value) in fields { object[name] = .string(value) }
            if let encrypted { object["encrypted"] = .bool(encrypted) }
            Terminal.write(JSONValue.object(object).serialized(pretty: true) + [0x0A])
        }
    }
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}
