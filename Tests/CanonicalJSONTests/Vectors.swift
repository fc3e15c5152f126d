import Foundation
import TestSupport
import Testing

/// A double from 1–16 hex digits of its IEEE 754 bit pattern.
func doubleFromHexBits(_ text: Substring) -> Double? {
    UInt64(text, radix: 16).map(Double.init(bitPattern:))
}
