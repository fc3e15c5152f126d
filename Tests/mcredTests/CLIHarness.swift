import Foundation
import Testing

/// Runs the `mcred` executable that `swift build` put next to the test bundle.
enum CLIHarness {
    /// The built `mcred` binary.
    static func binary() throws -> URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("mcred")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let root = packageRoot()
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/mcred")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        Issue.record("the mcred executable was not found next to \(Bundle.main.bundleURL.path)")
        throw CocoaError(.fileNoSuchFile)
    }

    /// The repository root, from this file's path.
    static func packageRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    /// Runs `mcred arguments…` in `directory` with `stdin`, returning its status and output.
    @discardableResult
    static func mcred(_ arguments: [String], in directory: URL? = nil, stdin: Data = Data()) throws -> Result {
        try run(binary(), arguments, in: directory, stdin: stdin)
    }

    /// Runs any program (looked up on PATH when `program` has no slash).
    static func run(_ program: URL, _ arguments: [String], in directory: URL? = nil, stdin: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot()
        let output = Pipe(), error = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = output.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = error.fileHandleForReading.readDataToEndOfFile() }
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static func openssl(_ arguments: [String]) throws -> Result {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments)
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mcred-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
