#if canImport(Glibc)
import Glibc
#endif

/// N-Quads (RDF 1.1 N-Quads): the canonical form that RDF Dataset Canonicalization hashes and signs, and a
/// reader for N-Quads documents.
public enum NQuads {
    /// The canonical N-Quads line of a quad, with its final line feed (RDFC-1.0 §4.3 via RDF N-Quads'
    /// canonical form): terms separated by one space, ` .` and LF at the end; IRIs written as they are;
    /// literal strings with `\b \t \n \f \r \" \\` escaped, the other characters U+0000–U+001F and U+007F as
    /// `\u` and four upper-case hex digits, everything else as is; `^^<xsd:string>` left out (and `rdf:langString`
    /// without a language tag, as rdf-canonize writes it); language tags as given.
    public static func line(_ quad: RDFQuad) -> String {
        var bytes: [UInt8] = []
        appendLine(quad, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One term in canonical N-Quads form.
    public static func term(_ term: RDFTerm) -> String {
        var bytes: [UInt8] = []
        append(term, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``line(_:)`` to `bytes`.
    package static func appendLine(_ quad: RDFQuad, to bytes: inout [UInt8]) {
        append(quad.subject, to: &bytes)
        bytes.append(0x20)
        append(quad.predicate, to: &bytes)
        bytes.append(0x20)
        append(quad.object, to: &bytes)
        if let graph = quad.graph {
            bytes.append(0x20)
            append(graph, to: &bytes)
        }
        bytes += [0x20, 0x2E, 0x0A]  // " .\n"
    }

    /// Appends the UTF-8 bytes of ``term(_:)`` to `bytes`.
    package static func append(_ term: RDFTerm, to bytes: inout [UInt8]) {
        switch term {
        case .iri(let iri):
            bytes.append(0x3C)  // <
            bytes += iri.utf8
            bytes.append(0x3E)  // >
        case .blankNode(let label):
            bytes += [0x5F, 0x3A]  // _:
            bytes += label.utf8
        case .literal(let literal):
            bytes.append(0x22)
            appendEscaped(literal.lexicalForm, to: &bytes)
            bytes.append(0x22)
            if let language = literal.language {
                bytes.append(0x40)  // @
                bytes += language.utf8
            } else if literal.datatype != RDFLiteral.xsdString && literal.datatype != RDFLiteral.langString {
                bytes += [0x5E, 0x5E, 0x3C]  // ^^<
                bytes += literal.datatype.utf8
                bytes.append(0x3E)
            }
        }
    }

    /// The canonical N-Quads document of `quads`: their lines sorted in code point order (UTF-8 byte order),
    /// duplicates removed.
    public static func canonicalDocument(_ quads: [RDFQuad]) -> String {
        var lines = LineBuffer(capacity: quads.count)
        for quad in quads { lines.append(quad) }
        return String(decoding: lines.sorted(removingDuplicates: true), as: UTF8.self)
    }

    /// A literal's lexical form with the canonical escapes.
    package static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        let plain = text.withUTF8 { utf8 in
            guard utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) else {
                bytes.append(contentsOf: utf8)
                return true
            }
            return false
        }
        if plain { return }
        bytes += escaped(text).utf8
    }

    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x08: result += "\\b"
            case 0x09: result += "\\t"
            case 0x0A: result += "\\n"
            case 0x0C: result += "\\f"
            case 0x0D: result += "\\r"
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0..<0x20, 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Why an N-Quads document could not be read.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads an N-Quads document: one quad a line; blank lines and `#` comments are skipped; `\u` with four
    /// and `\U` with eight hex digits, and the string escapes, are decoded.
    public static func parse(_ text: String) throws(ParseError) -> [RDFQuad] {
        var quads: [RDFQuad] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var reader = LineReader(scalars: Array(line.unicodeScalars), line: number)
            reader.skipSpace()
            if reader.atEnd || reader.peek == "#" { continue }
            let subject = try reader.term()
            let predicate = try reader.term()
            let object = try reader.term()
            reader.skipSpace()
            var graph: RDFTerm?
            if reader.peek != "." { graph = try reader.term() }
            reader.skipSpace()
            guard reader.peek == "." else { throw reader.error("expected ' .' at the end of the quad") }
            reader.index += 1
            reader.skipSpace()
            guard reader.atEnd || reader.peek == "#" else { throw reader.error("text after the end of the quad") }
            guard case .iri = predicate else { throw reader.error("the predicate must be an IRI") }
            if case .literal = subject { throw reader.error("the subject cannot be a literal") }
            if case .literal? = graph { throw reader.error("the graph name cannot be a literal") }
            quads.append(RDFQuad(subject: subject, predicate: predicate, object: object, graph: graph))
        }
        return quads
    }

    private struct LineReader {
        let scalars: [Unicode.Scalar]
        let line: Int
        var index = 0

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        func error(_ reason: String) -> ParseError { ParseError(line: line, reason: reason) }

        mutating func skipSpace() {
            while let scalar = peek, scalar == " " || scalar == "\t" || scalar == "\r" { index += 1 }
        }

        mutating func term() throws(ParseError) -> RDFTerm {
            skipSpace()
            switch peek {
            case "<": return .iri(try iri())
            case "_":
                index += 1
                guard peek == ":" else { throw error("expected _: for a blank node") }
                index += 1
                var label = ""
                while let scalar = peek, scalar != " ", scalar != "\t", scalar != "." || isLabelContinued {
                    label.unicodeScalars.append(scalar)
                    index += 1
                }
                guard !label.isEmpty else { throw error("an empty blank node label") }
                return .blankNode(label)
            case "\"":
                index += 1
                var value = ""
                while true {
                    guard let scalar = peek else { throw error("a string is never closed") }
                    index += 1
                    if scalar == "\"" { break }
                    value.unicodeScalars.append(scalar == "\\" ? try escape() : scalar)
                }
                if peek == "@" {
                    index += 1
                    var language = ""
                    while let scalar = peek, scalar.properties.isAlphabetic || scalar == "-" || ("0"..."9").contains(scalar) {
                        language.unicodeScalars.append(scalar)
                        index += 1
                    }
                    guard !language.isEmpty else { throw error("an empty language tag") }
                    return .literal(RDFLiteral(value, language: language))
                }
                if peek == "^" {
                    index += 1
                    guard peek == "^" else { throw error("expected ^^ before a datatype") }
                    index += 1
                    guard peek == "<" else { throw error("expected a datatype IRI after ^^") }
                    return .literal(RDFLiteral(value, datatype: try iri()))
                }
                return .literal(RDFLiteral(value))
            default:
                throw error("expected an IRI, a blank node or a literal")
            }
        }

        /// A `.` inside a blank node label continues it when more label follows (N-Quads BLANK_NODE_LABEL).
        private var isLabelContinued: Bool {
            index + 1 < scalars.count && scalars[index + 1] != " " && scalars[index + 1] != "\t"
        }

        private mutating func iri() throws(ParseError) -> String {
            index += 1  // <
            var value = ""
            while true {
                guard let scalar = peek else { throw error("an IRI is never closed") }
                index += 1
                if scalar == ">" { return value }
                value.unicodeScalars.append(scalar == "\\" ? try escape() : scalar)
            }
        }

        private mutating func escape() throws(ParseError) -> Unicode.Scalar {
            guard let code = peek else { throw error("a backslash at the end of the line") }
            index += 1
            switch code {
            case "t": return "\t"
            case "b": return "\u{08}"
            case "n": return "\n"
            case "r": return "\r"
            case "f": return "\u{0C}"
            case "\"": return "\""
            case "'": return "'"
            case "\\": return "\\"
            case "u", "U":
                let count = code == "u" ? 4 : 8
                guard index + count <= scalars.count,
                      let value = UInt32(String(String.UnicodeScalarView(scalars[index..<index + count])), radix: 16),
                      let scalar = Unicode.Scalar(value)
                else { throw error("a malformed \\\(code) escape") }
                index += count
                return scalar
            default:
                throw error("an unknown escape \\\(code)")
            }
        }
    }
}

/// N-Quads lines written one after another into one buffer, then put in byte order: what the canonical document and
/// the first-degree hash of RDFC-1.0 both need, without an array for every line.
package struct LineBuffer {
    @usableFromInline var bytes: [UInt8] = []
    /// Where each line starts in `bytes`; it ends where the next one starts.
    @usableFromInline var starts: [Int] = []

    package init(capacity lines: Int) {
        bytes.reserveCapacity(lines * 128)
        starts.reserveCapacity(lines + 1)
    }

    package var count: Int { starts.count }

    /// Appends the canonical N-Quads line of `quad` (``NQuads/appendLine(_:to:)``).
    package mutating func append(_ quad: RDFQuad) {
        append { NQuads.appendLine(quad, to: &$0) }
    }

    /// Appends one line, which `write` appends to the bytes it is given. (Inlinable: canonicalization calls it for
    /// every line, and the closure is then inlined too.)
    @inlinable
    package mutating func append(_ write: (inout [UInt8]) -> Void) {
        starts.append(bytes.count)
        write(&bytes)
    }

    /// Removes every line, keeping the storage.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// The lines in byte order (code point order), one after another; with `removingDuplicates`, each once.
    package func sorted(removingDuplicates: Bool) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { all in
            var lines = starts.indices.map { index in
                let end = index + 1 < starts.count ? starts[index + 1] : all.count
                return UnsafeBufferPointer(rebasing: all[starts[index]..<end])
            }
            lines.sort(by: precedes)
            var previous: UnsafeBufferPointer<UInt8>?
            for line in lines {
                if removingDuplicates, let previous, equal(previous, line) { continue }
                result.append(contentsOf: line)
                previous = line
            }
        }
        return result
    }
}

/// Whether `a` comes before `b` in UTF-8 byte order, which is Unicode code point order: the order RDFC-1.0 sorts
/// N-Quads lines and hashes in. (Swift's `<` on strings orders by canonical equivalence instead.)
package func utf8Precedes(_ a: String, _ b: String) -> Bool {
    var a = a, b = b
    return a.withUTF8 { x in b.withUTF8 { y in precedes(x, y) } }
}

/// Whether two byte strings are equal.
private func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
}

/// Lexicographic byte order, a shorter prefix first.
private func precedes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    let common = min(x.count, y.count)
    if common > 0, let a = x.baseAddress, let b = y.baseAddress {
        let order = memcmp(a, b, common)
        if order != 0 { return order < 0 }
    }
    return x.count < y.count
}
