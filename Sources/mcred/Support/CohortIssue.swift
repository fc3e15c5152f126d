import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import MicroCredentialProfile
import MicroCredentials
import StatusRegister

/// `mcred issue --learners LEARNERS.csv`: a credential for every learner of a cohort, signed on all cores.
struct CohortIssue {
    let key: String
    let passphraseFile: String?
    let achievement: String
    let learners: String
    let out: String?
    let outDir: String?
    let force: Bool
    let created: DateTimeStamp?
    let register: String?
    let skipInvalid: Bool

    /// The largest LEARNERS.csv read: 64 MiB, some 300,000 learners.
    static let maximumFileBytes = 64 << 20
    /// Credentials signed (and recorded) at a time; bounds the work lost to an interruption, not the memory.
    static let chunkSize = 1000

    /// The file of the learner on `row` in `--out-dir`.
    static func fileName(row: Int) -> String { "learner-\(row).json" }

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        if let out {
            try OutputChecks.refuseProtected([out], key: key, passphraseFile: passphraseFile)
            try OutputChecks.refuseNonJSONLines(out, force: force)
        }
        let signer = try Files.signer(key, passphraseFile: passphraseFile)
        let course = try ProfileCommandInput.json(achievement)
        do {
            _ = try CourseDescription(json: course)
        } catch {
            throw InputError("\(Files.displayName(achievement)): \(error.message)")
        }
        let table = try readTable(course: course)
        let name = Files.displayName(learners)
        if !table.problems.isEmpty {
            for problem in table.problems { Terminal.error("\(name):\(problem)") }
            let rows = Set(table.problems.map(\.row)).count
            guard skipInvalid else {
                throw InputError("\(rows) row\(rows == 1 ? "" : "s") of \(name) cannot be issued (listed above); "
                    + "nothing was written: correct them, or issue the others with --skip-invalid")
            }
        }
        guard !table.learners.isEmpty else { throw InputError("\(name) has no learner row to issue") }
        if let outDir {
            let targets = table.learners.map { outDir + "/" + Self.fileName(row: $0.row) }
            try OutputChecks.refuseProtected(targets, key: key, passphraseFile: passphraseFile)
        }

        let progress = ProgressLine(command: "mcred issue")
        let store = try register.map(RegisterFiles.open)
        let created = created ?? .now
        var outputs: [[UInt8]] = []
        outputs.reserveCapacity(table.learners.count)
        for chunkStart in stride(from: 0, to: table.learners.count, by: Self.chunkSize) {
            let chunk = Array(table.learners[chunkStart..<min(chunkStart + Self.chunkSize, table.learners.count)])
            outputs += try await sign(chunk, signer: signer, created: created, store: store)
            progress.show("\(outputs.count)/\(table.learners.count) issued")
        }
        progress.clear()
        try write(outputs, rows: table.learners.map(\.row))

        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let skipped = Set(table.problems.map(\.row)).count
        try Terminal.write("issued \(outputs.count), skipped \(skipped), in "
            + "\(Self.decimal(seconds, places: 2)) s (\(Self.decimal(Double(outputs.count) / max(seconds, 1e-9), places: 0)) credentials/s)\n")
    }

    /// The CSV file, read and checked against the course; a file that is not a table is bad input.
    private func readTable(course: JSONValue) throws -> LearnerTable {
        let name = Files.displayName(learners)
        do {
            return try LearnerTable(CSVRecords(parsing: Files.read(learners, limit: Self.maximumFileBytes)), course: course)
        } catch let error as CSVError {
            throw InputError("\(name):\(error.row): \(error.reason)")
        } catch let problem as LearnerTable.Problem {
            throw InputError("\(name):\(problem)")
        } catch let error as ProfileInputError {
            throw InputError("\(Files.displayName(achievement)): \(error.message)")
        }
    }

    /// Builds and signs one chunk's credentials in parallel; with a register, each gets its status entries and is
    /// recorded before the chunk is returned (and so before anything is written).
    private func sign(
        _ chunk: [LearnerTable.Learner], signer: CredentialSigner, created: DateTimeStamp,
        store: SQLiteCredentialRegister?
    ) async throws -> [[UInt8]] {
        let name = Files.displayName(learners)
        func signAll(_ allocations: [StatusAllocation]?) async throws -> [(bytes: [UInt8], signed: JSONObject)] {
            let results: [Result<(bytes: [UInt8], signed: JSONObject), InputError>] = await concurrentMap(chunk.count) { index in
                let learner = chunk[index]
                var generator = SystemRandomNumberGenerator()
                let model = MicroCredential(
                    course: learner.course, learner: learner.learner, issuer: signer.controller,
                    credentialID: MicroCredential.randomCredentialID(using: &generator), using: &generator)
                var unsigned = model.unsignedCredential
                if let allocations { unsigned["credentialStatus"] = allocations[index].credentialStatus }
                do {
                    let signed = try signer.sign(.object(unsigned), created: created, asProofSet: true)
                    return .success((JSONValue.object(signed).serialized() + [0x0A], signed))
                } catch {
                    return .failure(InputError("\(name):\(learner.row): \(commandLineMessage(error))"))
                }
            }
            return try results.map { try $0.get() }
        }
        guard let store else { return try await signAll(nil).map(\.bytes) }
        var bytes: [[UInt8]] = []
        _ = try await store.issue(count: chunk.count, at: .now) { allocations in
            let signed = try await signAll(allocations)
            bytes = signed.map(\.bytes)
            return try zip(signed, allocations).map { try IssuedCredential(signed: $0.signed, allocation: $1) }
        }
        return bytes
    }

    /// Writes every credential at once: one file each into `--out-dir`, or JSON Lines into `--out`.
    private func write(_ outputs: [[UInt8]], rows: [Int]) throws {
        if let outDir {
            try System.createFolder(outDir)
            try Files.writeAllAtomically(
                zip(outputs, rows).map { ($0, outDir + "/" + Self.fileName(row: $1), Files.publicFile) }, durable: false)
        } else if let out {
            let sink = try OutputSink(atomicallyReplacing: out)
            do {
                for line in outputs { try sink.write(line) }
                try sink.commit()
            } catch {
                sink.discard()
                throw error
            }
        }
    }

    /// `value` with `places` decimals, without Foundation's formatter.
    static func decimal(_ value: Double, places: Int) -> String {
        let scale = (0..<places).reduce(1.0) { result, _ in result * 10 }
        let rounded = (value * scale).rounded() / scale
        guard places > 0 else { return String(Int(rounded)) }
        let whole = Int(rounded)
        let fraction = Int(((rounded - Double(whole)) * scale).rounded())
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: places - digits.count) + digits
    }
}
