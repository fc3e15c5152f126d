import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import StatusRegister

struct Sign: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Add an eddsa-jcs-2022 (or eddsa-rdfc-2022) Data Integrity proof to credentials.",
        discussion: """
            The key must belong to the credential's issuer: by default the proof's verification method is the \
            key's did:key, so the issuer must be that did:key. If the issuer has another identifier (e.g. \
            did:web), name its verification method with --verification-method; its part before '#' must be the \
            issuer. A credential that already has proofs gets a proof set.

            One file: the signed credential on standard output (indented), or in --out. Several files: one \
            signed credential per line (JSON Lines) in input order, or one file each in --out-dir. Nothing is \
            written unless every file signs. Files are signed in parallel on all cores.

            With --register, each credential (which must have an id, and neither a credentialStatus nor a proof) \
            gets a revocation and a suspension entry (credentialStatus, Bitstring Status List) from the register \
            and is recorded there before any signed file is written (spec/register.md).

            Examples:
              mcred sign --key keys-example/issuer.key.pem credential.json > signed.json
              mcred sign --key issuer.key.pem --passphrase-file pass.txt --out-dir signed/ batch/*.json
            """)

    @Option(help: ArgumentHelp("The issuer's private key (PKCS#8 PEM or DER).", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The proof's created time (default: now).", valueName: "datetime"))
    var created: DateTimeStamp?

    @Option(help: ArgumentHelp("The verification method URL (default: the key's did:key).", valueName: "url"))
    var verificationMethod: String?

    @Option(help: ArgumentHelp("The proof to add: eddsa-jcs-2022 (any VC), eddsa-rdfc-2022 (JSON-LD terms of the "
                               + "bundled contexts only) or both.", valueName: "suite"))
    var cryptosuite: CryptosuiteChoice = .jcs

    @Option(help: ArgumentHelp("Write the signed credential to this file (one input only).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Write each signed credential to this folder, under its input's name.",
                               valueName: "dir"))
    var outDir: String?

    @Flag(help: "Replace an --out file even if it is not JSON.")
    var force = false

    @Option(help: ArgumentHelp("Add status entries from this register and record each credential there.",
                               valueName: "register"))
    var register: String?

    @Argument(help: ArgumentHelp("Credential files, or '-' for standard input.", valueName: "file"))
    var listedFiles: [String] = []

    /// Every file argument, in order (see ``FileArguments``).
    var files: [String] { FileArguments.merged(listedFiles) }

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one credential file, or '-' for standard input.") }
        if out != nil && outDir != nil { throw ValidationError("Use --out or --out-dir, not both.") }
        if out != nil && files.count > 1 { throw ValidationError("--out takes one input; use --out-dir for several.") }
        try requireStandardInputOnce(files + [key, passphraseFile])
        if outDir != nil && files.contains("-") {
            throw ValidationError("--out-dir needs file names; standard input has none.")
        }
    }

    func execute() async throws {
        // The outputs must not replace the key or the passphrase, nor an --out file that is not a credential.
        let targets = out.map { [$0] } ?? outDir.map { folder in files.map { folder + "/" + System.lastComponent($0) } } ?? []
        try OutputChecks.refuseProtected(targets, key: key, passphraseFile: passphraseFile)
        if let out { try OutputChecks.refuseNonJSON(out, force: force) }
        let privateKey = try Files.signingKey(key, passphraseFile: passphraseFile)
        // Checks the verification method once, before any file is read.
        let signer = try CredentialSigner(key: privateKey, verificationMethod: verificationMethod)
        let created = created ?? .now
        let pretty = files.count == 1 && outDir == nil
        let inputs = files
        let suites = cryptosuite.suites
        if let register {
            let outputs = try await signRegistered(register, signer: signer, created: created, pretty: pretty)
            try write(outputs)
            return
        }
        let results: [Result<[UInt8], InputError>] = await concurrentMap(inputs.count) { index in
            do {
                let value = try parsedJSON(try Files.read(inputs[index]), name: Files.displayName(inputs[index]))
                let signed = try signer.sign(value, created: created, cryptosuites: suites)
                var output = JSONValue.object(signed).serialized(pretty: pretty)
                output.append(0x0A)
                return .success(output)
            } catch let error as InputError {
                return .failure(error)
            } catch {
                return .failure(InputError("\(Files.displayName(inputs[index])): \(commandLineMessage(error))"))
            }
        }
        let failures = results.compactMap { result -> InputError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        if let first = failures.first {
            let more = failures.count > 1 ? " (and \(failures.count - 1) more of \(files.count) files failed)" : ""
            throw InputError(first.description + more)
        }
        try write(results.map { try! $0.get() })
    }

    private func write(_ outputs: [[UInt8]]) throws {
        if let outDir {
            try writeEach(outputs, to: outDir)
        } else if let out {
            try Files.writeAtomically(outputs[0], to: out)
        } else {
            try Terminal.write(chunks: outputs)
        }
    }

    /// The first failure of a batch, with how many more files failed.
    private func firstFailure<T>(_ results: [Result<T, InputError>]) -> InputError? {
        let failures = results.compactMap { result -> InputError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        guard let first = failures.first else { return nil }
        let more = failures.count > 1 ? " (and \(failures.count - 1) more of \(files.count) files failed)" : ""
        return InputError(first.description + more)
    }

    /// Signs with the register's status entries: every file is read and checked (in parallel), then chunk by
    /// chunk the entries are allocated, the credentials signed (in parallel) and recorded in one transaction.
    /// Nothing is written before every chunk is recorded.
    private func signRegistered(
        _ register: String, signer: CredentialSigner, created: DateTimeStamp, pretty: Bool
    ) async throws -> [[UInt8]] {
        let store = try RegisterFiles.open(register)
        let inputs = files
        let suites = cryptosuite.suites
        let controller = signer.controller
        let checked: [Result<JSONObject, InputError>] = await concurrentMap(inputs.count) { index in
            let name = Files.displayName(inputs[index])
            do {
                let value = try parsedJSON(try Files.read(inputs[index]), name: name)
                guard case .object(let object) = value else {
                    return .failure(InputError("\(name): a credential is a JSON object; this is \(value.kindDescription)"))
                }
                if object["credentialStatus"] != nil {
                    return .failure(InputError("\(name): the credential already has a credentialStatus; --register "
                        + "adds the register's entries, so give it without one (or sign without --register)"))
                }
                if object["proof"] != nil {
                    return .failure(InputError("\(name): the credential already has a proof, which adding the "
                        + "register's credentialStatus would break; give it unsigned"))
                }
                guard let id = object["id"]?.stringValue, !id.isEmpty else {
                    return .failure(InputError("\(name): the credential has no id; the register records credentials by id"))
                }
                let issuer = object["issuer"]?.stringValue ?? object["issuer"]?.objectValue?["id"]?.stringValue
                if let issuer, issuer != controller {
                    return .failure(InputError("\(name): " + commandLineMessage(
                        SigningError.issuerMismatch(issuer: issuer, keyController: controller))))
                }
                return .success(object)
            } catch let error as InputError {
                return .failure(error)
            } catch {
                return .failure(InputError("\(name): \(commandLineMessage(error))"))
            }
        }
        if let failure = firstFailure(checked) { throw failure }
        let credentials = checked.map { try! $0.get() }
        var seen: [String: Int] = [:]
        for (index, credential) in credentials.enumerated() {
            let id = credential["id"]!.stringValue!
            if let earlier = seen[id] {
                throw InputError("\(Files.displayName(inputs[index])): its id \(printable(id)) is also the id of "
                    + "\(Files.displayName(inputs[earlier]))")
            }
            seen[id] = index
        }
        var outputs: [[UInt8]] = []
        outputs.reserveCapacity(credentials.count)
        let chunkSize = 1000
        for start in stride(from: 0, to: credentials.count, by: chunkSize) {
            let chunk = Array(credentials[start..<min(start + chunkSize, credentials.count)])
            var signedChunk: [[UInt8]] = []
            _ = try await store.issue(count: chunk.count, at: .now) { allocations in
                let results: [Result<([UInt8], IssuedCredential), InputError>] = await concurrentMap(chunk.count) { index in
                    do {
                        var credential = chunk[index]
                        credential["credentialStatus"] = allocations[index].credentialStatus
                        let signed = try signer.sign(.object(credential), created: created, cryptosuites: suites)
                        var output = JSONValue.object(signed).serialized(pretty: pretty)
                        output.append(0x0A)
                        return .success((output, try IssuedCredential(signed: signed, allocation: allocations[index])))
                    } catch {
                        return .failure(InputError("\(Files.displayName(inputs[start + index])): \(commandLineMessage(error))"))
                    }
                }
                if let failure = firstFailure(results) { throw failure }
                signedChunk = results.map { try! $0.get().0 }
                return results.map { try! $0.get().1 }
            }
            outputs += signedChunk
        }
        return outputs
    }

    private func writeEach(_ outputs: [[UInt8]], to folder: String) throws {
        let names = files.map(System.lastComponent)
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw InputError("two inputs are named \(name); --out-dir would write one over the other")
        }
        try System.createFolder(folder)
        let targets = names.map { folder + "/" + $0 }
        // All or nothing: a failure to write one file leaves every output as it was.
        try Files.writeAllAtomically(
            outputs.indices.map { (outputs[$0], targets[$0], Files.publicFile) }, durable: false)
    }
}
