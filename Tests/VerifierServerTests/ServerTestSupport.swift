import CanonicalJSON
import DataIntegrity
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MicroCredentials
import NIOCore
import TestSupport
import Testing
import VerifierServer

/// The signed example credential (both proofs, did:key issuer, no status list): valid offline.
func exampleCredential() throws -> [UInt8] {
    Array(try Data(contentsOf: packageRoot().appendingPathComponent("spec/examples/credential-signed.json")))
}

/// The example with its learner's achievement renamed after signing: both proofs fail.
func tamperedCredential() throws -> [UInt8] {
    guard case .object(var credential) = try JSONValue(parsing: exampleCredential()),
          case .object(var subject)? = credential["credentialSubject"],
          case .object(var achievement)? = subject["achievement"]
    else { throw TestFailure("the example credential has no achievement") }
    achievement["name"] = "Advanced Brain Surgery"
    subject["achievement"] = .object(achievement)
    credential["credentialSubject"] = .object(subject)
    return JSONValue.object(credential).serialized(pretty: true)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A server over the default offline verifier (did:key, both eddsa cryptosuites), logging nowhere.
func makeServer(_ configuration: VerifierServer.Configuration = .init(port: 0)) -> VerifierServer {
    VerifierServer(
        verifier: CredentialVerifier(resolvers: ResolverRegistry([DIDKeyResolver()])), configuration: configuration,
        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
}

/// Runs `body` with `server` listening on a free loopback port, then stops the server.
func withLiveServer<T: Sendable>(
    _ server: VerifierServer, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let application = server.application { port in continuation.yield(port) }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await application.runService(gracefulShutdownSignals: [])
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        let result = try await body(port)
        group.cancelAll()
        while let _ = try await group.next() {}
        return result
    }
}

/// Records responses to check them against `spec/openapi.yaml` with `spec/tools/check_openapi.py`.
actor ResponseRecorder {
    private var records: [JSONValue] = []

    func record(method: HTTPRequest.Method, path: String, _ response: TestResponse) {
        records.append([
            "method": .string(method.rawValue), "path": .string(path), "status": .number(Double(response.status.code)),
            "contentType": .string(response.headers[.contentType] ?? ""),
            "body": .string(String(decoding: response.body.readableBytesView, as: UTF8.self)),
        ])
    }

    /// Runs the checker over everything recorded; its problems, one a line, or "" when all conform.
    func problems() throws -> (count: Int, problems: String, status: Int32) {
        let file = try temporaryDirectory().appendingPathComponent("responses.json")
        try Data(JSONValue.array(records).serialized()).write(to: file)
        let result = try run(["python3", "spec/tools/check_openapi.py", file.path])
        return (records.count, result.output + result.errorOutput, result.status)
    }
}

extension TestClientProtocol {
    /// POSTs `body` with a Content-Type, recording the answer.
    func post(
        _ uri: String, _ body: [UInt8], contentType: String? = "application/json", recorder: ResponseRecorder? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        let response = try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        await recorder?.record(method: .post, path: String(uri.prefix { $0 != "?" }), response)
        return response
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func json() throws -> JSONObject {
        guard case .object(let object) = try JSONValue(parsing: Array(body.readableBytesView)) else {
            throw TestFailure("the body is not a JSON object")
        }
        return object
    }
}
