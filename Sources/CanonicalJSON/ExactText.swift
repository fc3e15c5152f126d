
/// Compares identifiers by their exact Unicode scalars.
///
/// Swift's `String ==` treats canonically equivalent strings as equal (`"K"` and U+212A KELVIN SIGN, `"é"` and
/// `"e\u{301}"`). Identifiers in credentials — issuers, DIDs, proof ids — are compared code point for code
/// point, as JSON and URLs are, so a look-alike never stands in for the real one.
extension String {
    /// Whether both strings have exactly the same UTF-8 bytes.
    package func isExactly(_ other: String) -> Bool {
        // JSON string values compare by their exact scalars, a machine word at a time.
        JSONValue.string(self) == JSONValue.string(other)
    }
}
