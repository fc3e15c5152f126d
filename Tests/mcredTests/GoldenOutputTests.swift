import Foundation
import TestSupport
import Testing

// Golden-output tests of the `mcred` command line.
//
// Every folder under `Tests/mcredTests/Golden/` (except `_inputs`, which holds the input files the
// cases name) is one case:
//
// | File           | Meaning |
// |----------------|---------|
// | `args.txt`     | the arguments after `mcred`, one per line (LF); `$TMP` stands for a fresh empty folder |
// | `stdin`        | optional: the bytes given on standard input (default: none) |
// | `stdout`       | the exact bytes expected on standard output |
// | `stderr`       | the exact bytes expected on standard error |
// | `status`       | the expected exit status, in decimal, then LF |
// | `files.txt`    | only for cases using `$TMP`: every regular file left in `$TMP`, as `MODE PATH` lines |
// | `files/`       | only for cases using `$TMP`: the expected bytes of each file of `files.txt` |
// | `random-keys`  | marker: the case makes a fresh random key, so its `z6Mk…` values are replaced by `z6Mk…` in outputs and file contents are not compared (keygen) |
//
// The binary runs in the package root (paths in arguments and outputs are relative to it), with
// `COLUMNS=80` and without `LINES` (swift-argument-parser wraps help text to the terminal width).
// The path of `$TMP` is written back as `$TMP` in standard output and standard error before comparing.
// Every case fixes what would otherwise depend on the clock or on random numbers (`--at`, `--created`,
// `--id`).
//
// The expected files were recorded from the code of the branch they were committed on. To add a
// case, make a folder with `args.txt` (and `stdin`), then record it; to re-record every case after a
// deliberate change of output (review the diff before committing it!):
//
//     swift build && MCRED_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests
//
// With `MCRED_UPDATE_GOLDEN=1` the cases rewrite `stdout`, `stderr`, `status`, `files.txt` and `files/`
// and compare nothing.

/// One golden case: a folder under `Golden/`, named in test output by its folder name.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    let name: String
    var testDescription: String { name }

    /// `Tests/mcredTests/Golden`, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["MCRED_UPDATE_GOLDEN"] == "1" }

    /// Every case folder, sorted by name.
    static func all() -> [GoldenCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }.sorted().map(GoldenCase.init(name:))
    }

    var folder: URL { Self.root.appendingPathComponent(name) }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }

    /// The arguments of `args.txt`, one per line.
    func arguments() throws -> [String] {
        let text = try String(contentsOf: file("args.txt"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    var usesTemporaryFolder: Bool { (try? arguments().contains { $0.contains("$TMP") }) ?? false }
    var randomKeys: Bool { exists("random-keys") }
}

/// What one run produced, normalised as described above.
struct GoldenOutcome: Equatable {
    var stdout: Data
    var stderr: Data
    var status: Int32
    /// `MODE PATH` lines of the files left in `$TMP` (empty if the case has no `$TMP`).
    var files: String
    /// The bytes of those files, by relative path (empty for `random-keys` cases).
    var contents: [String: Data]
}

enum Golden {
    /// Runs the case's command and normalises its output.
    static func run(_ goldenCase: GoldenCase) throws -> GoldenOutcome {
        let temporary = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let arguments = try goldenCase.arguments().map { $0.replacingOccurrences(of: "$TMP", with: temporary.path) }
        let stdin = goldenCase.exists("stdin") ? try Data(contentsOf: goldenCase.file("stdin")) : Data()
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "80"
        environment["LINES"] = nil
        let result = try TestSupport.run(
            [CLIHarness.binary().path] + arguments, in: packageRoot(), stdin: stdin, environment: environment)

        func normalise(_ data: Data) throws -> Data {
            var bytes = replace(Array(temporary.path.utf8), with: Array("$TMP".utf8), in: Array(data))
            if goldenCase.randomKeys {
                let text = String(decoding: bytes, as: UTF8.self)
                bytes = Array(text.replacing(try Regex("z6Mk[1-9A-HJ-NP-Za-km-z]+"), with: "z6Mk…").utf8)
            }
            return Data(bytes)
        }

        var files = "", contents: [String: Data] = [:]
        if goldenCase.usesTemporaryFolder {
            for path in try regularFiles(in: temporary) {
                let url = temporary.appendingPathComponent(path)
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
                files += String(format: "%04o", mode) + " " + path + "\n"
                if !goldenCase.randomKeys { contents[path] = try Data(contentsOf: url) }
            }
        }
        return GoldenOutcome(
            stdout: try normalise(result.stdout), stderr: try normalise(result.stderr), status: result.status,
            files: files, contents: contents)
    }

    /// The recorded outcome of a case.
    static func expected(_ goldenCase: GoldenCase) throws -> GoldenOutcome {
        func read(_ name: String) throws -> Data {
            try #require(goldenCase.exists(name), "\(goldenCase.name)/\(name) is missing; record it with MCRED_UPDATE_GOLDEN=1")
            return try Data(contentsOf: goldenCase.file(name))
        }
        let statusText = String(decoding: try read("status"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var files = "", contents: [String: Data] = [:]
        if goldenCase.usesTemporaryFolder {
            files = String(decoding: try read("files.txt"), as: UTF8.self)
            let folder = goldenCase.file("files")
            if !goldenCase.randomKeys, FileManager.default.fileExists(atPath: folder.path) {
                for path in try regularFiles(in: folder) {
                    contents[path] = try Data(contentsOf: folder.appendingPathComponent(path))
                }
            }
        }
        return GoldenOutcome(
            stdout: try read("stdout"), stderr: try read("stderr"), status: try #require(Int32(statusText)),
            files: files, contents: contents)
    }

    /// Rewrites the recorded outcome of a case.
    static func record(_ outcome: GoldenOutcome, for goldenCase: GoldenCase) throws {
        try outcome.stdout.write(to: goldenCase.file("stdout"))
        try outcome.stderr.write(to: goldenCase.file("stderr"))
        try Data("\(outcome.status)\n".utf8).write(to: goldenCase.file("status"))
        let folder = goldenCase.file("files")
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.removeItem(at: goldenCase.file("files.txt"))
        if goldenCase.usesTemporaryFolder {
            try Data(outcome.files.utf8).write(to: goldenCase.file("files.txt"))
            for (path, data) in outcome.contents {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }
    }

    /// Relative paths of the regular files under `folder`, sorted.
    static func regularFiles(in folder: URL) throws -> [String] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        return paths.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
    }

    /// `bytes` with every occurrence of `target` replaced by `replacement`.
    static func replace(_ target: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard !target.isEmpty else { return bytes }
        var result: [UInt8] = [], index = 0
        result.reserveCapacity(bytes.count)
        while index < bytes.count {
            if index + target.count <= bytes.count, bytes[index..<index + target.count].elementsEqual(target) {
                result += replacement
                index += target.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    /// A short description of where two outputs first differ.
    static func difference(_ actual: Data, _ expected: Data) -> String {
        let actualLines = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let a = index < actualLines.count ? String(actualLines[index]) : "<end>"
            let e = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            if a != e { return "line \(index + 1):\n  expected: \(e)\n  actual:   \(a)" }
        }
        return "same lines, different bytes (\(expected.count) expected, \(actual.count) actual)"
    }
}

@Suite("Golden output of the mcred command line (Tests/mcredTests/Golden)")
struct GoldenOutputTests {
    @Test("the golden cases are found")
    func casesFound() throws {
        let cases = GoldenCase.all()
        #expect(cases.count >= 90, "only \(cases.count) cases under \(GoldenCase.root.path)")
        for goldenCase in cases {
            #expect(goldenCase.exists("args.txt"), "\(goldenCase.name) has no args.txt")
        }
    }

    @Test("stdout, stderr, exit status and files written are exactly the recorded ones", arguments: GoldenCase.all())
    func golden(_ goldenCase: GoldenCase) throws {
        let actual = try Golden.run(goldenCase)
        if GoldenCase.updating {
            try Golden.record(actual, for: goldenCase)
            return
        }
        let expected = try Golden.expected(goldenCase)
        #expect(actual.status == expected.status, "exit status")
        #expect(actual.stdout == expected.stdout, "stdout differs at \(Golden.difference(actual.stdout, expected.stdout))")
        #expect(actual.stderr == expected.stderr, "stderr differs at \(Golden.difference(actual.stderr, expected.stderr))")
        #expect(actual.files == expected.files, "files written (MODE PATH)")
        #expect(actual.contents.keys.sorted() == expected.contents.keys.sorted(), "files compared")
        for (path, data) in expected.contents {
            let written = actual.contents[path] ?? Data()
            #expect(written == data, "\(path) differs at \(Golden.difference(written, data))")
        }
    }

    @Test(
        "options after the files give the same output as options before them",
        arguments: ["verify-multiple-json", "verify-two-valid-json"])
    func optionOrder(_ name: String) throws {
        let before = GoldenCase(name: name), after = GoldenCase(name: name + "-options-last")
        #expect(try before.arguments().sorted() == after.arguments().sorted(), "the two cases must differ only in order")
        #expect(try before.arguments() != after.arguments())
        let first = try Golden.run(before), second = try Golden.run(after)
        #expect(first == second)
        #expect(!first.stdout.isEmpty)
    }

    @Test("keygen: key show reads the written files back as the printed identifiers", arguments: [false, true])
    func keygenRoundTrip(encrypted: Bool) throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("issuer").path
        let passphrase = GoldenCase.root.appendingPathComponent("_inputs/passphrase.txt").path
        let passphraseArguments = encrypted ? ["--passphrase-file", passphrase] : []
        let keygen = try CLIHarness.mcred(["keygen", "--out", prefix] + passphraseArguments)
        #expect(keygen.status == 0)
        #expect(keygen.stderr == "")
        let lines = keygen.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == (encrypted ? 6 : 5))
        #expect(lines[3] == "privateKeyFile:     \(prefix).key.pem")
        #expect(lines[4] == "publicKeyFile:      \(prefix).pub.pem")
        if encrypted { #expect(lines[5] == "The private key is encrypted.") }
        let did = try #require(lines[0].split(separator: " ").last.map(String.init))
        let multikey = try #require(lines[2].split(separator: " ").last.map(String.init))
        #expect(did == "did:key:\(multikey)")
        #expect(lines[1] == "verificationMethod: \(did)#\(multikey)")

        for (file, keyType) in [("\(prefix).key.pem", "private"), ("\(prefix).pub.pem", "public")] {
            let show = try CLIHarness.mcred(["key", "show", file] + (keyType == "private" ? passphraseArguments : []))
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout == lines[0...2].joined(separator: "\n") + "\n"
                + "keyType:            \(keyType)\nfile:               \(file)\n")
        }
        let modes = try [".key.pem", ".pub.pem"].map {
            (try FileManager.default.attributesOfItem(atPath: prefix + $0)[.posixPermissions] as? NSNumber)?.intValue
        }
        #expect(modes == [0o600, 0o644])

        // A second keygen to the same prefix is refused and leaves the key as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem"))
        let again = try CLIHarness.mcred(["keygen", "--out", prefix])
        #expect(again.status == 2)
        #expect(again.stdout == "")
        #expect(again.stderr == "mcred keygen: \(prefix).key.pem already exists; use --force to replace it\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: prefix + ".key.pem")) == before)
    }
}
