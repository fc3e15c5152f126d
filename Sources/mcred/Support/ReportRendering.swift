import CanonicalJSON
import MicroCredentials

/// How verification reports look: lines for people, a documented JSON object for machines
/// (spec/verification.md, "JSON output").
enum ReportRendering {
    /// The one-line verdict: `name: VALID — …` or `name: INVALID — first failure`.
    static func verdictLine(_ report: VerificationReport, name: String, color: Bool) -> String {
        if report.isValid {
            let issuer = report.summary?.issuer.map { " — issued by \(printable($0))" } ?? ""
            return "\(printable(name)): \(paint("VALID", .green, color))\(issuer)"
        }
        let first = report.failures[0]
        return "\(printable(name)): \(paint("INVALID", .red, color)) — \(first.displayName(proofCount: report.proofCount)): "
            + printable(first.message)
    }

    /// The verdict line, then one line per check: `  pass           Signature — message`.
    static func text(_ report: VerificationReport, name: String, color: Bool) -> String {
        var lines = [verdictLine(report, name: name, color: color)]
        for check in report.checks {
            let label = check.status.rawValue + String(repeating: " ", count: 13 - check.status.rawValue.count)
            let tint: Tint = switch check.status {
            case .pass: .green
            case .fail: .red
            case .indeterminate: .yellow
            }
            var line = "  \(paint(label, tint, color))  \(check.displayName(proofCount: report.proofCount)) — "
                + printable(check.message)
            if let code = check.errorCode { line += " [\(code.rawValue)]" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report of one file as a JSON object.
    static func json(_ report: VerificationReport, file: String) -> JSONValue {
        var object: JSONObject = ["file": .string(file), "valid": .bool(report.isValid)]
        if let summary = report.summary {
            var credential = JSONObject()
            credential["id"] = summary.id.map(JSONValue.string) ?? .null
            credential["type"] = .array(summary.types.map(JSONValue.string))
            credential["name"] = summary.name.map(JSONValue.string) ?? .null
            credential["issuer"] = summary.issuer.map(JSONValue.string) ?? .null
            credential["validFrom"] = summary.validFrom.map(JSONValue.string) ?? .null
            credential["validUntil"] = summary.validUntil.map(JSONValue.string) ?? .null
            credential["cryptosuites"] = .array(summary.cryptosuites.map(JSONValue.string))
            object["credential"] = .object(credential)
        } else {
            object["credential"] = .null
        }
        object["checks"] = .array(report.checks.map { check in
            var entry: JSONObject = [
                "id": .string(check.kind.rawValue),
                "name": .string(check.kind.name),
                "status": .string(check.status.rawValue),
                "message": .string(check.message),
            ]
            entry["proof"] = check.proofIndex.map { .number(Double($0)) } ?? .null
            if let code = check.errorCode {
                entry["errorCode"] = .string(code.rawValue)
                entry["errorType"] = .string(code.typeURL)
            }
            return .object(entry)
        })
        return .object(object)
    }

    enum Tint: String {
        case red = "31", green = "32", yellow = "33"
    }

    static func paint(_ text: String, _ tint: Tint, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text
    }
}
