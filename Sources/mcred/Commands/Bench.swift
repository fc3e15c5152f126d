import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import Ed25519OpenSSL
import Glibc
import Subprocess
import SystemPackage
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

struct Bench: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure canonicalization, signing and verification against references run alongside.",
        discussion: """
            Run it on a release build: `swift run -c release mcred bench`. Every figure is printed next to a \
            reference measured in the same run: `openssl speed -seconds 2 ed25519` for Ed25519, and Python's \
            rfc8785 package (when importable) for canonicalization. The corpus is generated deterministically: \
            ~2 KB micro-credentials and ~1 MB documents.
            """)

    @Option(help: ArgumentHelp("Seconds to spend on each in-process measurement.", valueName: "seconds"))
    var seconds: Double = 2

    @Option(help: ArgumentHelp("Number of credential files for the command-line measurements.", valueName: "count"))
    var files: Int = 2000

    @Flag(help: "Skip the command-line (end-to-end) measurements.")
    var skipCLI = false

    @Flag(help: "Also measure `mcred audit` on 100,000 credentials: throughput and peak memory (takes minutes).")
    var audit = false

    func validate() throws {
        guard seconds >= 0.1, seconds <= 60 else { throw ValidationError("--seconds must be in [0.1, 60].") }
        guard files > 0, files <= 100_000 else { throw ValidationError("--files must be in 1…100000.") }
    }

    func execute() async throws {
        #if DEBUG
        try Terminal.write("note: this is a debug build; for real figures run `swift run -c release mcred bench`\n")
        #endif
        let cores = System.processorCount
        try Terminal.write("mcred bench — \(cores) cores, \(await opensslVersion())\n\n")

        let key = try Ed25519PrivateKey()
        let issuer = DIDKey(publicKey: key.publicKey).did
        let small = (0..<256).map { BenchCorpus.credential($0, issuer: issuer).serialized(pretty: true) }
        let large = (0..<4).map { BenchCorpus.largeDocument($0, targetBytes: 1 << 20).serialized(pretty: true) }

        try Terminal.write("Canonical JSON: strict parse + RFC 8785 serialization, single core\n")
        let smallRate = try await canonicalization(small, label: "~2 KB credentials")
        _ = try await canonicalization(large, label: "~1 MB documents")
        if let python = try await pythonRFC8785(small) {
            try Terminal.write(format("  Python rfc8785 on the same ~2 KB corpus: %.1f MB/s, %.0f docs/s → mcred is %.1f× faster\n",
                                  python.megabytes, python.documents, smallRate.megabytes / python.megabytes))
        } else {
            try Terminal.write("  Python rfc8785: not importable (pip install rfc8785), no ratio\n")
        }

        // The Ed25519 reference is measured before and after each group of measurements, and each ratio uses
        // the mean of the two: the machine's speed drifts (by up to 8 % between runs here), and a reference
        // taken only before would credit or blame mcred for the drift.
        let before = try await opensslSpeed()
        try Terminal.write(format("\nEd25519 reference, `openssl speed -seconds 2 ed25519`: sign %.0f/s, verify %.0f/s\n",
                              before.sign, before.verify))

        try Terminal.write("Credentials (~2 KB micro-credential), single core, in process\n")
        let signer = try CredentialSigner(key: key)
        let created = DateTimeStamp("2026-01-15T09:00:05Z")!
        let parsed = try small.map { try JSONValue(parsing: $0) }
        let signedValues = try parsed.map { try signer.sign($0, created: created) }
        let signedBytes = signedValues.map { JSONValue.object($0).serialized() }
        let averageSize = signedBytes.reduce(0) { $0 + $1.count } / signedBytes.count

        let signValue = try await rate { index in _ = try signer.sign(parsed[index % parsed.count], created: created) }
        let signBytes = try await rate { index in
            let value = try JSONValue(parsing: small[index % small.count])
            _ = JSONValue.object(try signer.sign(value, created: created)).serialized()
        }
        let verifier = CredentialVerifier()
        let at = DateTimeStamp("2027-06-01T00:00:00Z")!
        let verify = try await rate { index in
            guard await verifier.verify(signedBytes[index % signedBytes.count], at: at).isValid else {
                throw InputError("bench: a freshly signed credential did not verify")
            }
        }
        let rdfcSigned = try parsed.prefix(16).map { value -> [UInt8] in
            JSONValue.object(try signer.sign(value, created: created, cryptosuites: [.eddsaRdfc2022])).serialized()
        }
        let rdfcSign = try await rate { index in
            _ = try signer.sign(parsed[index % 16], created: created, cryptosuites: [.eddsaRdfc2022])
        }
        let rdfcVerify = try await rate { index in
            guard await verifier.verify(rdfcSigned[index % rdfcSigned.count], at: at).isValid else {
                throw InputError("bench: a freshly signed eddsa-rdfc-2022 credential did not verify")
            }
        }
        let between = try await opensslSpeed()
        let openssl = (sign: (before.sign + between.sign) / 2, verify: (before.verify + between.verify) / 2)
        try Terminal.write(format("  (reference again after these: sign %.0f/s, verify %.0f/s; ratios use the means, %.0f/s and %.0f/s)\n",
                              between.sign, between.verify, openssl.sign, openssl.verify))
        try Terminal.write(format("  sign   (parsed credential → signed credential): %8.0f/s = %.2f × openssl sign\n",
                              signValue, signValue / openssl.sign))
        try Terminal.write(format("  sign   (JSON bytes → signed JSON bytes):        %8.0f/s = %.2f × openssl sign\n",
                              signBytes, signBytes / openssl.sign))
        try Terminal.write(format("  verify (JSON bytes → report), %d-byte credential: %6.0f/s = %.2f × openssl verify\n",
                              averageSize, verify, verify / openssl.verify))
        try Terminal.write(format("  eddsa-rdfc-2022 sign   (parsed credential → signed credential): %6.0f/s = %.2f × openssl sign\n",
                              rdfcSign, rdfcSign / openssl.sign))
        try Terminal.write(format("  eddsa-rdfc-2022 verify (JSON bytes → report):                   %6.0f/s = %.2f × openssl verify\n",
                              rdfcVerify, rdfcVerify / openssl.verify))

        if !skipCLI {
            try await commandLine(key: key, issuer: issuer, reference: between, cores: cores)
        }
        if audit {
            try await auditBenchmark(key: key, issuer: issuer, cores: cores)
        }
    }

    // MARK: - Measurements

    private struct Throughput {
        let megabytes: Double
        let documents: Double
    }

    /// Parses and canonicalizes every document repeatedly for about `seconds`.
    private func canonicalization(_ documents: [[UInt8]], label: String) async throws -> Throughput {
        let bytes = documents.reduce(0) { $0 + $1.count }
        var output: [UInt8] = []
        output.reserveCapacity(documents.map(\.count).max()! * 2)
        let perSecond = try await rate { index in
            let document = documents[index % documents.count]
            output.removeAll(keepingCapacity: true)
            try JSONValue(parsing: document).writeCanonical(into: &output)
        }
        let megabytes = perSecond * Double(bytes) / Double(documents.count) / 1_000_000
        try Terminal.write("  \(label) " + format("(%d docs, avg %d B): %7.1f MB/s, %9.0f docs/s\n",
                              documents.count, bytes / documents.count, megabytes, perSecond))
        return Throughput(megabytes: megabytes, documents: perSecond)
    }

    /// Calls `body` with increasing indices for about `seconds`, in five rounds, and returns the median
    /// round's calls per second: a round disturbed by another process or a frequency change does not decide
    /// the figure.
    private func rate(_ body: (Int) async throws -> Void) async throws -> Double {
        for index in 0..<64 { try await body(index) }  // warm up caches and the allocator
        let clock = ContinuousClock()
        var count = 0
        var rates: [Double] = []
        for _ in 0..<5 {
            let start = clock.now
            let first = count
            var elapsed = Duration.zero
            while elapsed < .seconds(seconds / 5) {
                for _ in 0..<64 {
                    try await body(count)
                    count += 1
                }
                elapsed = clock.now - start
            }
            let (wholeSeconds, attoseconds) = elapsed.components
            rates.append(Double(count - first) / (Double(wholeSeconds) + Double(attoseconds) / 1e18))
        }
        return rates.sorted()[2]
    }

    /// Times `mcred sign` and `mcred verify` on generated files; `reference` is the openssl figure taken just
    /// before, averaged with one taken just after.
    private func commandLine(key: Ed25519PrivateKey, issuer: String, reference: (sign: Double, verify: Double), cores: Int)
        async throws
    {
        let folder = System.temporaryFolder + "/" + System.uniqueName("mcred-bench-")
        try System.createFolder(folder)
        defer {
            if System.environment("MCRED_BENCH_KEEP") == nil { System.removeTree(folder) }
        }
        let keyPath = folder + "/issuer.key.pem"
        try Files.writeAtomically(Array(key.pemRepresentation().utf8), to: keyPath, permissions: .ownerReadWrite)
        let unsignedFolder = folder + "/unsigned"
        let signedFolder = folder + "/signed"
        try System.createFolder(unsignedFolder)
        var unsignedPaths: [String] = []
        for index in 0..<files {
            let path = unsignedFolder + "/credential-\(index).json"
            try Files.writeAtomically(BenchCorpus.credential(index, issuer: issuer).serialized(pretty: true), to: path)
            unsignedPaths.append(path)
        }
        let executable = try selfExecutable()
        try Terminal.write("\nCommand line, \(files) files, wall clock (process start to exit, \(cores) cores; median of 5 runs)\n")
        let signArguments = ["sign", "--key", keyPath, "--created", "2026-01-15T09:00:05Z"]
        let linesTime = try await medianTime(executable) { _ in signArguments + unsignedPaths }
        // Each run writes a new folder: replacing earlier outputs (kept as backups until all are in place) is
        // slower than creating them, and the first run should not be the odd one out.
        let signTime = try await medianTime(executable) { run in
            signArguments + ["--out-dir", run == 0 ? signedFolder : signedFolder + "-\(run)"] + unsignedPaths
        }
        let signedPaths = unsignedPaths.map { signedFolder + "/" + System.lastComponent($0) }
        let verifyTime = try await medianTime(executable) { _ in ["verify", "--at", "2027-06-01T00:00:00Z"] + signedPaths }
        let trust = try trustList(naming: key, issuer: issuer, in: folder)
        let trustedTime = try await medianTime(executable) { _ in
            ["verify", "--at", "2027-06-01T00:00:00Z", "--trust", trust.path, "--trust-anchor", trust.anchor, "--offline"]
                + signedPaths
        }
        let status = try statusCorpus(key: key, issuer: issuer, in: folder)
        let statusTime = try await medianTime(executable) { _ in
            ["verify", "--at", "2027-06-01T00:00:00Z", "--status-list", status.list, "--offline"] + status.paths
        }

        let cohort = try cohortFiles(in: folder)
        let cohortTime = try await medianTime(executable) { run in
            ["issue", "--key", keyPath, "--achievement", cohort.course, "--learners", cohort.csv,
             "--created", "2026-01-15T09:00:05Z", "--cryptosuite", "eddsa-jcs-2022", "--out", folder + "/cohort-\(run).jsonl"]
        }

        let after = try await opensslSpeed()
        let openssl = (sign: (reference.sign + after.sign) / 2, verify: (reference.verify + after.verify) / 2)
        try Terminal.write(format("  (reference again after these: sign %.0f/s, verify %.0f/s; ratios use the means, %.0f/s and %.0f/s)\n",
                              after.sign, after.verify, openssl.sign, openssl.verify))
        let linesRate = Double(files) / linesTime
        try Terminal.write(format("  mcred sign (JSON Lines):  %.3f s = %6.0f files/s = %.2f × openssl single-core sign/s\n",
                              linesTime, linesRate, linesRate / openssl.sign))
        let signRate = Double(files) / signTime
        try Terminal.write(format("  mcred sign --out-dir:     %.3f s = %6.0f files/s = %.2f × openssl single-core sign/s\n",
                              signTime, signRate, signRate / openssl.sign))
        let verifyRate = Double(files) / verifyTime
        try Terminal.write(format("  mcred verify:             %.3f s = %6.0f files/s = %.2f × openssl single-core verify/s\n",
                              verifyTime, verifyRate, verifyRate / openssl.verify))
        let statusRate = Double(files) / statusTime
        try Terminal.write(format("  mcred verify, one shared status list: %.3f s = %6.0f files/s = %.2f × openssl single-core verify/s"
                                  + " = %.3f × the rate without status\n",
                              statusTime, statusRate, statusRate / openssl.verify, statusRate / verifyRate))
        let cohortRate = Double(cohort.rows) / cohortTime
        try Terminal.write(format("  mcred issue --learners (eddsa-jcs-2022), %d CSV rows → JSON Lines: %.3f s = %6.0f credentials/s"
                                  + " = %.2f × openssl single-core sign/s\n",
                              cohort.rows, cohortTime, cohortRate, cohortRate / openssl.sign))
        let trustedRate = Double(files) / trustedTime
        try Terminal.write(format("  mcred verify --trust:     %.3f s = %6.0f files/s = %.2f × openssl single-core verify/s"
                                  + " = %.3f × the rate without --trust\n",
                              trustedTime, trustedRate, trustedRate / openssl.verify, trustedRate / verifyRate))
    }

    /// The example course and a LEARNERS.csv of 10,000 learners (e-mail addresses and student numbers, grades),
    /// written in `folder`.
    private func cohortFiles(in folder: String) throws -> (course: String, csv: String, rows: Int) {
        let rows = 10_000
        var text = "name,email,studentId,awardedDate,grade,gradeType\r\n"
        for index in 0..<rows {
            let name = BenchCorpus.learnerNames[index % BenchCorpus.learnerNames.count]
            let identifier = index % 3 == 0 ? ",S-\(100_000 + index)" : "learner\(index)@example.org,"
            text += "\"\(name)\",\(identifier),2025-06-30,\(["A", "B", "C"][index % 3]),LetterGrade\r\n"
        }
        let course = folder + "/course.json", csv = folder + "/cohort.csv"
        try Files.writeAtomically(Array(Demo.exampleCourse.utf8), to: course)
        try Files.writeAtomically(Array(text.utf8), to: csv)
        return (course, csv, rows)
    }

    /// The bench credentials with a revocation `BitstringStatusListEntry` each, all on one signed 131,072-entry
    /// list (none revoked, so every file verifies), written in `folder`; returns the
    /// credential paths and the `--status-list URL=FILE` value.
    private func statusCorpus(key: Ed25519PrivateKey, issuer: String, in folder: String) throws
        -> (paths: [String], list: String)
    {
        let url = "https://bench.example/status/1"
        let signer = try CredentialSigner(key: key)
        let created = DateTimeStamp("2026-01-15T09:00:05Z")!
        let statusFolder = folder + "/status"
        try System.createFolder(statusFolder)
        var paths: [String] = []
        for index in 0..<files {
            guard case .object(var credential) = BenchCorpus.credential(index, issuer: issuer) else { continue }
            credential["credentialStatus"] = .object(BitstringStatusListEntry(
                id: "\(url)#\(index)", statusPurpose: "revocation", statusListIndex: index * 37 % 131_072,
                statusListCredential: url).json)
            let path = statusFolder + "/credential-\(index).json"
            try Files.writeAtomically(JSONValue.object(try signer.sign(.object(credential), created: created)).serialized(pretty: true),
                                      to: path)
            paths.append(path)
        }
        let list = BitstringStatusListCredential.credential(
            id: url, issuer: issuer, purpose: "revocation", list: BitstringStatusList(), validFrom: created,
            validUntil: nil)
        let listPath = folder + "/status-list.json"
        try Files.writeAtomically(JSONValue.object(try signer.sign(.object(list), created: created)).serialized(pretty: true),
                                  to: listPath)
        return (paths, url + "=" + listPath)
    }

    /// A signed trust list that names `issuer` with `key`, written in `folder`, and its operator's did:key.
    private func trustList(naming key: Ed25519PrivateKey, issuer: String, in folder: String) throws
        -> (path: String, anchor: String)
    {
        let operatorSigner = try CredentialSigner(key: Ed25519PrivateKey())
        let list = TrustList(
            name: "bench registry", operatorID: operatorSigner.controller, entries: [
                TrustedAwardingBody(id: issuer, name: "Bench University", country: "NL", keys: [
                    TrustedKey(publicKey: key.publicKey, validFrom: DateTimeStamp("2026-01-01T00:00:00Z")!),
                ]),
            ])
        let signed = try operatorSigner.sign(.object(list.credential()), created: DateTimeStamp("2026-01-01T00:00:00Z"))
        let path = folder + "/trust-list.json"
        try Files.writeAtomically(JSONValue.object(signed).serialized(pretty: true), to: path)
        return (path, operatorSigner.controller)
    }

    // MARK: - mcred audit (--audit)

    /// Times `mcred audit` on 100,000 signed ~2 KB credentials in one JSON Lines file, as a ratio to openssl's
    /// single-core verify/s (measured just before and after, averaged), and compares its peak resident memory
    /// there with that on the first 10,000: the audit streams, so memory should not grow with the batch.
    /// Each audit is a separate process, and its peak memory is that process's own (`wait4`'s `ru_maxrss`).
    private func auditBenchmark(key: Ed25519PrivateKey, issuer: String, cores: Int) async throws {
        let folder = System.temporaryFolder + "/" + System.uniqueName("mcred-bench-audit-")
        try System.createFolder(folder)
        defer {
            if System.environment("MCRED_BENCH_KEEP") == nil { System.removeTree(folder) }
        }
        let count = 100_000, smallCount = 10_000
        try Terminal.write("\nmcred audit, one JSON Lines file of signed ~2 KB credentials (\(cores) cores)\n")
        let signer = try CredentialSigner(key: key)
        let created = DateTimeStamp("2026-01-15T09:00:05Z")!
        let largePath = folder + "/\(count).jsonl", smallPath = folder + "/\(smallCount).jsonl"
        let large = try OutputSink(atomicallyReplacing: largePath)
        let small = try OutputSink(atomicallyReplacing: smallPath)
        var bytes = 0
        for start in stride(from: 0, to: count, by: 1000) {
            let lines = await concurrentMap(1000) { offset -> [UInt8] in
                guard let signed = try? signer.sign(BenchCorpus.credential(start + offset, issuer: issuer), created: created)
                else { return [] }
                return JSONValue.object(signed).serialized() + [0x0A]
            }
            for (offset, line) in lines.enumerated() {
                guard !line.isEmpty else { throw InputError("bench: a credential could not be signed") }
                try large.write(line)
                if start + offset < smallCount { try small.write(line) }
                bytes += line.count
            }
        }
        try large.commit()
        try small.commit()
        try Terminal.write(format("  generated %d credentials, average %d bytes\n", count, bytes / count))
        let executable = try selfExecutable()
        let before = try await opensslSpeed()
        let arguments = ["audit", "--at", "2027-06-01T00:00:00Z", "--seed", "bench", "--format", "csv"]
        let smallRun = try measuredRun(executable, arguments + [smallPath])
        let largeRun = try measuredRun(executable, arguments + [largePath])
        let after = try await opensslSpeed()
        let verify = (before.verify + after.verify) / 2
        let rate = Double(count) / largeRun.seconds
        try Terminal.write(format("  openssl single-core verify: %.0f/s before, %.0f/s after, mean %.0f/s\n",
                                  before.verify, after.verify, verify))
        try Terminal.write(format("  mcred audit, %d credentials: %.2f s = %.0f credentials/s = %.2f × openssl single-core verify/s (target ≥ 1.6)\n",
                                  count, largeRun.seconds, rate, rate / verify))
        try Terminal.write(format("  mcred audit, %d credentials: %.2f s = %.0f credentials/s\n",
                                  smallCount, smallRun.seconds, Double(smallCount) / smallRun.seconds))
        try Terminal.write(format("  peak RSS: %.1f MB at %d, %.1f MB at %d = %.2f× (targets ≤ 1.2× and ≤ 100 MB)\n",
                                  Double(largeRun.maxRSSKiB) / 1024, count, Double(smallRun.maxRSSKiB) / 1024, smallCount,
                                  Double(largeRun.maxRSSKiB) / Double(max(1, smallRun.maxRSSKiB))))
    }

    /// Runs the executable once (output discarded) and returns its wall-clock seconds and its own peak
    /// resident set size in KiB, from `wait4` (which reports on that child alone, unlike
    /// `getrusage(RUSAGE_CHILDREN)`, whose figure is the largest of all children so far).
    private func measuredRun(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, maxRSSKiB: Int) {
        sync()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let start = clock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw InputError("bench: cannot run \(executable): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw InputError("bench: wait4 failed: \(System.lastError())") }
        }
        let elapsed = clock.now - start
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw InputError("bench: `mcred \(arguments[0])` failed (wait status \(status))")
        }
        let (wholeSeconds, attoseconds) = elapsed.components
        return (Double(wholeSeconds) + Double(attoseconds) / 1e18, Int(usage.ru_maxrss))
    }

    // MARK: - References and helpers

    /// Runs `openssl speed -seconds 2 ed25519` and reads its sign/s and verify/s.
    private func opensslSpeed() async throws -> (sign: Double, verify: Double) {
        let result = try await runProcess("openssl", ["speed", "-seconds", "2", "ed25519"])
        guard result.status == 0 else { throw InputError("`openssl speed ed25519` failed; is the openssl tool installed?") }
        for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") where line.contains("Ed25519") {
            let numbers = line.split(separator: " ").compactMap { Double($0) }
            if numbers.count >= 2 { return (numbers[numbers.count - 2], numbers[numbers.count - 1]) }
        }
        throw InputError("could not read the output of `openssl speed ed25519`")
    }

    /// Times Python's rfc8785 (json.loads + rfc8785.dumps) on the same documents; nil when not importable.
    private func pythonRFC8785(_ documents: [[UInt8]]) async throws -> Throughput? {
        let folder = System.temporaryFolder + "/" + System.uniqueName("mcred-bench-py-")
        try System.createFolder(folder)
        defer { System.removeTree(folder) }
        let corpus = folder + "/corpus.json"
        try Files.writeAtomically(JSONValue.array(documents.map { .string(String(decoding: $0, as: UTF8.self)) }).serialized(),
                                  to: corpus)
        let script = """
            import json, sys, time
            try:
                import rfc8785
            except ImportError:
                print("unavailable"); sys.exit(0)
            docs = [d.encode() for d in json.load(open(sys.argv[1], encoding="utf-8"))]
            for d in docs: rfc8785.dumps(json.loads(d))
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < float(sys.argv[2]):
                for d in docs: rfc8785.dumps(json.loads(d))
                n += len(docs)
            elapsed = time.perf_counter() - start
            size = sum(len(d) for d in docs) / len(docs)
            print(n / elapsed * size / 1e6, n / elapsed)
            """
        let result = try await runProcess("python3", ["-c", script, corpus, String(seconds)])
        let words = String(decoding: result.output, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard result.status == 0, words.count == 2, let megabytes = Double(words[0]), let documents = Double(words[1])
        else { return nil }
        return Throughput(megabytes: megabytes, documents: documents)
    }

    private func opensslVersion() async -> String {
        guard let result = try? await runProcess("openssl", ["version"]), result.status == 0 else {
            return "openssl tool not found"
        }
        return String(decoding: result.output, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    private func selfExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw InputError("bench: cannot find its own executable: \(System.lastError())") }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs a program to the end and returns its exit status and standard output (standard error discarded).
    private func runProcess(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: [UInt8]) {
        do {
            let result = try await Subprocess.run(
                Self.executable(executable), arguments: Arguments(arguments), output: .bytes(limit: 1 << 24),
                error: .discarded)
            return (Self.exitStatus(result.terminationStatus), result.standardOutput)
        } catch {
            throw InputError("bench: cannot run \(executable): \(error)")
        }
    }

    /// The median wall-clock seconds of five runs: as for the in-process figures, one run disturbed by another
    /// process does not decide the figure.
    private func medianTime(_ executable: String, arguments: (Int) -> [String]) async throws -> Double {
        var times: [Double] = []
        for run in 0..<5 { times.append(try await timeProcess(executable, arguments(run))) }
        return times.sorted()[2]
    }

    /// Wall-clock seconds of one run of the executable, output discarded; a failure is an error.
    private func timeProcess(_ executable: String, _ arguments: [String]) async throws -> Double {
        sync()  // let earlier file writes reach the disk first, so their write-back does not steal this run's CPU
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Subprocess.run(
            Self.executable(executable), arguments: Arguments(arguments), output: .discarded, error: .discarded)
        let elapsed = clock.now - start
        let status = Self.exitStatus(result.terminationStatus)
        guard status == 0 else {
            throw InputError("bench: `mcred \(arguments[0])` failed (exit status \(status))")
        }
        let (wholeSeconds, attoseconds) = elapsed.components
        return Double(wholeSeconds) + Double(attoseconds) / 1e18
    }

    /// A program by absolute path, or by name looked up on `PATH`.
    private static func executable(_ name: String) -> Executable {
        name.hasPrefix("/") ? .path(FilePath(name)) : .name(name)
    }

    /// The exit status, or 128 + the signal number when a signal ended the program (as shells report it).
    private static func exitStatus(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}

/// `printf`-style formatting of numbers, for the benchmark's tables.
private func format(_ format: String, _ arguments: any CVarArg...) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: 512)
        let length = Int(vsnprintf(&buffer, buffer.count, format, list))
        return String(decoding: buffer[..<min(max(length, 0), buffer.count - 1)].map { UInt8(bitPattern: $0) },
                      as: UTF8.self)
    }
}
