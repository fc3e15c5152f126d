import CanonicalJSON
import DataIntegrity
import Hummingbird
import Logging
import MicroCredentialProfile
import MicroCredentials
import NIOCore

/// Answers every request: the routes of `spec/openapi.yaml`, RFC 9457 problem details for everything else, and one
/// log line per request.
struct VerifierResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The media types a credential may be posted as.
    static let credentialMediaTypes: Set<String> = ["application/json", "application/vc", "application/ld+json"]
    /// The methods each path answers; any other method is answered 405.
    static let routes: [String: [HTTPRequest.Method]] = [
        "/": [.get, .head], "/healthz": [.get, .head], "/v1/verify": [.post], "/v1/inspect": [.post],
    ]

    let verifier: CredentialVerifier
    let maximumBodyBytes: Int
    let limiter: ConcurrencyLimiter
    let logger: Logger
    let page = VerifierPage()

    func respond(to request: Request, context: Context) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await route(request)
        } catch let problem as Problem {
            response = problem.response
        } catch is NIOTooManyBytesError {
            response = Problem.bodyTooLarge(maximumBodyBytes).response
        } catch {
            // The body could not be read: the client went away or was cut off by the read time-out.
            response = Problem(.badRequest, detail: "The request body could not be read: \(error)").response
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        ])
        return response
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        guard let methods = Self.routes[path] else { throw Problem(.notFound, detail: "There is nothing at \(path).") }
        guard methods.contains(request.method) else {
            var problem = Problem(
                .methodNotAllowed,
                detail: "\(path) answers \(methods.map(\.rawValue).joined(separator: " and ")), not \(request.method.rawValue).")
            problem.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            throw problem
        }
        switch path {
        case "/": return page.response(headOnly: request.method == .head)
        case "/healthz": return Self.json(["status": "ok"])
        case "/v1/verify": return try await verify(request)
        default: return try await inspect(request)
        }
    }

    /// `POST /v1/verify`: the report of `mcred verify --format json` for the one credential in the body.
    private func verify(_ request: Request) async throws -> Response {
        let time = try Self.time(request)
        return try await limiter.withPermit {
            let bytes = try await body(of: request)
            let report = await verifier.verify(bytes, at: time)
            if let json = report.checks.first, json.kind == .json, json.status == .fail {
                throw Problem(.badRequest, detail: "The body is \(json.message)")
            }
            return Self.json([
                "valid": .bool(report.isValid), "verifiedAt": .string(time.text),
                "results": [.object(report.jsonObject(file: "-"))],
            ])
        }
    }

    /// `POST /v1/inspect`: the 16 EU elements, the profile lint and the verification report, as
    /// `mcred inspect --format json` writes them.
    private func inspect(_ request: Request) async throws -> Response {
        let time = try Self.time(request)
        return try await limiter.withPermit {
            let bytes = try await body(of: request)
            let credential: JSONObject
            do {
                guard case .object(let object) = try JSONValue(parsing: bytes) else {
                    throw Problem(.badRequest, detail: "The body is JSON but not a JSON object: a credential is an object.")
                }
                credential = object
            } catch let error as JSONParseError {
                throw Problem(.badRequest, detail: "The body is not valid JSON: \(error)")
            }
            let report = await verifier.verify(.object(credential), at: time)
            let inspection = CredentialInspection(credential: credential)
            return Self.json(.object(inspection.jsonObject(verification: report.jsonObject(file: "-"), file: "-")))
        }
    }

    /// The request body, after its media type and declared length are checked.
    private func body(of request: Request) async throws -> [UInt8] {
        let declared = request.headers[.contentType] ?? ""
        let mediaType = declared.split(separator: ";", maxSplits: 1).first.map {
            $0.filter { $0 != " " && $0 != "\t" }.lowercased()
        } ?? ""
        guard Self.credentialMediaTypes.contains(mediaType) else {
            let given = declared.isEmpty ? "no Content-Type" : "Content-Type \(declared)"
            throw Problem(
                .unsupportedMediaType,
                detail: "Send the credential as application/json, application/vc or application/ld+json, not \(given).")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBodyBytes {
            throw Problem.bodyTooLarge(maximumBodyBytes)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBodyBytes)
        return Array(buffer.readableBytesView)
    }

    /// The `at` query parameter, or now.
    private static func time(_ request: Request) throws -> DateTimeStamp {
        guard let text = request.uri.queryParameters.get("at") else { return .now }
        guard let time = DateTimeStamp(text) else {
            throw Problem(.badRequest, detail: "at=\(text) is not a date-time such as 2030-01-01T00:00:00Z.")
        }
        return time
    }

    /// A 200 JSON response that no cache keeps.
    static func json(_ value: JSONValue) -> Response {
        json(value, status: .ok, mediaType: "application/json")
    }

    /// A JSON response, indented as the CLI writes it, that no cache keeps.
    static func json(
        _ value: JSONValue, status: HTTPResponse.Status, mediaType: String, headers: HTTPFields = HTTPFields()
    ) -> Response {
        var headers = headers
        headers[.contentType] = mediaType
        headers[.cacheControl] = "no-store"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serialized(pretty: true) + [0x0A])))
    }
}
