/// Base58 with the Bitcoin alphabet, as multibase `base58btc` uses it.
public enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// Maps an ASCII byte to its digit value, or 0xFF for bytes outside the alphabet.
    static let digitValues: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// Encodes bytes; each leading zero byte becomes a leading `1`.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // log(256) / log(58) ≈ 1.366: an upper bound on the number of base-58 digits.
        var digits = [UInt8](repeating: 0, count: (bytes.count - zeros) * 138 / 100 + 1)
        var used = 0
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            var index = 0
            while index < used || carry != 0 {
                carry += 256 * Int(digits[index])
                digits[index] = UInt8(carry % 58)
                carry /= 58
                index += 1
            }
            used = index
        }
        var text = [UInt8](repeating: alphabet[0], count: zeros)
        text.reserveCapacity(zeros + used)
        for digit in digits[0..<used].reversed() { text.append(alphabet[Int(digit)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes base58btc text; each leading `1` becomes a leading zero byte.
    /// - Throws: ``MultibaseError/invalidCharacter(_:position:)`` for a character outside the alphabet.
    public static func decode(_ text: String) throws(MultibaseError) -> [UInt8] {
        let characters = Array(text.utf8)
        let zeros = characters.prefix(while: { $0 == alphabet[0] }).count
        // log(58) / log(256) ≈ 0.733: an upper bound on the number of bytes.
        var bytes = [UInt8](repeating: 0, count: (characters.count - zeros) * 733 / 1000 + 1)
        var used = 0
        for (position, character) in characters.enumerated() where position >= zeros {
            let value = digitValues[Int(character)]
            guard value != 0xFF else {
                throw .invalidCharacter(invalidScalar(in: text, atUTF8Offset: position), position: position)
            }
            var carry = Int(value)
            var index = 0
            while index < used || carry != 0 {
                carry += 58 * Int(bytes[index])
                bytes[index] = UInt8(carry & 0xFF)
                carry >>= 8
                index += 1
            }
            used = index
        }
        return [UInt8](repeating: 0, count: zeros) + bytes[0..<used].reversed()
    }

    /// The character that starts at a UTF-8 offset, for error messages.
    private static func invalidScalar(in text: String, atUTF8Offset offset: Int) -> String {
        let utf8 = text.utf8
        let index = utf8.index(utf8.startIndex, offsetBy: offset)
        guard let scalarIndex = index.samePosition(in: text.unicodeScalars) else { return "?" }
        return String(text.unicodeScalars[scalarIndex])
    }
}
