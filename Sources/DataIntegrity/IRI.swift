/// An absolute URI or IRI: a scheme (a letter, then letters, digits, `+`, `-` or `.`), a colon, something
/// after it, and no white space or control characters (RFC 3986 §3.1, RFC 3987).
package func isURL(_ text: String) -> Bool {
    var text = text
    text.makeContiguousUTF8()  // a no-op for native strings; makes the byte scan below always possible
    var hasNonASCII = false
    let wellFormed = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < bytes.count else {
            return false
        }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        guard isLetter(bytes[0]) else { return false }
        for byte in bytes[1..<colon] {
            guard isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2B || byte == 0x2D || byte == 0x2E
            else { return false }
        }
        for byte in bytes {
            if byte <= 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 { hasNonASCII = true }
        }
        return true
    } ?? false
    guard wellFormed else { return false }
    guard hasNonASCII else { return true }
    // Non-ASCII characters are allowed in IRIs, except white space and C1 controls (e.g. U+00A0, U+2028).
    return !text.unicodeScalars.contains { $0.value >= 0x80 && ($0.value < 0xA0 || $0.properties.isWhitespace) }
}
