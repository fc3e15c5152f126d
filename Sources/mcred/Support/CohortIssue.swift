import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import MicroCredentialProfile
import MicroCredentials
import StatusRegister
import SystemPackage

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
    let cryptosuites: [SigningCryptosuite]

    /// The largest LEARNERS.csv read: 64 MiB, some 300,000 learners.
    static let maximumFileBytes = 64 << 20
    /// Credentials signed (and recorded) at a time.
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
        let name = Files.displayName(learners)
        let table = try readTable(course: try ProfileCommandInput.json(achievement))

        // Every row is checked, on all cores, before anything is signed.
        let checked = await concurrentMap(table.records.count) { table.check(table.records[$0]) }
        var cohort: [LearnerTable.Learner] = []
        var problems: [LearnerTable.Problem] = []
        for result in checked {
            switch result {
            case .success(let learner): cohort.append(learner)
            case .failure(let row): problems += row.problems
            }
        }
        if !problems.isEmpty {
            for problem in problems { Terminal.error("\(name):\(problem)") }
            let rows = Set(problems.map(\.row)).count
            guard skipInvalid else {
                throw InputError("\(rows) row\(rows == 1 ? "" : "s") of \(name) cannot be issued (listed above); "
                    + "nothing was written: correct them, or issue the others with --skip-invalid")
            }
        }
        guard !cohort.isEmpty else { throw InputError("\(name) has no learner row to issue") }
        if let outDir {
            let targets = cohort.map { outDir + "/" + Self.fileName(row: $0.row) }
            try OutputChecks.refuseProtected(targets, key: key, passphraseFile: passphraseFile)
        }

        let issued = try await issue(cohort, signer: signer, store: try register.map(RegisterFiles.open))
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try Terminal.write("issued \(issued), skipped \(Set(problems.map(\.row)).count), in "
            + "\(Self.decimal(seconds, places: 2)) s (\(Self.decimal(Double(issued) / max(seconds, 1e-9), places: 0)) "
            + "credentials/s)\n")
    }

    /// The CSV file, read against the course; a file that is not a table, or a bad course, is bad input.
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

    /// Signs the cohort chunk by chunk — one chunk on every core while the one before is written — and writes
    /// it: JSON Lines through a temporary file renamed at the end, or all `--out-dir` files at once. Returns the
    /// number issued.
    private func issue(
        _ cohort: [LearnerTable.Learner], signer: CredentialSigner, store: SQLiteCredentialRegister?
    ) async throws -> Int {
        let progress = ProgressLine(command: "mcred issue")
        let created = created ?? .now
        let sink = try out.map(OutputSink.init(atomicallyReplacing:))
        var files: [(bytes: [UInt8], path: String, permissions: FilePermissions)] = []
        var issued = 0
        func deliver(_ outputs: [[UInt8]], _ chunk: ArraySlice<LearnerTable.Learner>) throws {
            if let sink {
                for line in outputs { try sink.write(line) }
            } else if let outDir {
                files += zip(outputs, chunk).map { ($0, outDir + "/" + Self.fileName(row: $1.row), Files.publicFile) }
            }
            issued += outputs.count
            progress.show("\(issued)/\(cohort.count) issued")
        }
        do {
            var signing: (task: Task<[[UInt8]], any Error>, chunk: ArraySlice<LearnerTable.Learner>)?
            for chunkStart in stride(from: 0, to: cohort.count, by: Self.chunkSize) {
                let chunk = cohort[chunkStart..<min(chunkStart + Self.chunkSize, cohort.count)]
                // One chunk at a time is signed (and recorded in the register).
                let previous = signing
                let previousOutputs = try await previous?.task.value
                signing = (Task { try await sign(chunk, signer: signer, created: created, store: store) }, chunk)
                if let previous, let previousOutputs { try deliver(previousOutputs, previous.chunk) }
            }
            if let signing { try deliver(try await signing.task.value, signing.chunk) }
            progress.clear()
            if let sink { try sink.commit() }
            if let outDir {
                try System.createFolder(outDir)
                try Files.writeAllAtomically(files, durable: false)
            }
        } catch {
            progress.clear()
            sink?.discard()
            throw error
        }
        return issued
    }

    /// Builds and signs one chunk's credentials in parallel; with a register, each gets its status entries and is
    /// recorded before the chunk is returned (and so before anything is written).
    private func sign(
        _ chunk: ArraySlice<LearnerTable.Learner>, signer: CredentialSigner, created: DateTimeStamp,
        store: SQLiteCredentialRegister?
    ) async throws -> [[UInt8]] {
        let name = Files.displayName(learners)
        let cryptosuites = cryptosuites
        func signAll(_ allocations: [StatusAllocation]?) async throws -> [(bytes: [UInt8], record: IssuedCredential?)] {
            let results: [Result<(bytes: [UInt8], record: IssuedCredential?), InputError>] = await concurrentMap(chunk.count) { index in
                let learner = chunk[chunk.startIndex + index]
                var generator = SystemRandomNumberGenerator()
                let model = MicroCredential(
                    course: learner.course, learner: learner.learner, issuer: signer.controller,
                    credentialID: MicroCredential.randomCredentialID(using: &generator), using: &generator)
                var unsigned = model.unsignedCredential
                if let allocations { unsigned["credentialStatus"] = allocations[index].credentialStatus }
                do {
                    let signed = try signer.sign(.object(unsigned), created: created, asProofSet: true,
                                                 cryptosuites: cryptosuites)
                    let record = try allocations.map { try IssuedCredential(signed: signed, allocation: $0[index]) }
                    return .success((JSONValue.object(signed).serialized() + [0x0A], record))
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
            return signed.compactMap(\.record)
        }
        return bytes
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
