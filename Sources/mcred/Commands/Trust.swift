import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import MicroCredentials

struct TrustCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Keep a trust list of recognised awarding bodies (spec/trust-list.md).",
        discussion: """
            A trust list is a VC 2.0 credential of type AwardingBodyTrustList, signed by its operator (a \
            registry, an accreditation agency). Edit it with add, retire-key and remove (an edit removes the \
            list's proof), sign it with sign, and give it to verify with --trust and --trust-anchor.

            Examples:
              mcred trust add list.json --issuer did:web:uni.example --name "Example University" --country NL \\
                --accreditation-body NVAO --key z6Mk… --key-valid-from 2026-01-01
              mcred trust sign list.json --key registry.key.pem --valid-until 2027-01-01
              mcred verify --trust list.json --trust-anchor did:key:z6Mk… credential.json
            """,
        subcommands: [TrustAdd.self, TrustRetireKey.self, TrustRemove.self, TrustSign.self, TrustShow.self]
    )
}

/// The issuer a list names before it is signed: `trust sign` replaces it with the operator's did:key.
private let unsignedOperator = "urn:mcred:unsigned-trust-list"

/// Reads an existing list for editing (its proof is dropped: an edit invalidates it), or nil when there is no file.
private func editableList(_ path: String) throws -> TrustList? {
    guard System.exists(path) else { return nil }
    let bytes = try Files.read(path)
    guard case .object(let credential) = try parsedJSON(bytes, name: path) else {
        throw InputError("\(path) is not a trust list: it is not a JSON object")
    }
    do {
        return try TrustList(credential: credential)
    } catch {
        throw InputError("\(path): \(error)")
    }
}

/// Writes an (unsigned) list.
private func save(_ list: TrustList, to path: String) throws {
    try Files.writeAtomically(JSONValue.object(list.credential()).serialized(pretty: true) + [0x0A], to: path)
}

/// A key given as a did:key or a `z6Mk…` Multikey value, with its window.
private func trustedKey(_ text: String, from: DateTimeStamp, until: DateTimeStamp? = nil) throws -> TrustedKey {
    do {
        return try TrustedKey(encoded: text, validFrom: from, validUntil: until)
    } catch {
        throw InputError("--key \(text): \(error)")
    }
}

/// The index of an issuer's entry, or an error naming the list.
private func entryIndex(_ list: TrustList, issuer: String, path: String) throws -> Int {
    guard let index = list.entries.firstIndex(where: { $0.id.isExactly(issuer) }) else {
        throw InputError("\(path) has no entry for \(issuer)")
    }
    return index
}

struct TrustAdd: MCredCommand {
    static let invocation = "mcred trust add"
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an awarding body to a trust list, or update it; --key appends a key.",
        discussion: "The list is created (unsigned) when LIST does not exist.")

    @Argument(help: ArgumentHelp("The trust list file.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("The awarding body's issuer identifier (DID or URL).", valueName: "id"))
    var issuer: String

    @Option(help: ArgumentHelp("The awarding body's name.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Its country: ISO 3166-1 alpha-2, e.g. NL.", valueName: "cc"))
    var country: String

    @Option(help: ArgumentHelp("The quality-assurance body that accredits it.", valueName: "text"))
    var accreditationBody: String?

    @Option(help: ArgumentHelp("The accreditation's reference.", valueName: "text"))
    var accreditationRef: String?

    @Option(help: ArgumentHelp("Where the accreditation is published.", valueName: "url"))
    var accreditationUrl: String?

    @Option(help: ArgumentHelp("A key it signs with: did:key or z6Mk… Multikey.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("When the key starts to count (default: now).", valueName: "datetime"))
    var keyValidFrom: DateTimeStamp?

    @Option(help: ArgumentHelp("When the key stops counting.", valueName: "datetime"))
    var keyValidUntil: DateTimeStamp?

    @Option(help: ArgumentHelp("The list's name, when the list is created.", valueName: "name"))
    var listName = "Recognised awarding bodies"

    func validate() throws {
        if key == nil && (keyValidFrom != nil || keyValidUntil != nil) {
            throw ValidationError("--key-valid-from and --key-valid-until go with --key.")
        }
        if let from = keyValidFrom, let until = keyValidUntil, until <= from {
            throw ValidationError("--key-valid-until must be after --key-valid-from.")
        }
    }

    func execute() async throws {
        var trustList = try editableList(list) ?? TrustList(name: listName, operatorID: unsignedOperator)
        var accreditation: Accreditation?
        if accreditationBody != nil || accreditationRef != nil || accreditationUrl != nil {
            accreditation = Accreditation(qualityAssuranceBody: accreditationBody, reference: accreditationRef,
                                          url: accreditationUrl)
        }
        var keys: [TrustedKey] = []
        let index = trustList.entries.firstIndex { $0.id.isExactly(issuer) }
        if let index {
            keys = trustList.entries[index].keys
            accreditation = accreditation ?? trustList.entries[index].accreditation
        }
        if let key {
            let added = try trustedKey(key, from: keyValidFrom ?? .now, until: keyValidUntil)
            // A key listed already gets the new window instead of a second line.
            if let listed = keys.firstIndex(where: { $0.publicKeyMultibase == added.publicKeyMultibase }) {
                keys[listed] = added
            } else {
                keys.append(added)
            }
        }
        let entry = TrustedAwardingBody(id: issuer, name: name, country: country, accreditation: accreditation, keys: keys)
        // Checked as a reader of the list will check it.
        do {
            var check = trustList
            check.entries = [entry]
            _ = try TrustList(credential: check.credential())
        } catch {
            throw InputError(optionNames(String(describing: error)))
        }
        if let index { trustList.entries[index] = entry } else { trustList.entries.append(entry) }
        try save(trustList, to: list)
        try Terminal.write("\(index == nil ? "added" : "updated") \(printable(issuer)) in \(printable(list)) (unsigned)\n")
    }
}

struct TrustRetireKey: MCredCommand {
    static let invocation = "mcred trust retire-key"
    static let configuration = CommandConfiguration(
        commandName: "retire-key",
        abstract: "End a key's validity: proofs created at or after --valid-until no longer count.",
        discussion: "For key rotation or compromise. Credentials signed before the time stay valid.")

    @Argument(help: ArgumentHelp("The trust list file.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("The awarding body's issuer identifier.", valueName: "id"))
    var issuer: String

    @Option(help: ArgumentHelp("The key: did:key or z6Mk… Multikey.", valueName: "key"))
    var key: String

    @Option(help: ArgumentHelp("When the key stops counting.", valueName: "datetime"))
    var validUntil: DateTimeStamp

    func execute() async throws {
        guard var trustList = try editableList(list) else { throw InputError("cannot read \(list): no such file") }
        let index = try entryIndex(trustList, issuer: issuer, path: list)
        let retired = try trustedKey(key, from: validUntil).publicKeyMultibase
        guard let position = trustList.entries[index].keys.firstIndex(where: { $0.publicKeyMultibase == retired }) else {
            throw InputError("\(list) lists no such key for \(issuer)")
        }
        guard validUntil > trustList.entries[index].keys[position].validFrom else {
            throw InputError("--valid-until must be after the key's validFrom, \(trustList.entries[index].keys[position].validFrom)")
        }
        trustList.entries[index].keys[position].validUntil = validUntil
        try save(trustList, to: list)
        try Terminal.write("retired the key of \(printable(issuer)) at \(validUntil) in \(printable(list)) (unsigned)\n")
    }
}

struct TrustRemove: MCredCommand {
    static let invocation = "mcred trust remove"
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove an awarding body from a trust list.")

    @Argument(help: ArgumentHelp("The trust list file.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("The awarding body's issuer identifier.", valueName: "id"))
    var issuer: String

    func execute() async throws {
        guard var trustList = try editableList(list) else { throw InputError("cannot read \(list): no such file") }
        trustList.entries.remove(at: try entryIndex(trustList, issuer: issuer, path: list))
        try save(trustList, to: list)
        try Terminal.write("removed \(printable(issuer)) from \(printable(list)) (unsigned)\n")
    }
}

struct TrustSign: MCredCommand {
    static let invocation = "mcred trust sign"
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a trust list as its operator.",
        discussion: """
            The list's issuer becomes the operator key's did:key and validFrom the signing time; any earlier \
            proof is replaced. Verifiers name the operator with --trust-anchor.
            """)

    @Argument(help: ArgumentHelp("The trust list file.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("The operator's private key (PKCS#8 PEM or DER).", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The list stops being used at this time.", valueName: "datetime"))
    var validUntil: DateTimeStamp?

    @Option(help: ArgumentHelp("The list's validFrom and the proof's created time (default: now).", valueName: "datetime"))
    var created: DateTimeStamp?

    @Option(help: ArgumentHelp("Write the signed list here (default: replace LIST).", valueName: "file"))
    var out: String?

    func validate() throws {
        try requireStandardInputOnce([list, key, passphraseFile])
    }

    func execute() async throws {
        guard var trustList = try editableList(list) else { throw InputError("cannot read \(list): no such file") }
        let signer = try Files.signer(key, passphraseFile: passphraseFile)
        let time = created ?? .now
        if let validUntil, validUntil <= time {
            throw InputError("--valid-until \(validUntil) is not after the signing time \(time)")
        }
        trustList.operatorID = signer.controller
        trustList.validFrom = time
        trustList.validUntil = validUntil
        let signed = try signer.sign(.object(trustList.credential()), created: time)
        try Files.writeAtomically(JSONValue.object(signed).serialized(pretty: true) + [0x0A], to: out ?? list)
        try Terminal.write("signed «\(printable(trustList.name))» with \(signer.controller): \(trustList.entries.count) "
                           + "awarding bod\(trustList.entries.count == 1 ? "y" : "ies")\n")
    }
}

struct TrustShow: MCredCommand {
    static let invocation = "mcred trust show"
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a trust list's awarding bodies and keys (its proof is not checked here).")

    @Argument(help: ArgumentHelp("The trust list file, or '-' for standard input.", valueName: "list"))
    var list: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func execute() async throws {
        let bytes = try Files.read(list)
        guard case .object(let credential) = try parsedJSON(bytes, name: list) else {
            throw InputError("\(list) is not a trust list: it is not a JSON object")
        }
        let trustList: TrustList
        do {
            trustList = try TrustList(credential: credential)
        } catch {
            throw InputError("\(list): \(error)")
        }
        let signed = credential["proof"] != nil
        switch format {
        case .json:
            var summary = trustList.credential()
            summary["signed"] = .bool(signed)
            try Terminal.write(JSONValue.object(summary).serialized(pretty: true) + [0x0A])
        case .text:
            var text = "«\(printable(trustList.name))» — operator \(printable(trustList.operatorID)), "
                + (signed ? "signed" : "unsigned")
            if let from = trustList.validFrom { text += ", valid from \(from)" }
            if let until = trustList.validUntil { text += " until \(until)" }
            text += "\n"
            for entry in trustList.entries {
                text += "  \(printable(entry.description))\n    \(printable(entry.id))\n"
                for key in entry.keys {
                    text += "    key \(key.publicKeyMultibase) valid from \(key.validFrom)"
                        + (key.validUntil.map { " until \($0)" } ?? "") + "\n"
                }
            }
            try Terminal.write(text)
        }
    }
}

/// A trust-list error about the entry being added, in the words of `trust add`'s options.
private func optionNames(_ message: String) -> String {
    let entry = "credentialSubject.entries[0]."
    guard message.hasPrefix(entry) else { return message }
    let rest = message.dropFirst(entry.count)
    for (member, option) in [("id", "--issuer"), ("country", "--country"), ("name", "--name"), ("keys", "--key")]
    where rest.hasPrefix(member) {
        return option + rest.dropFirst(member.count).drop { $0 != " " && $0 != ":" }
    }
    return message
}
