import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import SystemPackage
import Ed25519OpenSSL
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

struct Keygen: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
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

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out needs a path prefix, e.g. keys/issuer.") }
        if out.hasSuffix("/") {
            throw ValidationError("--out is a path prefix, not a folder: give e.g. \(out)issuer.")
        }
    }

    func execute() async throws {
        let privatePath = out + ".key.pem"
        let publicPath = out + ".pub.pem"
        try OutputChecks.refuseProtected([privatePath, publicPath], key: nil, passphraseFile: passphraseFile)
        if !force {
            for path in [privatePath, publicPath] where System.hasEntry(path) {
                throw InputError("\(path) already exists; use --force to replace it")
            }
        }
        let passphrase = try passphraseFile.map(Files.readPassphrase)
        let key = try Ed25519PrivateKey()
        let report = KeyReport(publicKey: key.publicKey, files: ["privateKeyFile": privatePath, "publicKeyFile": publicPath],
                               encrypted: passphrase != nil)
        // The report is printed before the files are final: if it cannot be, the key files are taken back.
        try Files.writeAllAtomically([
            (Array(key.pemRepresentation(passphrase: passphrase).utf8), privatePath, .ownerReadWrite),
            (Array(key.publicKey.pemRepresentation().utf8), publicPath, Files.publicFile),
        ], confirm: { try report.print(format: format) })
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
            KEY is a key file — a private key (PKCS#8, plain or encrypted), a public key (SubjectPublicKeyInfo), \
            PEM or DER, or a JSON Multikey document with publicKeyMultibase and/or secretKeyMultibase — or a \
            did:key, a did:key verification method, or a Multikey value (z6Mk… public, z3u2… secret) given \
            directly. Only public values are printed.

            Examples:
              mcred key show keys-example/issuer.key.pem
              mcred key show issuer.key.pem --passphrase-file passphrase.txt --format json
              mcred key show did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
            """)

    @Argument(help: ArgumentHelp("A key file, a did:key, or a Multikey value.", valueName: "key"))
    var key: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted private key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        try requireStandardInputOnce([key, passphraseFile])
    }

    func execute() async throws {
        let (publicKey, kind) = try resolve()
        try KeyReport(publicKey: publicKey, files: key.hasPrefix("did:") || !System.hasEntry(key) ? [:] : ["file": key],
                  kind: kind).print(format: format)
    }

    private func resolve() throws -> (Ed25519PublicKey, String) {
        if key.hasPrefix("did:") { return (try DIDKey(parsing: key).publicKey, "public") }
        if !System.hasEntry(key) && key.hasPrefix("z") { return try multikey(key) }
        let bytes = try Files.read(key, limit: 1024 * 1024)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            return try multikeyDocument(bytes)
        }
        let passphrase = try passphraseFile.map(Files.readPassphrase)
        switch try Files.openingEncryptedKey(passphrase, { try Ed25519KeyFile(bytes: bytes, passphrase: $0) }) {
        case .privateKey(let privateKey): return (privateKey.publicKey, "private")
        case .publicKey(let publicKey): return (publicKey, "public")
        }
    }

    /// A `z6Mk…` public or `z3u2…` secret Multikey value, told apart by its multicodec prefix.
    private func multikey(_ value: String) throws -> (Ed25519PublicKey, String) {
        let bytes = try Multibase.decodeBase58btc(value)
        if bytes.starts(with: [0x80, 0x26]) { return (try Multikey.decodeSecretKey(value).publicKey, "private") }
        return (try Multikey.decodePublicKey(value), "public")
    }

    /// A JSON Multikey document: `secretKeyMultibase` (or `privateKeyMultibase`) and/or `publicKeyMultibase`,
    /// which must match when both are present.
    private func multikeyDocument(_ bytes: [UInt8]) throws -> (Ed25519PublicKey, String) {
        let document = try parsedJSON(bytes, name: key)
        let secret = document["secretKeyMultibase"]?.stringValue ?? document["privateKeyMultibase"]?.stringValue
        let publicValue = document["publicKeyMultibase"]?.stringValue
        let fromSecret = try secret.map { try Multikey.decodeSecretKey($0).publicKey }
        let fromPublic = try publicValue.map { try Multikey.decodePublicKey($0) }
        switch (fromSecret, fromPublic) {
        case (let derived?, let stated?) where derived != stated:
            throw InputError("\(key): publicKeyMultibase does not match the secret key")
        case (let derived?, _): return (derived, "private")
        case (nil, let stated?): return (stated, "public")
        case (nil, nil):
            throw InputError("\(key) has no publicKeyMultibase or secretKeyMultibase member")
        }
    }
}

/// The public facts about a key, as text lines or one JSON object.
struct KeyReport {
    let publicKey: Ed25519PublicKey
    var files: [String: String]
    var kind: String? = nil
    var encrypted: Bool? = nil

    func print(format: OutputFormat) throws {
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
            try Terminal.write(text)
        case .json:
            var object = JSONObject()
            for (name, value) in fields { object[name] = .string(value) }
            if let encrypted { object["encrypted"] = .bool(encrypted) }
            try Terminal.write(JSONValue.object(object).serialized(pretty: true) + [0x0A])
        }
    }
}
