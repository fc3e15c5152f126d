import CanonicalJSON
import CommandLineRuntime
import MicroCredentials
import DataIntegrity
import MicroCredentialProfile

/// How verification reports look: lines for people, a documented JSON object for machines
/// (spec/verification.md, "JSON output").
enum ReportRendering {
    /// The verdict line, then one line per check: `  pass           Signature — message`.
    static func text(_ report: VerificationReport, name: String, color: Bool) -> String {
        String(decoding: textBytes(report, name: name, color: color), as: UTF8.self)
    }

    /// ``text(_:name:color:)`` as UTF-8, written straight into bytes: `mcred verify` renders one report per
    /// file, so this runs as often as the verifier does.
    static func textBytes(_ report: VerificationReport, name: String, color: Bool) -> [UInt8] {
        var out = TextLine(color: color)
        out.bytes.reserveCapacity(1024)
        out.verdict(report, name: name)
        out.append("\n")
        for check in report.checks {
            let tint: Tint = switch check.status {
            case .pass: .green
            case .fail: .red
            case .indeterminate: .yellow
            }
            out.append("  ")
            // The status is padded to 13 columns inside the colour codes (spec/verification.md §7).
            let padded = switch check.status {
            case .pass: "pass         "
            case .fail: "fail         "
            case .indeterminate: "indeterminate"
            }
            out.append(paint(padded, tint, color))
            out.append("  ")
            out.append(check.displayName(proofCount: report.proofCount))
            out.append(" — ")
            out.appendPrintable(check.message)
            if let code = check.errorCode {
                out.append(" [")
                out.append(code.rawValue)
                out.append("]")
            }
            out.append("\n")
        }
        return out.bytes
    }

    /// Text being written as UTF-8.
    private struct TextLine {
        var bytes: [UInt8] = []
        let color: Bool

        init(color: Bool) { self.color = color }

        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }

        /// Appends text from a credential, made safe for a terminal (see `printable`). Printable ASCII, the
        /// common case, is copied as it is.
        mutating func appendPrintable(_ text: String) {
            var text = text
            let copied = text.withUTF8 { utf8 in
                guard utf8.allSatisfy({ $0 &- 0x20 < 0x5F }) else { return false }
                bytes.append(contentsOf: utf8)
                return true
            }
            if !copied { append(printable(text)) }
        }

        mutating func verdict(_ report: VerificationReport, name: String) {
            appendPrintable(name)
            append(": ")
            if report.isValid {
                append(paint("VALID", .green, color))
                if let issuer = report.issuer {
                    append(" — issued by ")
                    appendPrintable(issuer)
                }
            } else {
                // Invalid: the first failed check; not verified: the first that could not be made.
                let invalid = report.outcome == .invalid
                let first = report.checks.first { $0.status == (invalid ? .fail : .indeterminate) }
                append(paint(invalid ? "INVALID" : "NOT VERIFIED", invalid ? .red : .yellow, color))
                if let first {
                    append(" — ")
                    append(first.displayName(proofCount: report.proofCount))
                    append(": ")
                    appendPrintable(first.message)
                }
            }
        }
    }

    enum Tint: String {
        case red = "31", green = "32", yellow = "33"
    }

    /// `text` in `tint` when `enabled` (ANSI SGR colour codes), else as it is.
    static func paint(_ text: String, _ tint: Tint, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(tint.rawValue)m\(text)\u{1B}[0m" : text
    }
}
