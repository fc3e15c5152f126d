import SystemPackage

/// Standard output and standard error, and whether text for people may be coloured.
package enum Terminal {
    /// Writes a line to standard error. A failure to write there cannot be reported anywhere, so it is ignored.
    package static func error(_ line: String) {
        _ = try? FileDescriptor.standardError.writeAll((line + "\n").utf8)
    }

    /// Writes text to standard error without a line break (a progress line rewritten with CR). Failures are
    /// ignored.
    package static func errorFragment(_ text: String) {
        _ = try? FileDescriptor.standardError.writeAll(text.utf8)
    }

    /// Writes bytes to standard output.
    /// - Throws: ``InputError`` when standard output cannot take them (a full disk, a closed descriptor).
    package static func write(_ bytes: [UInt8]) throws {
        do {
            try FileDescriptor.standardOutput.writeAll(bytes)
        } catch {
            throw InputError("cannot write to standard output: \(System.reason(error))")
        }
    }

    /// Writes several byte buffers to standard output, in order, through one 256 KiB buffer: a batch's output
    /// is never joined into one large array (whose fresh pages cost more than the copying).
    /// - Throws: ``InputError`` when standard output cannot take them.
    package static func write(chunks: [[UInt8]]) throws {
        let capacity = 256 * 1024
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        for chunk in chunks {
            if buffer.count + chunk.count > capacity && !buffer.isEmpty {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            if chunk.count >= capacity { try write(chunk) } else { buffer += chunk }
        }
        try write(buffer)
    }

    /// Writes a string to standard output.
    package static func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Whether standard output is a terminal (colour is used only then).
    package static var standardOutputIsTerminal: Bool { System.isTerminal(.standardOutput) }

    /// Whether text for people may be coloured: standard output is a terminal and `NO_COLOR` is absent or
    /// empty (no-color.org).
    package static var colorAllowed: Bool {
        if let value = System.environment("NO_COLOR"), !value.isEmpty { return false }
        return standardOutputIsTerminal
    }
}

/// Text from a credential or key made safe for one line of a terminal: control characters (C0, DEL, C1),
/// line and paragraph separators and bidirectional overrides are shown as `\u{…}` escapes, so a value can
/// neither break a line nor move the cursor, recolour or reorder what is printed around it.
package func printable(_ text: String) -> String {
    func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        if isUnsafe(scalar) {
            result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// A one-line progress indicator on standard error, rewritten in place, shown only when standard error is a
/// terminal.
package final class ProgressLine {
    private let command: String
    private let enabled = System.isTerminal(.standardError)

    /// - Parameter command: the line's prefix, e.g. `mcred audit`.
    package init(command: String) {
        self.command = command
    }

    package func show(_ text: String) {
        guard enabled else { return }
        Terminal.errorFragment("\r\u{1B}[K\(command): " + text)
    }

    package func clear() {
        guard enabled else { return }
        Terminal.errorFragment("\r\u{1B}[K")
    }
}
