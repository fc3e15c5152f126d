import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile
import StatusRegister

struct Issue: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a signed EU micro-credential from a course description and a learner record.",
        discussion: """
            COURSE.json describes the micro-credential once (title, description, learning outcomes, workload, \
            level, assessment, participation, quality assurance, prerequisites, stackability, awarding bodies); \
            LEARNER.json names the learner and their result (identifier, name, date, grade, supervision). Both \
            are checked field by field (spec/microcredential-profile.md §7). The output is an Open Badges 3.0 \
            OpenBadgeCredential carrying all 16 elements of Annex I, whose issuer is the key's did:key, signed \
            with a proof set (the OB 3.0 JSON-LD schema requires an array): eddsa-jcs-2022 and eddsa-rdfc-2022 \
            by default, the second for Open Badges wallets and validators (--cryptosuite chooses).

            With --register, the credential gets a revocation and a suspension entry (credentialStatus, \
            Bitstring Status List) from the register, and is recorded there before it is written \
            (spec/register.md).

            A cohort: --learners LEARNERS.csv (RFC 4180, UTF-8, a header row; columns in spec/cli-profile.md \
            §2.2: name, email / studentId / did, awardedDate, grade, …) issues one credential per row, on all \
            cores, to --out-dir (learner-ROW.json each) or to --out as JSON Lines. Every row is checked first; \
            each problem is reported as LEARNERS.csv:ROW: column: reason, and nothing is written unless every \
            row is good — or, with --skip-invalid, the good rows are issued and the others listed. E-mail \
            addresses and student numbers are written only as salted hashes.

            Exit status: 0 issued, 2 bad input (one line on stderr names the file and field; with --learners, \
            one line per problem), 64 usage error.

            Examples:
              mcred issue --key keys-example/issuer.key.pem \\
                --achievement spec/examples/course.json \\
                --learner spec/examples/learner.json --out credential.json
              mcred issue --key issuer.key.pem --achievement course.json \\
                --learner learner.json --created 2025-06-30T00:00:00Z \\
                --id urn:uuid:df48b852-f65f-423a-b3d1-90105380e391
              mcred issue --key issuer.key.pem --achievement course.json \
                --learners cohort-2025.csv --register awards.db --out-dir issued/
            """)

    @Option(help: ArgumentHelp("The issuer's private key (PKCS#8 PEM or DER).", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The course: COURSE.json.", valueName: "file"))
    var achievement: String

    @Option(help: ArgumentHelp("The learner and their result: LEARNER.json.", valueName: "file"))
    var learner: String?

    @Option(help: ArgumentHelp("A cohort, one learner a row: LEARNERS.csv.", valueName: "file"))
    var learners: String?

    @Option(help: ArgumentHelp("Write the credential to this file instead of standard output (with --learners: "
                               + "all of them, as JSON Lines).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("With --learners: write one file per learner, learner-ROW.json, into this folder.",
                               valueName: "dir"))
    var outDir: String?

    @Flag(help: "With --learners: issue the good rows and list the others, instead of issuing nothing.")
    var skipInvalid = false

    @Flag(help: "Replace an --out file even if it is not JSON.")
    var force = false

    @Option(help: ArgumentHelp("The credential id (default: a fresh urn:uuid, random version 4).", valueName: "iri"))
    var id: String?

    @Option(help: ArgumentHelp("The proof's created time (default: now).", valueName: "datetime"))
    var created: DateTimeStamp?

    @Option(help: ArgumentHelp("Add status entries from this register and record the credential there.",
                               valueName: "register"))
    var register: String?

    @Option(help: ArgumentHelp("The proofs: both (eddsa-jcs-2022 and eddsa-rdfc-2022, a proof set), "
                               + "eddsa-jcs-2022 or eddsa-rdfc-2022.", valueName: "suite"))
    var cryptosuite: CryptosuiteChoice = .both

    func validate() throws {
        if let id, !MicroCredential.isValidIdentifier(id) {
            throw ValidationError("--id must be an absolute IRI such as urn:uuid:…, without spaces.")
        }
        switch (learner, learners) {
        case (nil, nil): throw ValidationError("Give the learner: --learner LEARNER.json, or --learners LEARNERS.csv.")
        case (_?, _?): throw ValidationError("Use --learner or --learners, not both.")
        case (_?, nil):
            if outDir != nil { throw ValidationError("--out-dir is for --learners; use --out for one credential.") }
            if skipInvalid { throw ValidationError("--skip-invalid is for --learners.") }
        case (nil, _?):
            if id != nil { throw ValidationError("--id names one credential; with --learners each gets a fresh id.") }
            if (out == nil) == (outDir == nil) {
                throw ValidationError("With --learners, give --out-dir DIR or --out FILE.jsonl (one of them).")
            }
        }
        try requireStandardInputOnce([key, passphraseFile, achievement, learner, learners])
    }

    func execute() async throws {
        if let learners {
            return try await CohortIssue(
                key: key, passphraseFile: passphraseFile, achievement: achievement, learners: learners, out: out,
                outDir: outDir, force: force, created: created, register: register, skipInvalid: skipInvalid,
                cryptosuites: cryptosuite.suites
            ).run()
        }
        let learner = learner!
        if let out {
            try OutputChecks.refuseProtected([out], key: key, passphraseFile: passphraseFile)
            try OutputChecks.refuseNonJSON(out, force: force)
        }
        let signer = try Files.signer(key, passphraseFile: passphraseFile)
        let course = try ProfileCommandInput.json(achievement)
        let learnerJSON = try ProfileCommandInput.json(learner)
        let created = created ?? .now
        var credential: JSONObject = [:]
        if let register {
            // Allocated, signed and recorded in the register before anything is written.
            _ = try await RegisterFiles.open(register).issue(count: 1, at: .now) { allocations in
                credential = try Self.issue(
                    course: course, courseFile: achievement, learner: learnerJSON, learnerFile: learner,
                    signer: signer, id: id, created: created, credentialStatus: allocations[0].credentialStatus,
                    cryptosuites: cryptosuite.suites)
                return [try IssuedCredential(signed: credential, allocation: allocations[0])]
            }
        } else {
            credential = try Self.issue(
                course: course, courseFile: achievement, learner: learnerJSON, learnerFile: learner,
                signer: signer, id: id, created: created, cryptosuites: cryptosuite.suites)
        }
        let bytes = JSONValue.object(credential).serialized(pretty: true) + [0x0A]
        if let out {
            try Files.writeAtomically(bytes, to: out)
        } else {
            try Terminal.write(bytes)
        }
    }

    /// Builds and signs the credential; bad input becomes an `InputError` naming the file and the field.
    static func issue(
        course: JSONValue, courseFile: String, learner: JSONValue, learnerFile: String, signer: CredentialSigner,
        id: String?, created: DateTimeStamp, credentialStatus: JSONValue? = nil,
        cryptosuites: [SigningCryptosuite] = CryptosuiteChoice.both.suites
    ) throws -> JSONObject {
        let description: CourseDescription
        let record: LearnerRecord
        do {
            description = try CourseDescription(json: course)
        } catch {
            throw InputError("\(Files.displayName(courseFile)): \(error.message)")
        }
        do {
            record = try LearnerRecord(json: learner)
        } catch {
            throw InputError("\(Files.displayName(learnerFile)): \(error.message)")
        }
        var generator = SystemRandomNumberGenerator()
        let model = MicroCredential(
            course: description, learner: record, issuer: signer.controller,
            credentialID: id ?? MicroCredential.randomCredentialID(using: &generator), using: &generator)
        var unsigned = model.unsignedCredential
        if let credentialStatus { unsigned["credentialStatus"] = credentialStatus }
        return try signer.sign(.object(unsigned), created: created, asProofSet: true, cryptosuites: cryptosuites)
    }
}

/// Reading the inputs of the profile commands (issue, lint, inspect, demo).
enum ProfileCommandInput {
    /// Reads and parses a JSON file.
    static func json(_ path: String) throws -> JSONValue {
        try parsedJSON(try Files.read(path), name: Files.displayName(path))
    }

    /// Reads a file that must hold one credential: a JSON object.
    static func credential(_ path: String) throws -> JSONObject {
        guard case .object(let object) = try json(path) else {
            throw InputError("\(Files.displayName(path)) is not a credential: a credential is a JSON object")
        }
        return object
    }
}
