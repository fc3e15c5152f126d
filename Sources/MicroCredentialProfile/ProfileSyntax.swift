import DataIntegrity
/// The lexical rules of the profile (spec §7 for input files, §8.3 for lint), on exact Unicode scalars.
enum ProfileSyntax {
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// §8.3 *non-blank string*: at least one character other than space, tab, CR and LF.
    static func isNonBlank(_ text: String) -> Bool {
        text.utf8.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
    }

    /// Input *text* (JSON Schema `\S`): at least one scalar that is not white space.
    static func hasVisibleCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    /// Input *line*: text without CR or LF.
    static func isLine(_ text: String) -> Bool {
        hasVisibleCharacter(text) && !text.utf8.contains { $0 == 0x0A || $0 == 0x0D }
    }

    /// *absolute IRI*: the one URL rule of `spec/verification.md` §5.2 (``isURL``), shared with the verifier.
    static func isAbsoluteIRI(_ text: String) -> Bool {
        isURL(text)
    }

    /// An ISO 3166-1 alpha-2 code in upper case: `^[A-Z]{2}$`.
    static func isCountryCode(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { (0x41...0x5A).contains($0) }
    }

    /// A code that is valid ISO 3166-1 syntax but not what a credential should use: `EL` and `UK` (write `GR`,
    /// `GB`) and the user-assigned ranges `AA`, `QM`–`QZ`, `XA`–`XZ`, `ZZ`.
    static func isDiscouragedCountryCode(_ code: String) -> Bool {
        if code == "EL" || code == "UK" || code == "AA" || code == "ZZ" { return true }
        let bytes = Array(code.utf8)
        guard bytes.count == 2 else { return false }
        return (bytes[0] == 0x51 && bytes[1] >= 0x4D) || bytes[0] == 0x58  // Q[M-Z], X[A-Z]
    }

    /// `^[^\s@]+@[^\s@]+$`.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// `^https?://[^\s]+$`.
    static func isWebURL(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        return !rest.isEmpty && !rest.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0)
        }
    }

    /// An OB `IdentityHash` of a hashed identifier: `sha256$` + 64 hex digits or `md5$` + 32.
    static func isIdentityHash(_ text: String) -> Bool {
        if text.hasPrefix("sha256$") { return isHex(text.dropFirst(7), count: 64) }
        if text.hasPrefix("md5$") { return isHex(text.dropFirst(4), count: 32) }
        return false
    }
}
