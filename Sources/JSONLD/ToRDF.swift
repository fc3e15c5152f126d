public import CanonicalJSON
#if canImport(Glibc)
import Glibc
#endif
public import RDF

/// JSON-LD 1.1 for Data Integrity: expansion of a document against bundled contexts, with data-loss detection,
/// and its deserialization to RDF (JSON-LD 1.1 Processing Algorithms §13.1, §7.1 Node Map Generation, §8.1
/// Deserialize JSON-LD to RDF). See `spec/json-ld.md` for the subset implemented.
public struct JSONLDProcessor: Sendable {
    private let loader: any ContextLoader

    /// A processor that reads contexts from `loader` (by default the bundled ones only).
    public init(loader: any ContextLoader = BundledContexts()) {
        self.loader = loader
    }

    /// The RDF dataset a JSON-LD document stands for, blank nodes labelled `b0`, `b1`, ….
    ///
    /// - Throws: ``JSONLDError/dataLoss(term:reason:)`` when a property or type would be dropped because no
    ///   context defines it; ``JSONLDError/unknownContext(_:)`` for a context that is not bundled; other cases for
    ///   documents the algorithms reject or features mcred does not implement.
    public func quads(of document: JSONValue) throws(JSONLDError) -> [RDFQuad] {
        do {
            return try NQuads.parse(try dataset(of: document).nquads())
        } catch let error as JSONLDError {
            throw error
        } catch {
            preconditionFailure("the N-Quads written for a dataset do not read back: \(error)")
        }
    }

    /// The RDF dataset a JSON-LD document stands for, in the form RDF canonicalization reads (see
    /// ``quads(of:)``). Duplicate quads may occur.
    package func dataset(of document: JSONValue) throws(JSONLDError) -> CompactDataset {
        var expander = Expander(processor: ContextProcessor(loader: loader))
        try expander.document(document)
        return expander.dataset
    }
}

/// The decimal integer an integral number below 10^21 in magnitude is exactly equal to, as jsonld.js
/// (`toFixed(0)`) and pyld (`str(int(value))`) write it: 2^60 is 1152921504606846976, not ECMAScript's
/// shortest 1152921504606847000; -0 is 0.
func integerString(_ number: Double) -> String {
    let magnitude = UInt128(number.magnitude)  // exact: the number is integral and below 2^70
    return (number < 0 && magnitude != 0 ? "-" : "") + String(magnitude)
}

/// The canonical xsd:double form as the JSON-LD processors write it (jsonld.js `toExponential(15)`, pyld
/// `'%1.15E'`): the value rounded to 16 significant digits, trailing zeros of the fraction removed but one,
/// `E`, the exponent without `+` or leading zeros: `1.1E0`, `5.0E-1`, `1.797693134862316E308`.
func canonicalDouble(_ number: Double) -> String {
    exactCanonicalDouble(number) ?? printedCanonicalDouble(number)
}

/// ``canonicalDouble(_:)`` through C's printf, which rounds the number's exact value to 16 significant digits (half to
/// even): the reference, and the way for numbers whose exact decimal expansion is long (most decimal fractions).
func printedCanonicalDouble(_ number: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 48)
    // -0 is written as 0, as ECMAScript writes it.
    _ = withVaList([number == 0 ? 0.0 : number]) { vsnprintf(&buffer, buffer.count, "%1.15E", $0) }
    let printed = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let parts = printed.split(separator: "E")
    var mantissa = String(parts[0])
    while mantissa.hasSuffix("0") && !mantissa.hasSuffix(".0") { mantissa.removeLast() }
    let exponent = parts[1]
    let digits = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
    return mantissa + "E" + (exponent.hasPrefix("-") ? "-" : "") + (digits.isEmpty ? "0" : String(digits))
}

/// ``canonicalDouble(_:)`` worked out in 128-bit integers, as printf would give it, for the numbers whose exact value
/// is m × 2^e with m < 2^53 and −27 ≤ e ≤ 74: the value is then exactly N × 10^−k with N = m × 5^−e (or m × 2^e)
/// below 2^127, which is rounded to 16 significant digits, half to even. This covers the halves and quarters that
/// credits are usually given in, at a fraction of printf's cost; nil for any other number.
func exactCanonicalDouble(_ number: Double) -> String? {
    guard number.isNormal else { return number == 0 ? "0.0E0" : nil }
    var significand = number.significandBitPattern | 1 << 52
    var exponent = Int(number.exponent) - 52
    while significand & 1 == 0 && exponent < 0 {
        significand >>= 1
        exponent += 1
    }
    let value: UInt128
    let fractionDigits: Int
    if exponent >= 0 {
        guard exponent <= 74 else { return nil }
        (value, fractionDigits) = (UInt128(significand) << exponent, 0)
    } else {
        guard exponent >= -27 else { return nil }
        var power: UInt128 = 1
        for _ in 0 ..< -exponent { power *= 5 }
        (value, fractionDigits) = (UInt128(significand) * power, -exponent)
    }
    var length = 1  // decimal digits of value (at most 39: value < 2^127 < 10^39)
    var scale: UInt128 = 10
    while value >= scale {
        length += 1
        if length == 39 { break }
        scale *= 10
    }
    var digits: UInt128  // 16 significant digits
    if length > 16 {
        var divisor: UInt128 = 1
        for _ in 0 ..< length - 16 { divisor *= 10 }
        digits = value / divisor
        let remainder = value % divisor
        if remainder > divisor / 2 || (remainder == divisor / 2 && digits & 1 == 1) { digits += 1 }
        if digits == 10_000_000_000_000_000 {
            digits = 1_000_000_000_000_000
            length += 1
        }
    } else {
        digits = value
        for _ in 0 ..< 16 - length { digits *= 10 }
    }
    var text = Array(String(digits).utf8)  // 16 digits
    while text.count > 2 && text.last == 0x30 { text.removeLast() }  // trailing zeros, but one digit after the point
    let mantissa = String(decoding: text.prefix(1) + [0x2E] + text.dropFirst(), as: UTF8.self)
    return (number < 0 ? "-" : "") + mantissa + "E" + String(length - 1 - fractionDigits)
}
