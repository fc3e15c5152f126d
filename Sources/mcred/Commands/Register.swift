import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import StatusRegister

struct RegisterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Keep the awarding body's register of issued credentials and their status lists (spec/register.md).",
        discussion: """
            A register is an SQLite file. `issue --register` and `sign --register` give each credential a \
            revocation and a suspension entry (Bitstring Status List) and record it before the signed file is \
            written; revoke, suspend and reinstate change its status; `status publish` writes the signed status \
            list credentials to put at their URLs.

            Examples:
              mcred register init awards.db --status-base-url https://uni.example/status
              mcred issue --register awards.db --key issuer.key.pem --achievement course.json \\
                --learner learner.json --out credential.json
              mcred revoke --register awards.db urn:uuid:… --reason "issued in error"
              mcred status publish --register awards.db --key issuer.key.pem --out-dir public/status
              mcred register show awards.db
            """,
        subcommands: [RegisterInit.self, RegisterShow.self, RegisterExport.self]
    )
}

/// Opening a register file for the commands.
enum RegisterFiles {
    /// Opens an existing register; a missing file is bad input, not a new register.
    static func open(_ path: String) throws -> SQLiteCredentialRegister {
        guard System.exists(path) else {
            throw InputError("\(path) does not exist; create a register with `mcred register init`")
        }
        if System.isFolder(path) { throw InputError("\(path) is a directory, not a register") }
        return try SQLiteCredentialRegister(path: path)
    }
}

struct RegisterInit: MCredCommand {
    static let invocation = "mcred register init"
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a register.",
        discussion: """
            Status lists are published at the base URL + "/" + their number (1, 2, …); each has --list-size \
            entries (at least 131,072, the Bitstring Status List minimum). The issuer is set by the first \
            credential recorded. Exit status: 0 created, 2 the file exists or cannot be written, 64 usage error.
            """)

    @Argument(help: ArgumentHelp("The register file to create.", valueName: "register"))
    var register: String

    @Option(help: ArgumentHelp("Where the status lists will be published (http or https).", valueName: "url"))
    var statusBaseUrl: String

    @Option(help: ArgumentHelp("Entries per status list (at least 131072).", valueName: "n"))
    var listSize: Int = RegisterSettings.minimumListSize

    func validate() throws {
        if listSize < RegisterSettings.minimumListSize {
            throw ValidationError("--list-size must be at least \(RegisterSettings.minimumListSize) (herd privacy).")
        }
        if listSize > 8 * 16 * 1024 * 1024 { throw ValidationError("--list-size must be at most 134217728.") }
        if (try? RegisterSettings.normalizedBaseURL(statusBaseUrl)) == nil {
            throw ValidationError("--status-base-url must be an http or https URL without query or fragment.")
        }
    }

    func execute() async throws {
        if System.hasEntry(register) { throw InputError("\(register) already exists; a register is created once") }
        let folder = System.folder(of: register)
        guard System.isFolder(folder) else { throw InputError("cannot create \(register): the folder \(folder) does not exist") }
        _ = try SQLiteCredentialRegister.create(
            path: register, settings: RegisterSettings(statusBaseURL: statusBaseUrl, listSize: listSize), at: .now)
    }
}

struct RegisterShow: MCredCommand {
    static let invocation = "mcred register show"
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a register's settings, lists and counts, or one credential with its status events.",
        discussion: "Exit status: 0 shown, 2 no such register or credential, 64 usage error.")

    @Argument(help: ArgumentHelp("The register file.", valueName: "register"))
    var register: String

    @Argument(help: ArgumentHelp("A credential id.", valueName: "credential-id"))
    var credentialID: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func execute() async throws {
        let store = try RegisterFiles.open(register)
        if let credentialID {
            guard let record = try store.credential(id: credentialID) else {
                throw InputError("\(register) has no credential \(credentialID)")
            }
            let events = try store.events(of: credentialID)
            if format == .json {
                var object = record.json
                object["events"] = .array(events.map { .object($0.json) })
                try Terminal.write(JSONValue.object(object).serialized(pretty: true) + [0x0A])
                return
            }
            var lines = [
                "credential: \(printable(record.id))", "issuer: \(printable(record.issuer))",
                "status: \(record.status.rawValue)", "issued at: \(record.issuedAt)",
                "sha-256: \(record.credentialSHA256)",
                "learner hash: \(record.learnerHash ?? "(none)")",
                "revocation: \(printable(record.revocationListURL)) index \(record.revocationIndex)",
                "suspension: \(printable(record.suspensionListURL)) index \(record.suspensionIndex)",
            ]
            lines += events.map { event in
                "event: \(event.at) \(event.event.rawValue)" + (event.reason.map { " — " + printable($0) } ?? "")
            }
            try Terminal.write(lines.joined(separator: "\n") + "\n")
            return
        }
        let settings = try store.settings()
        let lists = try store.statusLists(countingEntries: true)
        var counts: [CredentialState: Int] = [:]
        for record in try store.credentials() { counts[record.status, default: 0] += 1 }
        let total = counts.values.reduce(0, +)
        if format == .json {
            var object: JSONObject = [:]
            object["issuer"] = settings.issuer.map(JSONValue.string) ?? .null
            object["statusBaseUrl"] = .string(settings.statusBaseURL)
            object["listSize"] = .number(Double(settings.listSize))
            object["credentials"] = [
                "total": .number(Double(total)), "issued": .number(Double(counts[.issued] ?? 0)),
                "suspended": .number(Double(counts[.suspended] ?? 0)), "revoked": .number(Double(counts[.revoked] ?? 0)),
            ]
            object["statusLists"] = .array(lists.map { list in
                ["number": .number(Double(list.number)), "url": .string(list.url), "purpose": .string(list.purpose.rawValue),
                 "size": .number(Double(list.size)), "used": .number(Double(list.used))]
            })
            try Terminal.write(JSONValue.object(object).serialized(pretty: true) + [0x0A])
            return
        }
        var lines = [
            "register: \(printable(register))", "issuer: \(settings.issuer.map(printable) ?? "(none yet)")",
            "status base URL: \(settings.statusBaseURL)", "list size: \(settings.listSize)",
            "credentials: \(total) (issued \(counts[.issued] ?? 0), suspended \(counts[.suspended] ?? 0), revoked \(counts[.revoked] ?? 0))",
        ]
        lines += lists.map { "list \($0.number): \($0.purpose.rawValue) \($0.url), \($0.used) of \($0.size) entries used" }
        try Terminal.write(lines.joined(separator: "\n") + "\n")
    }
}

/// Export formats.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

struct RegisterExport: MCredCommand {
    static let invocation = "mcred register export"
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every credential's row: CSV (RFC 4180, with a header) or JSON Lines.",
        discussion: "Rows come in the order they were recorded. Exit status: 0 written, 2 no such register, 64 usage error.")

    @Argument(help: ArgumentHelp("The register file.", valueName: "register"))
    var register: String

    @Option(help: "Output format.")
    var format: ExportFormat

    static let csvColumns = [
        "id", "issuer", "status", "issued_at", "credential_sha256", "learner_hash", "revocation_list",
        "revocation_index", "suspension_list", "suspension_index",
    ]

    func execute() async throws {
        let records = try RegisterFiles.open(register).credentials()
        var chunks: [[UInt8]] = []
        chunks.reserveCapacity(records.count + 1)
        switch format {
        case .jsonl:
            for record in records { chunks.append(JSONValue.object(record.json).serialized(pretty: false) + [0x0A]) }
        case .csv:
            chunks.append(Array((Self.csvColumns.joined(separator: ",") + "\r\n").utf8))
            for record in records {
                let fields = [
                    record.id, record.issuer, record.status.rawValue, record.issuedAt, record.credentialSHA256,
                    record.learnerHash ?? "", record.revocationListURL, String(record.revocationIndex),
                    record.suspensionListURL, String(record.suspensionIndex),
                ]
                chunks.append(Array((fields.map(Self.csvField).joined(separator: ",") + "\r\n").utf8))
            }
        }
        try Terminal.write(chunks: chunks)
    }

    /// A field quoted as RFC 4180 asks: in double quotes, doubled inside, when it holds a comma, a quote, CR or LF.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}
