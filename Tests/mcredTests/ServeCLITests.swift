import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `mcred serve` as a process: it prints where it listens, answers, logs one line per request, and stops on
/// SIGTERM with status 0; an address in use is one line and status 2; bad option values are usage errors.
@Suite struct ServeCLITests {
    @Test func servesLogsAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = try CLIHarness.binary()
        process.arguments = ["serve", "--port", "0", "--offline"]
        process.currentDirectoryURL = packageRoot()
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) },
                                "first line: \(line)")
        #expect(line.hasPrefix("listening on http://127.0.0.1:") && line.hasSuffix("/\n"))

        let credential = try Data(contentsOf: packageRoot().appendingPathComponent("spec/examples/credential-signed.json"))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/verify")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = credential
        let answer = try CLIHarness.fetch(request)
        #expect(answer.status == 200)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("\"valid\": true"))

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let requestLines = log.split(separator: "\n").filter { $0.contains("path=/v1/verify") }
        #expect(requestLines.count == 1)
        #expect(requestLines.first.map { $0.contains("method=POST") && $0.contains("status=200") && $0.contains("duration_ms=") } == true)
        #expect(!log.contains("urn:uuid") && !log.contains("credentialSubject"), "the log never holds credential content")
    }

    @Test func addressInUseIsOneLineAndStatus2() throws {
        let (listener, port) = try loopbackSocket(listening: true)
        defer { close(listener) }
        let result = try CLIHarness.mcred(["serve", "--port", String(port), "--offline"])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("mcred serve: cannot serve on 127.0.0.1 port \(port)"),
                "\(result.stderr)")
    }

    @Test(arguments: [
        ["--port", "70000"], ["--max-body", "10"], ["--read-timeout", "0"], ["--max-connections", "0"], ["--bogus"],
    ])
    func badOptionsAreUsageErrors(_ options: [String]) throws {
        let result = try CLIHarness.mcred(["serve"] + options)
        #expect(result.status == 64, "\(options): \(result.stderr)")
    }
}

extension CLIHarness {
    struct Answer {
        let status: Int
        let body: Data
    }

    /// One HTTP exchange with a server on this machine, waiting at most 30 seconds.
    static func fetch(_ request: URLRequest) throws -> Answer {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: Answer?
        nonisolated(unsafe) var failure: (any Error)?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let data, let response = response as? HTTPURLResponse {
                answer = Answer(status: response.statusCode, body: data)
            } else {
                failure = error
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw CocoaError(.fileReadUnknown) }
        if let failure { throw failure }
        return try #require(answer)
    }
}
