/// Base58 with the Bitcoin alphabet, as multibase `base58btc` uses it.
///
/// Both directions work on machine words (base 58⁵ limbs and 64-bit limbs) rather than one digit at a
/// time: a 64-byte signature is encoded in about 300 word operations instead of about 5,600.
package enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// Maps an ASCII byte to its digit value, or 0xFF for bytes outside the alphabet.
    static let digitValues: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// 58⁵, the radix of the limbs used while encoding; it fits in 30 bits.
    private static let limbRadix: UInt64 = 656_356_768

    /// Encodes bytes; each leading zero byte becomes a leading `1`.
    package static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        let significant = bytes[zeros...]
        // Limbs in base 58⁵, least significant first. 32 bits of input need at most 5.46 base-58 digits.
        var limbs = [UInt64](repeating: 0, count: significant.count / 3 + 2)
        var used = 0
        var index = significant.startIndex
        // Feed the input in 32-bit words; a shorter first word takes the remainder.
        var chunk = significant.count % 4 == 0 ? 4 : significant.count % 4
        while index < significant.endIndex {
            var word: UInt64 = 0
            for offset in 0..<chunk { word = word << 8 | UInt64(significant[index + offset]) }
            index += chunk
            let multiplier = UInt64(1) << UInt64(8 * chunk)
            chunk = 4
            var carry = word
            var limb = 0
            while limb < used || carry != 0 {
                let value = limbs[limb] * multiplier + carry
                limbs[limb] = value % limbRadix
                carry = value / limbRadix
                limb += 1
            }
            used = limb
        }
        // Each limb is five digits; they are found least significant first, then the leading zeros of the top
        // limb are dropped and the digits written most significant first.
        var values: [UInt8] = []
        values.reserveCapacity(used * 5)
        for limb in limbs[0..<used] {
            var value = limb
            for _ in 0..<5 {
                values.append(UInt8(value % 58))
                value /= 58
            }
        }
        while values.last == 0 { values.removeLast() }
        let alphabet = Self.alphabet
        var digits = [UInt8](repeating: alphabet[0], count: zeros)
        digits.reserveCapacity(zeros + values.count)
        for value in values.reversed() { digits.append(alphabet[Int(value)]) }
        return String(decoding: digits, as: UTF8.self)
    }

    /// Decodes base58btc text; each leading `1` becomes a leading zero byte.
    /// - Throws: ``MultibaseError/invalidCharacter(_:position:)`` for a character outside the alphabet.
    package static func decode(_ text: String) throws(MultibaseError) -> [UInt8] {
        try decode(utf8: Array(text.utf8)[...])
    }

    /// Decodes base58btc text given as UTF-8 bytes; error positions count from the start of `characters`.
    static func decode(utf8 characters: ArraySlice<UInt8>) throws(MultibaseError) -> [UInt8] {
        let digitValues = Self.digitValues  // read once: every read of a static checks its initialisation
        let zeroDigit = alphabet[0]
        let zeros = characters.prefix(while: { $0 == zeroDigit }).count
        let significant = characters.count - zeros
        // Limbs in base 2⁶⁴, least significant first. Ten base-58 digits are at most 58.6 bits.
        var limbs = [UInt64](repeating: 0, count: significant / 10 + 2)
        var used = 0
        var position = characters.startIndex + zeros
        // Feed the digits ten at a time; a shorter first group takes the remainder.
        var chunk = significant % 10 == 0 ? 10 : significant % 10
        while position < characters.endIndex {
            var word: UInt64 = 0
            var multiplier: UInt64 = 1
            for offset in position..<(position + chunk) {
                let value = digitValues[Int(characters[offset])]
                guard value != 0xFF else {
                    throw .invalidCharacter(invalidScalar(in: characters, at: offset),
                                            position: offset - characters.startIndex)
                }
                word = word * 58 + UInt64(value)
                multiplier *= 58
            }
            position += chunk
            chunk = 10
            var carry = word
            var limb = 0
            while limb < used || carry != 0 {
                let (high, low) = limbs[limb].multipliedFullWidth(by: multiplier)
                let (sum, overflow) = low.addingReportingOverflow(carry)
                limbs[limb] = sum
                carry = high + (overflow ? 1 : 0)
                limb += 1
            }
            used = limb
        }
        // The leading zeros, then the limbs' bytes most significant first, without the top limb's leading zeros.
        let byteCount = used == 0 ? 0 : used * 8 - limbs[used - 1].leadingZeroBitCount / 8
        var bytes = [UInt8](repeating: 0, count: zeros + byteCount)
        for significance in 0..<byteCount {
            bytes[bytes.count - 1 - significance] =
                UInt8(truncatingIfNeeded: limbs[significance / 8] >> UInt64(significance % 8 * 8))
        }
        return bytes
    }

    /// The character that starts at a UTF-8 offset, for error messages.
    private static func invalidScalar(in characters: ArraySlice<UInt8>, at offset: Int) -> String {
        var end = offset + 1
        while end < characters.endIndex && characters[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: characters[offset..<end], as: UTF8.self)
    }
}
