import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile
import StatusRegister

struct Demo: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Issue, lint, inspect and verify an example micro-credential, check its issuer on a trust list, revoke one, then show tampering detected.",
        discussion: """
            Runs the whole job on the example course and learner of spec/examples (built into the tool): issues \
            a signed Open Badges 3.0 micro-credential with the key, lints it, inspects it, verifies it, verifies \
            it again with the demo trust list (its issuer is a recognised awarding body there), shows a \
            credential from an issuer that is not on the list failing "Issuer trusted", issues a credential \
            recorded in a new register with Bitstring Status List entries, publishes the lists and shows it \
            passing "Revocation status", revokes it, publishes again and shows it failing as revoked, then \
            changes the notional workload from 5 to 50 ECTS and shows verification failing. Every step's \
            outcome is checked. \
            Files go to a temporary folder that is removed at the end, unless --keep names a folder \
            to write them to (course.json, learner.json, credential.json, credential-unlisted.json, \
            register.db, credential-registered.json, status/1, status/2, credential-tampered.json).

            Exit status: 0 every step behaved as expected, 1 a step did not, 2 the key or the trust list cannot \
            be read.

            Examples:
              swift run mcred demo
              mcred demo --key issuer.key.pem --passphrase-file pass.txt --keep demo-output
            """)

    @Option(help: ArgumentHelp("The issuer's private key (the public demo key by default).", valueName: "file"))
    var key = "keys-example/issuer.key.pem"

    @Option(help: ArgumentHelp("Passphrase of an encrypted key (first line of the file).", valueName: "file"))
    var passphraseFile: String?

    @Option(help: ArgumentHelp("The trust list to check the issuer on.", valueName: "list"))
    var trust = "keys-example/trust-list.json"

    @Option(help: ArgumentHelp("The trust list's operator: its public key file or DID.", valueName: "anchor"))
    var trustAnchor = "keys-example/registry.pub.pem"

    @Option(help: ArgumentHelp("Keep the files in this folder (created if needed).", valueName: "dir"))
    var keep: String?

    @Flag(help: "Never colour the output (it is coloured only on a terminal).")
    var noColor = false

    func validate() throws {
        try requireStandardInputOnce([key, passphraseFile])
    }

    func execute() async throws {
        let signer: CredentialSigner
        do {
            signer = try Files.signer(key, passphraseFile: passphraseFile)
        } catch let error as InputError where !System.exists(key) {
            throw InputError(error.description + "; run the demo from the repository root or pass --key FILE")
        }
        let folder = try outputFolder()
        defer {
            if keep == nil { System.removeTree(folder) }
        }
        var run = DemoRun(color: !noColor && Terminal.colorAllowed)
        try run.say("""
            mcred demo: an EU micro-credential from course to verified credential
            Key:   \(key) (\(signer.controller))
            Files: \(folder)\(keep == nil ? " (removed at the end; keep them with --keep DIR)" : "")

            """)
        let path = { (name: String) in folder + "/" + name }
        try Files.writeAtomically(Array(Self.exampleCourse.utf8), to: path("course.json"))
        try Files.writeAtomically(Array(Self.exampleLearner.utf8), to: path("learner.json"))

        try run.step("Issue", "mcred issue --key \(key) --achievement course.json --learner learner.json --out credential.json")
        let credential = try Issue.issue(
            course: ProfileCommandInput.json(path("course.json")), courseFile: path("course.json"),
            learner: ProfileCommandInput.json(path("learner.json")), learnerFile: path("learner.json"),
            signer: signer, id: nil, created: .now)
        try Files.writeAtomically(JSONValue.object(credential).serialized(pretty: true) + [0x0A], to: path("credential.json"))
        let model = MicroCredential(credential: credential)
        try run.say("  \(model.id ?? "?"): \"\(model.title ?? "?")\" for \(model.learner.identifiers.first?.identityHash ?? "?"), "
            + "signed by \(signer.controller)")
        let suites = (credential["proof"]?.arrayValue ?? []).compactMap { $0["cryptosuite"]?.stringValue }
        try run.check(suites == ["eddsa-jcs-2022", "eddsa-rdfc-2022"],
                      "credential.json written, with a proof set: eddsa-jcs-2022 and eddsa-rdfc-2022",
                      "the issued credential does not have the two proofs eddsa-jcs-2022 and eddsa-rdfc-2022")

        try run.step("Lint", "mcred lint credential.json")
        let lint = ProfileLinter.lint(try ProfileCommandInput.credential(path("credential.json")))
        try run.say(indented(Lint.text(lint)))
        try run.check(lint.findings.allSatisfy { $0.status == .pass }, "all 16 elements present and well-formed",
                  "the lint did not pass every element")

        try run.step("Inspect", "mcred inspect credential.json")
        let issued = try ProfileCommandInput.credential(path("credential.json"))
        let verifier = CredentialVerifier()
        let now = DateTimeStamp.now
        let inspection = CredentialInspection(credential: issued)
        let inspectReport = await verifier.verify(.object(issued), at: now)
        try run.say(indented(Inspect.text(inspection, credential: issued, report: inspectReport, name: "credential.json",
                                      color: run.color)))
        try run.check(inspection.elements.allSatisfy { $0.value != .missing && $0.value != .absent },
                  "every element has a value", "an element could not be shown")

        try run.step("Verify", "mcred verify credential.json")
        let report = await verifier.verify(try Files.read(path("credential.json")), at: now)
        try run.say(indented(ReportRendering.text(report, name: "credential.json", color: run.color)))
        try run.check(report.isValid, "the credential verifies", "the freshly issued credential does not verify")

        try run.step("Trust", "mcred verify --trust \(trust) --trust-anchor \(trustAnchor) credential.json")
        let list = try await trustList(at: now)
        let trusting = CredentialVerifier(trustEvaluator: TrustListEvaluator(lists: [list]))
        let trustedReport = await trusting.verify(try Files.read(path("credential.json")), at: now)
        try run.say(indented(ReportRendering.text(trustedReport, name: "credential.json", color: run.color)))
        if list.entry(for: signer.controller) != nil {
            try run.check(trustedReport.isValid && trustedReport.checks.contains { $0.kind == .trust && $0.status == .pass },
                          "the issuer is a recognised awarding body on «\(list.name)»",
                          "the issuer is on the trust list, but the credential did not verify as trusted")
        } else {
            try run.check(trustedReport.failures.map(\.kind) == [.trust],
                          "this key's issuer is not on «\(list.name)», so only \"Issuer trusted\" fails",
                          "an issuer missing from the trust list was not reported as untrusted")
        }

        try run.step("Unlisted issuer", "issue with a new key that no trust list names, then verify it with the list")
        let stranger = try CredentialSigner.withNewKey()
        let unlisted = try Issue.issue(
            course: ProfileCommandInput.json(path("course.json")), courseFile: path("course.json"),
            learner: ProfileCommandInput.json(path("learner.json")), learnerFile: path("learner.json"),
            signer: stranger, id: nil, created: now)
        try Files.writeAtomically(JSONValue.object(unlisted).serialized(pretty: true) + [0x0A],
                                  to: path("credential-unlisted.json"))
        let unlistedReport = await trusting.verify(try Files.read(path("credential-unlisted.json")), at: now)
        try run.say(indented(ReportRendering.text(unlistedReport, name: "credential-unlisted.json", color: run.color)))
        try run.check(unlistedReport.failures.map(\.kind) == [.trust],
                      "a genuine signature by an unlisted issuer fails only \"Issuer trusted\"",
                      "the unlisted issuer's credential was not reported as untrusted")

        try run.step("Status", "mcred register init register.db --status-base-url \(Self.statusBaseURL); "
            + "mcred issue … --register register.db --out credential-registered.json; mcred status publish …; "
            + "mcred verify --status-list …")
        let registerPath = path("register.db")
        for leftover in ["", "-wal", "-shm"] { System.removeTree(registerPath + leftover) }  // from an earlier --keep run
        let register = try SQLiteCredentialRegister.create(
            path: registerPath, settings: RegisterSettings(statusBaseURL: Self.statusBaseURL), at: now)
        var registered: JSONObject = [:]
        _ = try await register.issue(count: 1, at: now) { allocations in
            registered = try Issue.issue(
                course: ProfileCommandInput.json(path("course.json")), courseFile: path("course.json"),
                learner: ProfileCommandInput.json(path("learner.json")), learnerFile: path("learner.json"),
                signer: signer, id: nil, created: now, credentialStatus: allocations[0].credentialStatus)
            return [try IssuedCredential(signed: registered, allocation: allocations[0])]
        }
        let registeredID = registered["id"]?.stringValue ?? "?"
        try Files.writeAtomically(JSONValue.object(registered).serialized(pretty: true) + [0x0A],
                                  to: path("credential-registered.json"))
        let beforeReport = try await verifyingStatus(path("credential-registered.json"), register: register,
                                                     signer: signer, folder: folder, at: now, run: &run)
        try run.check(beforeReport.isValid && beforeReport.checks.contains { $0.kind == .status && $0.status == .pass },
                      "the published revocation list says the credential is in force",
                      "the registered credential did not pass its revocation status check")

        try run.step("Revoke", "mcred revoke --register register.db \(registeredID) --reason …; "
            + "mcred status publish …; mcred verify --status-list …")
        try register.changeStatus(of: [registeredID], .revoked, reason: "Demo: the grade was entered in error",
                                  at: now)
        let afterReport = try await verifyingStatus(path("credential-registered.json"), register: register,
                                                    signer: signer, folder: folder, at: now, run: &run)
        try run.check(afterReport.failures.map(\.kind) == [.status],
                      "after revocation and a new publication, only \"Revocation status\" fails: revoked",
                      "the revoked credential was not reported revoked")

        try run.step("Tamper", "change the notional workload from 5 to 50 ECTS, then mcred verify credential-tampered.json")
        let tampered = issued.settingProfileMember(["credentialSubject", "achievement", "creditsAvailable"], to: 50)
        try Files.writeAtomically(JSONValue.object(tampered).serialized(pretty: true) + [0x0A],
                                  to: path("credential-tampered.json"))
        let tamperedReport = await verifier.verify(try Files.read(path("credential-tampered.json")), at: now)
        try run.say(indented(ReportRendering.text(tamperedReport, name: "credential-tampered.json", color: run.color)))
        try run.check(tamperedReport.failures.contains { $0.kind == .signature },
                  "verification fails at the signature check, as it must",
                  "the tampered credential was not rejected by the signature check")

        if run.unexpected.isEmpty {
            try run.say("mcred demo: all \(run.stepCount) steps behaved as expected.")
        } else {
            try run.say("mcred demo: \(run.unexpected.count) of \(run.stepCount) steps did not behave as expected: "
                + run.unexpected.joined(separator: "; "))
            throw ExitStatus.negative
        }
    }

    /// The demo trust list, verified against its anchor.
    private func trustList(at time: DateTimeStamp) async throws -> TrustList {
        let anchor: TrustAnchor
        do {
            anchor = trustAnchor.hasPrefix("did:")
                ? .identifier(trustAnchor) : try TrustAnchor(publicKeyFile: Files.read(trustAnchor, limit: 1 << 20))
            return try await TrustList.verified(Files.read(trust), anchors: [anchor], verifier: CredentialVerifier(), at: time)
        } catch let error as TrustListError {
            throw InputError("\(trust): \(error)")
        } catch let error as InputError where !System.exists(trust) || !System.exists(trustAnchor) {
            throw InputError(error.description + "; run the demo from the repository root or pass --trust and --trust-anchor")
        }
    }

    /// Publishes the register's lists into `folder/status/` and verifies `file` against them, offline.
    private func verifyingStatus(
        _ file: String, register: SQLiteCredentialRegister, signer: CredentialSigner, folder: String,
        at time: DateTimeStamp, run: inout DemoRun
    ) async throws -> VerificationReport {
        let lists = try StatusPublish.signedLists(of: register, signer: signer, validFrom: time,
                                                  until: time.adding(seconds: 7 * 86_400))
        try System.createFolder(folder + "/status")
        try Files.writeAllAtomically(lists.map { (bytes: $0.bytes, path: folder + "/status/" + $0.name,
                                                  permissions: Files.publicFile) })
        try run.say("  published " + lists.map { "status/" + $0.name }.joined(separator: ", ")
            + " (the revocation and suspension lists of \(Self.statusBaseURL))")
        var verifier = CredentialVerifier()
        verifier.statusEvaluator = BitstringStatusEvaluator(
            loader: LocalDocuments(Dictionary(uniqueKeysWithValues: lists.map { ($0.url, $0.bytes) })),
            listVerifier: CredentialVerifier())
        let report = await verifier.verify(try Files.read(file), at: time)
        try run.say(indented(ReportRendering.text(report, name: String(file.split(separator: "/").last ?? ""), color: run.color)))
        return report
    }

    /// The demo register's status list base URL; the demo serves the lists from local files.
    static let statusBaseURL = "https://uniz.example/status"

    /// The `--keep` folder (created if needed), or a fresh temporary one.
    private func outputFolder() throws -> String {
        let folder = keep ?? System.temporaryFolder + "/" + System.uniqueName("mcred-demo-")
        try System.createFolder(folder)
        return folder
    }

    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
            .joined(separator: "\n").trimmingSuffixNewlines()
    }

    /// spec/examples/course.json without `$schema` (a test checks the two agree).
    static let exampleCourse = """
        {
          "id": "https://uniz.example/micro-credentials/digital-credentials-101",
          "title": "Designing and Issuing Digital Micro-Credentials",
          "description": "A short blended course on describing micro-credentials with the European standard elements and issuing them as signed Open Badges 3.0 credentials.",
          "learningOutcomes": [
            {
              "statement": "Describe a micro-credential with every mandatory element of Annex I of the Council Recommendation of 16 June 2022.",
              "escoSkill": "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",
              "title": "develop digital content"
            },
            {
              "statement": "Explain how learning outcomes, notional workload and level support the recognition of a micro-credential."
            },
            {
              "statement": "Review credential designs together with peers and agree on improvements.",
              "escoSkill": "http://data.europa.eu/esco/skill/326809fc-238d-40c2-881e-40042f7f2f0d",
              "title": "establish collaborative relations"
            }
          ],
          "workload": {
            "ects": 5,
            "hours": 125
          },
          "level": {
            "eqf": 5,
            "qfEhea": "short"
          },
          "assessment": {
            "type": "project",
            "description": "Design and issue a complete sample micro-credential; assessed against a published rubric."
          },
          "participation": {
            "mode": "blended",
            "description": "Six online sessions and one campus workshop."
          },
          "qualityAssurance": {
            "type": "internal-and-external",
            "description": "Approved under the university's programme approval procedure; the university is reviewed externally under the ESG.",
            "body": "Quality and Qualifications Ireland (QQI)"
          },
          "prerequisites": "Basic familiarity with JSON; no formal qualification required.",
          "stackability": {
            "type": "stackable",
            "towards": "Certificate in Digital Credentialing (20 ECTS)"
          },
          "furtherInformation": "https://uniz.example/micro-credentials/digital-credentials-101/info",
          "awardingBody": {
            "name": "University of Zed",
            "url": "https://uniz.example",
            "email": "credentials@uniz.example",
            "country": "IE",
            "region": "Dublin"
          },
          "additionalAwardingBodies": [
            {
              "id": "https://resa.example",
              "name": "Research Alliance",
              "country": "BE"
            }
          ]
        }

        """

    /// spec/examples/learner.json without `$schema` (a test checks the two agree).
    static let exampleLearner = """
        {
          "id": "did:example:ana-andromeda",
          "name": "Ana Andromeda",
          "identifier": {
            "type": "email",
            "value": "ana.andromeda@example.org",
            "hashed": true,
            "salt": "b7c1e2f0a9d84c3e"
          },
          "awardedDate": "2025-06-30",
          "grade": {
            "value": "B",
            "scale": "Letter grades A (highest) to E (lowest pass); F is a fail.",
            "resultType": "LetterGrade"
          },
          "supervision": {
            "type": "supervised-online-with-id",
            "identityVerified": true
          }
        }

        """
}

/// The demo's running narration and the steps that did not behave as expected.
private struct DemoRun {
    let color: Bool
    var stepCount = 0
    var unexpected: [String] = []

    func say(_ text: String) throws {
        try Terminal.write(text + "\n")
    }

    mutating func step(_ title: String, _ command: String) throws {
        stepCount += 1
        try say("Step \(stepCount). \(title): \(command)")
    }

    /// Reports the step's outcome: `ok: …` when `passed`, else `UNEXPECTED: …`.
    mutating func check(_ passed: Bool, _ success: String, _ failure: String) throws {
        if passed {
            try say("  " + ReportRendering.paint("ok", .green, color) + ": \(success)\n")
        } else {
            unexpected.append("step \(stepCount): \(failure)")
            try say("  " + ReportRendering.paint("UNEXPECTED", .red, color) + ": \(failure)\n")
        }
    }
}

extension JSONObject {
    /// A copy with the member at `path` (nested object names) set to `value`.
    fileprivate func settingProfileMember(_ path: [String], to value: JSONValue) -> JSONObject {
        var copy = self
        guard let name = path.first else { return copy }
        if path.count == 1 {
            copy[name] = value
        } else {
            copy[name] = .object((copy[name]?.objectValue ?? JSONObject()).settingProfileMember(Array(path.dropFirst()), to: value))
        }
        return copy
    }
}

extension String {
    fileprivate func trimmingSuffixNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
