import Foundation
import TestSupport
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
        Issue.record("the mcred executable was not found next to \(Bundle.main.bundleURL.path)")
        throw CocoaError(.fileNoSuchFile)
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    /// Runs `mcred arguments…` in `directory` (default: the repository root) with `stdin`.
    @discardableResult
    static func mcred(_ arguments: [String], in directory: URL? = nil, stdin: Data = Data()) throws -> Result {
        let result = try TestSupport.run([binary().path] + arguments, in: directory, stdin: stdin)
        return Result(status: result.status, stdout: result.output, stderr: result.errorOutput)
    }

    static func openssl(_ arguments: [String]) throws -> Result {
        let result = try TestSupport.run(["openssl"] + arguments)
        return Result(status: result.status, stdout: result.output, stderr: result.errorOutput)
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        try TestSupport.temporaryDirectory()
    }
}
