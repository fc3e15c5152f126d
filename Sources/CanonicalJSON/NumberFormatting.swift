/// Formats a double the way ECMAScript's `Number.prototype.toString()` does, as RFC 8785 §3.2.2.3 requires:
/// the shortest digits that round-trip (the closest such digits when there is a choice), integers below 10^21 written
/// out in full, exponent form (`1e+21`, `1e-7`) from 10^21 up and below 10^-6, and `-0` written as `0`.
///
/// Examples: `100` → `"100"`, `1e-7` → `"1e-7"`, `-0.0` → `"0"`, `1.2345678901234568e20` → `"123456789012345680000"`.
///
/// - Precondition: `value` is finite. RFC 8785 requires NaN and Infinity to fail; calling this with them stops the
///   program. Check `isFinite` first when the value comes from arithmetic.
package func jcsNumberString(_ value: Double) -> String {
    var sink = ByteSink(capacity: 32)
    appendJCSNumber(value, to: &sink)
    return String(decoding: sink.bytes, as: UTF8.self)
}

/// Appends `jcsNumberString(value)` as UTF-8.
func appendJCSNumber(_ value: Double, to output: inout ByteSink) {
    precondition(value.isFinite, "RFC 8785 cannot serialize NaN or Infinity")
    if value == 0 {
        output.append(0x30)  // both +0 and -0
        return
    }
    let magnitude = value.magnitude
    if magnitude < 9_007_199_254_740_992 {
        // Integers below 2^53 are their own shortest digits. (The conversion truncates; no libm call.)
        let integer = UInt64(magnitude)
        if Double(integer) == magnitude {
            if value < 0 { output.append(0x2D) }
            appendDecimal(integer, to: &output)
            return
        }
    }
    appendShortest(value, to: &output)
}

/// Appends the decimal digits of `number`.
@inline(__always)
func appendDecimal(_ number: UInt64, to output: inout ByteSink) {
    var digitCount = 1
    var rest = number
    while rest >= 10 {
        rest /= 10
        digitCount &+= 1
    }
    let buffer = output.reserve(digitCount)
    rest = number
    var index = digitCount &- 1
    repeat {
        buffer[index] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
        index &-= 1
    } while rest > 0
    output.commit(digitCount)
}

/// The general case. Swift's `description` already yields the shortest round-trip digits, closest to the exact
/// value (SwiftDtoa); this takes the digits and the decimal exponent from it and lays them out per ECMAScript
/// Number::toString.
private func appendShortest(_ value: Double, to output: inout ByteSink) {
    if value < 0 { output.append(0x2D) }
    let text = value.magnitude.description  // e.g. "123.45", "1e-07", "1.2345678901234568e+20", "5e-324"
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
        var count = 0
        var pointIndex = -1
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text.utf8 {
            if inExponent {
                if byte == 0x2D {
                    exponentNegative = true
                } else if byte != 0x2B {
                    exponent = exponent * 10 + Int(byte &- 0x30)
                }
            } else if byte == 0x2E {
                pointIndex = count
            } else if byte == 0x65 || byte == 0x45 {
                inExponent = true
            } else {
                precondition(byte &- 0x30 < 10 && count < 40, "unexpected Double.description")
                digits[count] = byte
                count += 1
            }
        }
        if pointIndex < 0 { pointIndex = count }
        if exponentNegative { exponent = -exponent }
        var first = 0
        while first < count && digits[first] == 0x30 { first += 1 }
        var last = count
        while last > first && digits[last - 1] == 0x30 { last -= 1 }
        // The value is 0.d1d2…dk × 10^n.
        let k = last - first
        let n = pointIndex - first + exponent
        let significand = UnsafeBufferPointer(rebasing: digits[first..<last])

        if k <= n && n <= 21 {
            output.append(significand)
            output.append(repeating: 0x30, count: n - k)
        } else if 0 < n && n <= 21 {
            output.append(UnsafeBufferPointer(rebasing: significand[0..<n]))
            output.append(0x2E)
            output.append(UnsafeBufferPointer(rebasing: significand[n...]))
        } else if -6 < n && n <= 0 {
            output.append(0x30)
            output.append(0x2E)
            output.append(repeating: 0x30, count: -n)
            output.append(significand)
        } else {
            output.append(significand[0])
            if k > 1 {
                output.append(0x2E)
                output.append(UnsafeBufferPointer(rebasing: significand[1...]))
            }
            output.append(0x65)  // e
            let e = n - 1
            output.append(e < 0 ? 0x2D : 0x2B)
            appendDecimal(UInt64(e.magnitude), to: &output)
        }
    }
}
