import AsyncHTTPClient
import CanonicalJSON
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import VerifierServer

/// The page in a real browser: headless Chromium driven through chromedriver's W3C WebDriver API. Screenshots of
/// each state are written to `.build/screenshots/` (or `$MCRED_SCREENSHOTS`). Without chromedriver the test is
/// skipped, except when `MCRED_REQUIRE_BROWSER` is 1 or `CI` is true (`.ci/run` installs chromedriver and sets the
/// former), where its absence is a failure.
@Suite struct BrowserTests {
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let required = ProcessInfo.processInfo.environment["MCRED_REQUIRE_BROWSER"] == "1"
        || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: chromedriver != nil || required, "chromedriver is not installed (apt-get install chromium-driver)"))
    func pageShowsValidTamperedAndNotJSON() async throws {
        let driverPath = try #require(Self.chromedriver, "chromedriver is required under CI")
        let folder = try temporaryDirectory()
        let valid = folder.appendingPathComponent("credential-signed.json")
        try Data(exampleCredential()).write(to: valid)
        let tampered = folder.appendingPathComponent("credential-tampered.json")
        try Data(tamperedCredential()).write(to: tampered)
        let screenshots = ProcessInfo.processInfo.environment["MCRED_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot().appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)

        try await withLiveServer(makeServer()) { port in
            try await WebDriver.withSession(driver: driverPath, profile: folder.appendingPathComponent("profile")) { browser in
                try await browser.open("http://127.0.0.1:\(port)/")
                #expect(try await browser.text("#status") == "No credential checked yet.")

                // 1. The signed example: VALID, and the EU title shown.
                try await browser.type(valid.path, into: "#file")
                let verdict = try await browser.waitForText("#verdict") { !$0.isEmpty }
                #expect(verdict == "Verdict: VALID")
                #expect(try await browser.text("#elements").contains("Designing and Issuing Digital Micro-Credentials"))
                #expect(try await browser.text("#checks").contains("Signature"))
                let reason = try await browser.text("#reason")  // no trust list given: trust is indeterminate
                #expect(reason.hasPrefix("Could not be checked here:") && reason.contains("Issuer trusted"), "\(reason)")
                try await browser.screenshot(to: screenshots.appendingPathComponent("1-valid.png"))

                // 2. A tampered copy: INVALID, the failing signature check named.
                try await browser.type(tampered.path, into: "#file")
                let invalid = try await browser.waitForText("#verdict") { $0 != verdict }
                #expect(invalid == "Verdict: INVALID")
                let checks = try await browser.text("#checks")
                #expect(checks.contains("fail") && checks.contains("Signature"))
                #expect(try await browser.text("#reason") == "Failed: Signature.")
                try await browser.screenshot(to: screenshots.appendingPathComponent("2-tampered.png"))

                // 3. Pasted text that is not JSON: a readable error, no verdict.
                try await browser.type("this is not JSON", into: "#paste")
                try await browser.click("#verify-pasted")
                let error = try await browser.waitForText("#error") { !$0.isEmpty }
                #expect(error.contains("not valid JSON"))
                #expect(try await browser.text("#verdict").isEmpty, "the report is hidden")
                try await browser.screenshot(to: screenshots.appendingPathComponent("3-not-json.png"))
            }
        }
        for name in ["1-valid.png", "2-tampered.png", "3-not-json.png"] {
            let png = try Data(contentsOf: screenshots.appendingPathComponent(name))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(name)")
        }
    }
}

/// A minimal W3C WebDriver client over chromedriver's HTTP API.
struct WebDriver {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"
    let client: HTTPClient
    let base: String

    /// Starts chromedriver on a free port, opens a headless Chromium session, runs `body`, and ends both.
    static func withSession(
        driver: String, profile: URL, _ body: (WebDriver) async throws -> Void
    ) async throws {
        let (process, port) = try await startDriver(driver)
        // chromedriver may inherit an ignored SIGTERM from the test runner: end it with SIGKILL.
        defer { kill(process.processIdentifier, SIGKILL) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let root = WebDriver(client: client, base: "http://127.0.0.1:\(port)")
            let created = try await root.send("POST", "/session", [
                "capabilities": ["alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=900,1400", .string("--user-data-dir=\(profile.path)"),
                        ],
                    ],
                ]],
            ])
            let session = try #require(created["value"]?["sessionId"]?.stringValue)
            let browser = WebDriver(client: client, base: root.base + "/session/" + session)
            do {
                try await body(browser)
                _ = try? await browser.send("DELETE", "", nil)
            } catch {
                _ = try? await browser.send("DELETE", "", nil)
                throw error
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Runs chromedriver on a port that was free a moment ago. `--port=0` is not used: chromedriver then binds IPv6
    /// first and exits when another process holds the same port number on IPv4 ("IPv4 port not available"), which
    /// parallel tests' loopback servers make likely. A port taken between the check and the start is retried.
    private static func startDriver(_ driver: String) async throws -> (Process, Int) {
        var attempts: [String] = []
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: driver)
            process.arguments = ["--port=\(port)"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = await startupOutput(output.fileHandleForReading)
            if text.contains("started successfully") { return (process, port) }
            kill(process.processIdentifier, SIGKILL)
            attempts.append("port \(port): \(text)")
        }
        throw TestFailure("chromedriver did not start: \(attempts.joined(separator: " | "))")
    }

    /// chromedriver's output up to its "started successfully" line, or all of it if it exits first (20 s at most).
    private static func startupOutput(_ output: FileHandle) async -> String {
        var text = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !text.contains("started successfully") {
            let data = output.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// A TCP port on 127.0.0.1 that nothing is bound to: the kernel picks one for a socket that is then closed.
    private static func freeLoopbackPort() throws -> Int {
        let (descriptor, port) = try loopbackSocket(listening: false)
        close(descriptor)
        return port
    }

    func open(_ url: String) async throws {
        _ = try await send("POST", "/url", ["url": .string(url)])
    }

    func element(_ selector: String) async throws -> String {
        let found = try await send("POST", "/element", ["using": "css selector", "value": .string(selector)])
        return try #require(found["value"]?[Self.elementKey]?.stringValue, "no element \(selector)")
    }

    func type(_ text: String, into selector: String) async throws {
        let id = try await element(selector)
        _ = try await send("POST", "/element/\(id)/value", ["text": .string(text)])
    }

    func click(_ selector: String) async throws {
        let id = try await element(selector)
        _ = try await send("POST", "/element/\(id)/click", [:])
    }

    /// The element's rendered text ("" when hidden).
    func text(_ selector: String) async throws -> String {
        let id = try await element(selector)
        return try await send("GET", "/element/\(id)/text", nil)["value"]?.stringValue ?? ""
    }

    /// Polls the element's text until `done` accepts it, for up to 15 seconds.
    func waitForText(_ selector: String, until done: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(15)
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await text(selector)
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(selector) still reads \"\(last)\"")
    }

    func screenshot(to file: URL) async throws {
        let encoded = try #require(try await send("GET", "/screenshot", nil)["value"]?.stringValue)
        try #require(Data(base64Encoded: encoded)).write(to: file)
    }

    /// One WebDriver command; its JSON answer, or an error carrying WebDriver's message.
    func send(_ method: String, _ path: String, _ body: JSONValue?) async throws -> JSONObject {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        guard case .object(let object) = try JSONValue(parsing: Array(bytes.readableBytesView)) else {
            throw TestFailure("WebDriver \(method) \(path): the answer is not a JSON object")
        }
        guard response.status.code < 300 else {
            throw TestFailure("WebDriver \(method) \(path): \(response.status.code) \(object["value"]?["message"]?.stringValue ?? "")")
        }
        return object
    }
}
