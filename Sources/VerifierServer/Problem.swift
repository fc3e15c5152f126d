import CanonicalJSON
import Hummingbird

/// An error answer as RFC 9457 problem details (`application/problem+json`): `type` is `about:blank`, so `title` is
/// the status's reason phrase and `detail` says what was wrong with this request and what to do.
struct Problem: Error {
    let status: HTTPResponse.Status
    let detail: String
    /// Extra header fields, such as `Allow` on a 405.
    var headers = HTTPFields()

    init(_ status: HTTPResponse.Status, detail: String) {
        self.status = status
        self.detail = detail
    }

    /// 413, for a body over the cap; the connection is closed rather than the rest of the body read.
    static func bodyTooLarge(_ maximum: Int) -> Problem {
        var problem = Problem(.contentTooLarge, detail: "The body is larger than this server accepts (\(maximum) bytes).")
        problem.headers[.connection] = "close"
        return problem
    }

    var response: Response {
        let document: JSONValue = [
            "type": "about:blank", "title": .string(status.reasonPhrase), "status": .number(Double(status.code)),
            "detail": .string(detail),
        ]
        return VerifierResponder.json(document, status: status, mediaType: "application/problem+json", headers: headers)
    }
}
