import CanonicalJSON
import Ed25519OpenSSL
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VerifierServer

/// The HTTP API of `spec/openapi.yaml`, through HummingbirdTesting; every answer is also checked against the
/// OpenAPI document.
@Suite struct VerifierAPITests {
    @Test func answersMatchTheOpenAPIDocument() async throws {
        let recorder = ResponseRecorder()
        let application = makeServer(.init(port: 0, maximumBodyBytes: 64 * 1024)).application()
        try await application.test(.router) { client in
            let valid = try exampleCredential()
            let tampered = try tamperedCredential()

            // Valid: 200, the verify report with one valid result, both proofs' signatures passing.
            let report = try await client.post("/v1/verify", valid, recorder: recorder)
            #expect(report.status == .ok)
            let validReport = try report.json()
            #expect(validReport["valid"] == true)
            let result = try #require(validReport["results"]?.arrayValue?.first?.objectValue)
            #expect(result["outcome"] == "valid")
            let signatures = result["checks"]?.arrayValue?.filter { $0["id"] == "signature" } ?? []
            #expect(signatures.count == 2 && signatures.allSatisfy { $0["status"] == "pass" })

            // The same for each credential media type, with parameters.
            for type in ["application/vc", "application/ld+json", "application/json; charset=utf-8"] {
                let answer = try await client.post("/v1/verify", valid, contentType: type, recorder: recorder)
                #expect(answer.status == .ok, "\(type)")
            }

            // Tampered: still 200, invalid, the signature check named.
            let invalid = try await client.post("/v1/verify", tampered, recorder: recorder)
            #expect(invalid.status == .ok)
            let invalidReport = try invalid.json()
            #expect(invalidReport["valid"] == false)
            let failed = invalidReport["results"]?[0]?["checks"]?.arrayValue?.filter { $0["status"] == "fail" } ?? []
            #expect(failed.contains { $0["id"] == "signature" })

            // ?at= before validFrom: the validity period fails; a bad at= is a 400.
            let early = try await client.post("/v1/verify?at=2020-01-01T00:00:00Z", valid, recorder: recorder)
            #expect(try early.json()["verifiedAt"] == "2020-01-01T00:00:00Z")
            #expect(try early.json()["results"]?[0]?["checks"]?.arrayValue?.contains {
                $0["id"] == "validity-period" && $0["status"] == "fail"
            } == true)
            let badTime = try await client.post("/v1/verify?at=yesterday", valid, recorder: recorder)
            #expect(badTime.status == .badRequest)

            // Not JSON: 400 problem details naming the parse error.
            let notJSON = try await client.post("/v1/verify", Array("{\"a\": ".utf8), recorder: recorder)
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.headers[.contentType] == "application/problem+json")
            #expect(try notJSON.json()["detail"]?.stringValue?.contains("not valid JSON") == true)

            // Too big: 413, whether the length is declared or not.
            let big = [UInt8](repeating: 0x20, count: 64 * 1024 + 1)
            let tooBig = try await client.post("/v1/verify", big, recorder: recorder)
            #expect(tooBig.status == .contentTooLarge)

            // Wrong or missing type: 415.
            #expect(try await client.post("/v1/verify", valid, contentType: "text/plain", recorder: recorder).status
                == .unsupportedMediaType)
            #expect(try await client.post("/v1/verify", valid, contentType: nil, recorder: recorder).status
                == .unsupportedMediaType)

            // Wrong method: 405 with Allow; unknown path: 404.
            for (method, path) in [(HTTPRequest.Method.get, "/v1/verify"), (.put, "/v1/verify"), (.get, "/v1/inspect"),
                                   (.delete, "/"), (.post, "/healthz")] {
                let answer = try await client.execute(uri: path, method: method)
                await recorder.record(method: method, path: path, answer)
                #expect(answer.status == .methodNotAllowed, "\(method) \(path)")
                #expect(answer.headers[.allow] != nil)
            }
            let missing = try await client.execute(uri: "/v2/verify", method: .get)
            await recorder.record(method: .get, path: "/v2/verify", missing)
            #expect(missing.status == .notFound)

            // Inspect: the 16 EU elements, the title among them, and the verification report.
            let inspection = try await client.post("/v1/inspect", valid, recorder: recorder)
            #expect(inspection.status == .ok)
            let elements = try #require(try inspection.json()["elements"]?.arrayValue)
            #expect(elements.count == 16)
            #expect(elements.contains {
                $0["name"] == "Title of the micro-credential" && $0["value"] == "Designing and Issuing Digital Micro-Credentials"
            })
            #expect(try inspection.json()["verification"]?["outcome"] == "valid")
            let notObject = try await client.post("/v1/inspect", Array("[1, 2]".utf8), recorder: recorder)
            #expect(notObject.status == .badRequest)

            // Health and the page.
            let health = try await client.execute(uri: "/healthz", method: .get)
            await recorder.record(method: .get, path: "/healthz", health)
            #expect(try health.json()["status"] == "ok")
            let page = try await client.execute(uri: "/", method: .get)
            await recorder.record(method: .get, path: "/", page)
            #expect(page.status == .ok)
        }
        let (count, problems, status) = try await recorder.problems()
        #expect(count == 21)
        #expect(status == 0, "\(problems)")
    }

    /// The page runs only its own inline script and style: the policy names their SHA-256 and nothing else.
    @Test func pageIsSelfContainedUnderItsContentSecurityPolicy() async throws {
        try await makeServer().application().test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            let html = String(decoding: page.body.readableBytesView, as: UTF8.self)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            func inline(_ tag: String) throws -> String {
                let start = try #require(html.range(of: "<\(tag)>"))
                let end = try #require(html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex))
                return String(html[start.upperBound..<end.lowerBound])
            }
            for (tag, directive) in [("script", "script-src"), ("style", "style-src")] {
                let digest = Data(SHA256.hash(Array(try inline(tag).utf8))).base64EncodedString()
                #expect(policy.contains("\(directive) 'sha256-\(digest)'"), "\(tag)")
            }
            #expect(policy.contains("default-src 'none'"))
            #expect(!html.contains("http://") && !html.contains("https://"), "nothing is loaded from elsewhere")
            #expect(html.contains("<label for=\"file\"") && html.contains("<label for=\"paste\""))
            #expect(html.contains("aria-live=\"polite\"") && html.contains("name=\"viewport\""))
        }
    }
}
