import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import Ed25519OpenSSL
import MicroCredentials
import SystemPackage

struct Audit: MCredCommand, OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { [VerificationOptions()] }

    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify a batch of credentials, or a reproducible sample of it, and write an audit report.",
        discussion: """
            Inputs are credential files (*.json: one credential), JSON Lines files (*.jsonl: one credential a \
            line, blank lines skipped), folders (searched recursively for *.json and *.jsonl, hidden names \
            skipped) and '-' (standard input, read as JSON Lines). They are streamed: memory does not grow with \
            the number of credentials. Each credential is verified as `mcred verify` does; a line that is not \
            JSON is an invalid credential (failed check "json").

            Sample: every credential has a sample key, SHA-256(UTF-8(seed) ‖ SHA-256(JCS(credential))) (for a \
            line that is not JSON, SHA-256 of its bytes instead of the JCS digest). --sample N audits the N \
            credentials with the smallest keys; --fraction F those whose key's first 8 bytes, as a big-endian \
            integer, are below F × 2^64. The sample depends only on the seed and the credentials, not on their \
            order or files. Without --seed a random one is made; it is recorded in the report. See spec/audit.md.

            The report (text, json or csv) gives the tool version, times, seed and rule, the inputs with their \
            SHA-256, totals, counts by failed check and by issuer, and one line per audited credential in \
            ascending sample key. --sign-report makes the JSON report a VC 2.0 credential signed with --key \
            (eddsa-jcs-2022), which `mcred verify` checks.

            Exit status: 0 every audited credential valid, 1 any invalid or not verified, 2 an input cannot be \
            read (nothing is written then).

            Examples:
              mcred audit --at 2026-06-01 batch.jsonl
              mcred audit --sample 200 --seed 2026-Q2 --format json --report audit.json issued/
              mcred audit --fraction 0.05 --format json --sign-report --key auditor.key.pem issued/
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(help: ArgumentHelp("Audit the N credentials with the smallest sample keys.", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("Audit the credentials whose sample key falls in this fraction (0 < F ≤ 1).",
                               valueName: "f"))
    var fraction: Double?

    @Option(help: ArgumentHelp("The sample seed (its UTF-8 bytes; default: 16 random bytes in hex).",
                               valueName: "seed"))
    var seed: String?

    @Option(help: ArgumentHelp("Judge validity at this time instead of now.", valueName: "datetime"))
    var at: DateTimeStamp?

    @OptionGroup(title: "Trust and key resolution")
    var verification: VerificationOptions

    @Option(help: "Report format: text, json or csv.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.",
                               valueName: "file"))
    var report: String?

    @Flag(help: "Sign the JSON report as a verifiable credential with --key.")
    var signReport = false

    @Option(help: ArgumentHelp("The auditor's private key for --sign-report (PKCS#8 PEM or DER).", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Argument(help: ArgumentHelp("Credential files, JSON Lines files, folders, or '-' for standard input.",
                                 valueName: "input"))
    var inputs: [String] = []

    /// Credentials verified together, in parallel on all cores.
    static let chunkSize = 1000
    /// The longest credential id or issuer kept in the report, in characters.
    static let maximumFieldLength = 1000

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Give at least one input file or folder, or '-' for standard input.") }
        try requireStandardInputOnce(inputs + [key, passphraseFile])
        if sample != nil && fraction != nil { throw ValidationError("Use --sample or --fraction, not both.") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1.") }
        if let fraction, !(fraction > 0 && fraction <= 1) { throw ValidationError("--fraction must be in (0, 1].") }
        if signReport && key == nil { throw ValidationError("--sign-report needs --key: the auditor's private key.") }
        if !signReport && key != nil { throw ValidationError("--key is used only with --sign-report.") }
        if !signReport && passphraseFile != nil {
            throw ValidationError("--passphrase-file is used only with --sign-report and --key.")
        }
        if signReport && format != .json { throw ValidationError("--sign-report needs --format json.") }
    }

    // MARK: - Inputs

    /// One input file: JSON Lines or a single credential.
    struct Source {
        let path: String
        let isLines: Bool
    }

    /// The input arguments with folders expanded (recursively, entries in byte order of their names).
    static func sources(_ arguments: [String]) throws -> [Source] {
        var sources: [Source] = []
        func walk(_ folder: String) throws {
            for name in try System.folderEntries(folder) where !name.hasPrefix(".") {
                let path = (folder.hasSuffix("/") ? folder : folder + "/") + name
                switch System.fileType(at: path, followingLinks: false) {
                case .directory?:
                    try walk(path)
                default:
                    guard name.hasSuffix(".json") || name.hasSuffix(".jsonl"), System.fileType(at: path) == .regular
                    else { continue }
                    sources.append(Source(path: path, isLines: name.hasSuffix(".jsonl")))
                }
            }
        }
        for argument in arguments {
            if argument == "-" {
                sources.append(Source(path: "-", isLines: true))
            } else if System.isFolder(argument) {
                try walk(argument)
            } else if System.exists(argument) {
                sources.append(Source(path: argument, isLines: argument.hasSuffix(".jsonl")))
            } else {
                throw InputError("cannot read \(argument): no such file or folder")
            }
        }
        return sources
    }

    /// One credential as read: which input, which line (nil for a whole-file credential), its bytes.
    struct Item: Sendable {
        let source: Int
        let line: Int?
        let bytes: [UInt8]
    }

    /// An input as the report lists it.
    struct InputSummary {
        let path: String
        let sha256: String
        let credentials: Int
    }

    /// Reads every input in order and calls `body` with chunks of at most ``chunkSize`` credentials.
    /// - Parameter spool: where standard input is copied as it is read, so that a second pass can read it
    ///   again; with `replay`, standard input is read from it instead.
    /// - Returns: the inputs with their SHA-256 and number of credentials.
    func readChunks(
        _ sources: [Source], spool: ScratchFile?, replay: Bool, _ body: ([Item]) async throws -> Void
    ) async throws -> [InputSummary] {
        var summaries: [InputSummary] = []
        var chunk: [Item] = []
        chunk.reserveCapacity(Self.chunkSize)
        for (index, source) in sources.enumerated() {
            if source.isLines {
                let hasher = SHA256Hasher()
                let reader: LineReader
                if source.path == "-", let spool {
                    reader = replay
                        ? try spool.lineReader(observe: { hasher.update($0) })
                        : try LineReader(path: "-", observe: { hasher.update($0); try spool.append($0) })
                } else {
                    reader = try LineReader(path: source.path, observe: { hasher.update($0) })
                }
                defer { reader.close() }
                var count = 0
                while let line = try reader.next() {
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    chunk.append(Item(source: index, line: reader.lineNumber, bytes: line))
                    count += 1
                    if chunk.count == Self.chunkSize {
                        try await body(chunk)
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                summaries.append(InputSummary(path: source.path, sha256: lowercaseHex(hasher.finalize()), credentials: count))
            } else {
                let bytes = try Files.read(source.path)
                chunk.append(Item(source: index, line: nil, bytes: bytes))
                summaries.append(InputSummary(path: source.path, sha256: SHA256.hexDigest(bytes), credentials: 1))
                if chunk.count == Self.chunkSize {
                    try await body(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        if !chunk.isEmpty { try await body(chunk) }
        return summaries
    }

    // MARK: - Sample

    /// Which credentials are audited.
    enum Selection: Sendable {
        case all
        /// Keys whose first 8 bytes are below the threshold.
        case fraction(threshold: UInt64)
        /// Keys up to the largest of the N smallest; `ties` credentials with exactly that key are taken.
        case smallest(limit: SampleKey, ties: Int)

        func selects(_ key: SampleKey) -> Bool {
            switch self {
            case .all: true
            case .fraction(let threshold): key.prefix < threshold
            case .smallest(let limit, _): key <= limit
            }
        }
    }

    /// The `--fraction` threshold: select when the key's first 8 bytes, as an integer k, satisfy k < F × 2^64,
    /// that is k < ⌈F × 2^64⌉ (exact in binary64); nil when every key is selected.
    static func fractionThreshold(_ fraction: Double) -> UInt64? {
        let scaled = (fraction * 18_446_744_073_709_551_616.0).rounded(.up)
        return scaled >= 18_446_744_073_709_551_616.0 ? nil : UInt64(scaled)
    }

    /// A credential's parsed value (nil when it is not JSON), digest and sample key.
    static func examine(_ bytes: [UInt8], seed: [UInt8], limits: JSONLimits) -> (JSONValue?, [UInt8], SampleKey) {
        let value = try? JSONValue(parsing: bytes, limits: limits)
        let digest = SHA256.hash(value?.canonicalBytes() ?? bytes)
        return (value, digest, SampleKey(seed: seed, digest: digest))
    }

    // MARK: - Audit

    /// One audited credential: what the totals need, and its report line for the sorter.
    struct Audited: Sendable {
        let key: SampleKey
        let outcome: VerificationOutcome
        let failed: [String]
        let issuer: String?
        let line: [UInt8]
    }

    struct Counts {
        var audited = 0, valid = 0, invalid = 0, notVerified = 0

        mutating func add(_ outcome: VerificationOutcome) {
            audited += 1
            switch outcome {
            case .valid: valid += 1
            case .invalid: invalid += 1
            case .notVerified: notVerified += 1
            }
        }

        var json: [JSONMember] {
            [JSONMember("audited", .number(Double(audited))), JSONMember("valid", .number(Double(valid))),
             JSONMember("invalid", .number(Double(invalid))), JSONMember("notVerified", .number(Double(notVerified)))]
        }

        var text: String {
            "\(audited) audited: \(valid) valid, \(invalid) invalid, \(notVerified) not verified"
        }
    }

    /// Verifies one credential and writes its report line: the key in hex, a space, the JSON record, LF.
    static func audit(
        _ item: Item, path: String, seed: [UInt8], selection: Selection, verifier: CredentialVerifier,
        at time: DateTimeStamp
    ) async -> Audited? {
        let (value, digest, key) = examine(item.bytes, seed: seed, limits: verifier.policy.limits)
        guard selection.selects(key) else { return nil }
        let report = if let value { await verifier.verify(value, at: time) } else { await verifier.verify(item.bytes, at: time) }
        var failed: [String] = []
        for check in report.failures where !failed.contains(check.kind.rawValue) { failed.append(check.kind.rawValue) }
        func shortened(_ text: String?) -> JSONValue {
            guard let text else { return .null }
            return .string(text.count > maximumFieldLength ? String(text.prefix(maximumFieldLength)) + "…" : text)
        }
        let issuer = report.summary?.issuer.map { $0.count > maximumFieldLength ? String($0.prefix(maximumFieldLength)) + "…" : $0 }
        let record: JSONValue = .object(JSONObject([
            JSONMember("source", .string(path)),
            JSONMember("line", item.line.map { .number(Double($0)) } ?? .null),
            JSONMember("id", shortened(report.summary?.id)),
            JSONMember("issuer", issuer.map(JSONValue.string) ?? .null),
            JSONMember("verdict", .string(report.outcome.rawValue)),
            JSONMember("failedChecks", .array(failed.map(JSONValue.string))),
            JSONMember("sha256", .string(lowercaseHex(digest))),
            JSONMember("sampleKey", .string(key.hex)),
        ]))
        let line = Array((key.hex + " ").utf8) + record.serialized() + [0x0A]
        return Audited(key: key, outcome: report.outcome, failed: failed, issuer: issuer, line: line)
    }

    func execute() async throws {
        let generated = DateTimeStamp.now
        let time = at ?? generated
        let seedText = seed ?? lowercaseHex((0..<16).map { _ in UInt8.random(in: 0...255) })
        let seedBytes = Array(seedText.utf8)
        let sources = try Self.sources(inputs)
        if let report { try OutputChecks.refuseProtected([report], key: key, passphraseFile: passphraseFile) }
        let signer = try key.map { try CredentialSigner(key: Files.signingKey($0, passphraseFile: passphraseFile)) }
        let progress = ProgressLine(command: "mcred audit")
        let limits = VerificationPolicy().limits

        // First pass for --sample: the N smallest keys, nothing verified. Standard input is kept for the second.
        var selection = Selection.all
        var spool: ScratchFile?
        var expected: Int?
        if let fraction, let threshold = Self.fractionThreshold(fraction) { selection = .fraction(threshold: threshold) }
        if let sample {
            if sources.contains(where: { $0.path == "-" }) { spool = try ScratchFile() }
            var smallest = SmallestKeys(count: sample)
            var seen = 0
            _ = try await readChunks(sources, spool: spool, replay: false) { chunk in
                let keys = await concurrentMap(chunk.count) { index in
                    Self.examine(chunk[index].bytes, seed: seedBytes, limits: limits).2
                }
                for key in keys { smallest.insert(key) }
                seen += chunk.count
                progress.show("sampling: \(seen) credentials read")
            }
            if smallest.heap.count == sample, let limit = smallest.largest {
                selection = .smallest(limit: limit, ties: smallest.heap.filter { $0 == limit }.count)
            }
            expected = min(sample, seen)
        }

        // The audit: chunk by chunk, verified in parallel; report lines go to the external sorter.
        var credentials = 0
        var totals = Counts()
        var byCheck: [String: Int] = [:]
        var byIssuer: [String?: Counts] = [:]
        var tiesLeft = if case .smallest(_, let ties) = selection { ties } else { 0 }
        let sorter = ExternalSorter()
        let finalSelection = selection
        func record(_ audited: [Audited?]) throws {
            for case let entry? in audited {
                if case .smallest(let limit, _) = finalSelection, entry.key == limit {
                    guard tiesLeft > 0 else { continue }
                    tiesLeft -= 1
                }
                totals.add(entry.outcome)
                for check in entry.failed { byCheck[check, default: 0] += 1 }
                byIssuer[entry.issuer, default: Counts()].add(entry.outcome)
                try sorter.add(entry.line)
            }
            credentials += audited.count
            progress.show("\(totals.audited)\(expected.map { "/\($0)" } ?? "") audited, \(credentials) read, "
                + "\(totals.invalid + totals.notVerified) not valid")
        }
        let summaries = try await verification.withVerifier(at: time) { verifier in
            // While one chunk is verified on every core, the next is read and the previous one's results are
            // counted and sorted, so that no core waits for the reading and the bookkeeping.
            var verifying: Task<[Audited?], Never>?
            let summaries = try await readChunks(sources, spool: spool, replay: true) { chunk in
                let next = Task {
                    await concurrentMap(chunk.count) { index in
                        await Self.audit(chunk[index], path: sources[chunk[index].source].path, seed: seedBytes,
                                         selection: finalSelection, verifier: verifier, at: time)
                    }
                }
                if let verifying { try record(await verifying.value) }
                verifying = next
            }
            if let verifying { try record(await verifying.value) }
            return summaries
        }
        progress.clear()

        // The report: header from the totals, then the sorted lines streamed from the sorter.
        var sampleObject = JSONObject([JSONMember("seed", .string(seedText))])
        let rule: String
        if let sample {
            rule = "smallest"
            sampleObject["size"] = .number(Double(sample))
        } else if let fraction {
            rule = "fraction"
            sampleObject["fraction"] = .number(fraction)
        } else {
            rule = "all"
        }
        sampleObject.members.insert(JSONMember("rule", .string(rule)), at: 0)
        sampleObject["key"] = "SHA-256(UTF-8(seed) || SHA-256(JCS(credential)))"
        let checkOrder = VerificationCheck.Kind.allCases.map(\.rawValue)
        let issuers = byIssuer.keys.sorted { a, b in
            guard let a else { return b != nil }
            guard let b else { return false }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        var header = JSONObject()
        header["tool"] = ["name": "mcred", "version": .string(MCred.configuration.version)]
        header["generatedAt"] = .string(generated.text)
        header["verifiedAt"] = .string(time.text)
        header["sample"] = .object(sampleObject)
        header["inputs"] = .array(summaries.map { input in
            ["path": .string(input.path), "sha256": .string(input.sha256), "credentials": .number(Double(input.credentials))]
        })
        header["totals"] = .object(JSONObject([JSONMember("credentials", .number(Double(credentials)))] + totals.json))
        header["failedChecks"] = .object(JSONObject(checkOrder.compactMap { check in
            byCheck[check].map { JSONMember(check, .number(Double($0))) }
        }))
        header["issuers"] = .array(issuers.map { issuer in
            .object(JSONObject([JSONMember("issuer", issuer.map(JSONValue.string) ?? .null)] + byIssuer[issuer]!.json))
        })

        let sink = try report.map(OutputSink.init(atomicallyReplacing:)) ?? OutputSink()
        switch format {
        case .json:
            if let signer {
                let scratch = try ScratchFile()
                try writeJSON(header: header, sorter: sorter) { try scratch.append($0) }
                try scratch.flush()
                var bytes = [UInt8](repeating: 0, count: Int(scratch.size))
                var read = 0
                while read < bytes.count {
                    let count = try bytes.withUnsafeMutableBytes {
                        try scratch.read(at: Int64(read), into: UnsafeMutableRawBufferPointer(rebasing: $0[read...]))
                    }
                    guard count > 0 else { throw InputError("a temporary file ended early") }
                    read += count
                }
                let credential: JSONValue = .object(JSONObject([
                    JSONMember("@context", [.string(CredentialVerifier.credentialsContextV2)]),
                    JSONMember("type", ["VerifiableCredential", "AuditReport"]),
                    JSONMember("issuer", .string(signer.controller)),
                    JSONMember("validFrom", .string(generated.text)),
                    JSONMember("credentialSubject", try JSONValue(parsing: bytes)),
                ]))
                let signed = try signer.sign(credential, created: generated)
                try sink.write(JSONValue.object(signed).serialized(pretty: true) + [0x0A])
            } else {
                try writeJSON(header: header, sorter: sorter) { try sink.write($0) }
            }
        case .text:
            try writeText(header: header, issuers: issuers, byIssuer: byIssuer, totals: totals, credentials: credentials,
                          summaries: summaries, sorter: sorter, sink: sink)
        case .csv:
            try sink.write(CSV.row(["sample_key", "source", "line", "id", "issuer", "verdict", "failed_checks", "sha256"]))
            try sorter.merge { line in
                let record = try Self.record(line)
                func text(_ name: String) -> String { record[name]?.stringValue ?? "" }
                try sink.write(CSV.row([
                    text("sampleKey"), CSV.field(text("source")), record["line"]?.numberValue.map { String(Int($0)) } ?? "",
                    CSV.untrustedField(text("id")), CSV.untrustedField(text("issuer")), text("verdict"),
                    (record["failedChecks"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ";"),
                    text("sha256"),
                ]))
            }
        }
        try sink.commit()
        Terminal.error("mcred audit: seed \(printable(seedText)); \(credentials) credentials read, \(totals.text)")
        if totals.valid != totals.audited { throw ExitStatus.negative }
    }

    /// The JSON record of a sorter line (after the key and its space).
    static func record(_ line: [UInt8]) throws -> JSONObject {
        guard case .object(let record) = try JSONValue(parsing: line[65..<(line.count - 1)]) else {
            throw InputError("a temporary file is corrupt")
        }
        return record
    }

    /// The JSON report: the header's members, then `credentials` with one compact record a line.
    private func writeJSON(header: JSONObject, sorter: ExternalSorter, _ write: ([UInt8]) throws -> Void) throws {
        let head = JSONValue.object(header).serialized(pretty: true)
        try write(Array(head.dropLast(2)) + Array(",\n  \"credentials\": [".utf8))
        var first = true
        try sorter.merge { line in
            try write(Array((first ? "\n    " : ",\n    ").utf8) + line[65..<(line.count - 1)])
            first = false
        }
        try write(Array((first ? "]\n}\n" : "\n  ]\n}\n").utf8))
    }

    private func writeText(
        header: JSONObject, issuers: [String?], byIssuer: [String?: Counts], totals: Counts, credentials: Int,
        summaries: [InputSummary], sorter: ExternalSorter, sink: OutputSink
    ) throws {
        var lines = ["mcred audit report"]
        lines.append("Tool:          mcred \(MCred.configuration.version)")
        lines.append("Generated at:  \(header["generatedAt"]!.stringValue!)")
        lines.append("Verified at:   \(header["verifiedAt"]!.stringValue!)")
        lines.append("Seed:          \(printable(header["sample"]!["seed"]!.stringValue!)) (its UTF-8 bytes)")
        let sampleRule = if let sample {
            "the \(sample) credentials with the smallest sample keys"
        } else if let fraction {
            "the credentials whose sample key's first 8 bytes are below \(fraction) × 2^64"
        } else {
            "every credential"
        }
        lines.append("Sample:        \(sampleRule)")
        lines.append("Sample key:    SHA-256(UTF-8(seed) || SHA-256(JCS(credential)))")
        lines.append("Inputs:")
        for input in summaries {
            lines.append("  \(input.sha256)  \(input.credentials) credential\(input.credentials == 1 ? "" : "s")  "
                + printable(Files.displayName(input.path)))
        }
        lines.append("Totals:        \(credentials) credentials read, \(totals.text)")
        lines.append("Failed checks:" + (header["failedChecks"]!.objectValue!.members.isEmpty ? " none" : ""))
        for member in header["failedChecks"]!.objectValue!.members {
            lines.append("  " + member.key.padding(20) + String(Int(member.value.numberValue!)))
        }
        lines.append("Issuers:" + (issuers.isEmpty ? " none" : ""))
        for issuer in issuers {
            lines.append("  \(issuer.map(printable) ?? "(no issuer)"): \(byIssuer[issuer]!.text)")
        }
        lines.append("Credentials (ascending sample key):")
        try sink.write(lines.joined(separator: "\n") + "\n")
        try sorter.merge { line in
            let record = try Self.record(line)
            let verdict = record["verdict"]!.stringValue!.uppercased().replacingOccurrences("-", with: " ")
            let source = Files.displayName(record["source"]!.stringValue!)
                + (record["line"]?.numberValue.map { ":\(Int($0))" } ?? "")
            let failed = (record["failedChecks"]?.arrayValue ?? []).compactMap(\.stringValue)
            try sink.write("  " + verdict.padding(13) + printable(source)
                + "  id " + (record["id"]?.stringValue.map(printable) ?? "-")
                + "  issuer " + (record["issuer"]?.stringValue.map(printable) ?? "-")
                + "  failed " + (failed.isEmpty ? "-" : failed.joined(separator: ","))
                + "  sha256 " + record["sha256"]!.stringValue! + "\n")
        }
    }
}


extension String {
    /// The string followed by spaces up to `width` characters (at least one space).
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(1, width - count))
    }
}
