/// Why COURSE.json or LEARNER.json cannot be issued from. Each message names the JSON path at fault and
/// what is expected there, e.g. `course.json: workload.ects must be a number > 0`.
public enum ProfileInputError: Error, Hashable, Sendable {
    /// The input file a problem is in.
    public enum Document: String, Hashable, Sendable {
        case course = "course.json"
        case learner = "learner.json"
    }

    /// A required member is absent.
    case missing(Document, path: String, expected: String)
    /// A member the input format does not define (usually a typo).
    case unknownMember(Document, path: String, allowed: [String])
    /// A member is present with a value that is not allowed.
    case invalid(Document, path: String, expected: String)

    /// The input file at fault.
    public var document: Document {
        switch self {
        case .missing(let document, _, _), .unknownMember(let document, _, _), .invalid(let document, _, _):
            document
        }
    }

    /// The JSON path at fault, such as `learningOutcomes[1].statement`; empty for the whole file.
    public var path: String {
        switch self {
        case .missing(_, let path, _), .unknownMember(_, let path, _), .invalid(_, let path, _): path
        }
    }

    /// The message without the document's name, for callers that name the file themselves.
    public var message: String {
        switch self {
        case .missing(_, let path, let expected):
            "\(path) is missing; expected \(expected)"
        case .unknownMember(_, let path, let allowed):
            "\(path) is not a known field (check the spelling); allowed here: \(allowed.joined(separator: ", "))"
        case .invalid(_, let path, let expected):
            "\(path.isEmpty ? "the file" : path) must be \(expected)"
        }
    }
}

extension ProfileInputError: CustomStringConvertible {
    public var description: String { "\(document.rawValue): \(message)" }
}
