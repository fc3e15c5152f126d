/// Base64url without padding (RFC 4648 §5), the multibase base `u` that Bitstring Status Lists use.
extension Multibase {
    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `u` followed by the unpadded base64url encoding of `bytes`.
    public static func encodeBase64url(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = [UInt8(ascii: "u")]
        output.reserveCapacity(1 + (bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(base64URLAlphabet[Int(group >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let group = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            for shift in [18, 12, 6].prefix(rest + 1) { output.append(base64URLAlphabet[Int(group >> UInt32(shift) & 0x3F)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a `u`-prefixed, unpadded base64url value.
    /// - Parameter maximumLength: the most characters read; longer values are refused unread.
    public static func decodeBase64url(_ text: String, maximumLength: Int) throws(MultibaseError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard let first = utf8.first else { throw .empty }
        guard utf8.count <= maximumLength else { throw .tooLong(length: utf8.count, limit: maximumLength) }
        guard first == UInt8(ascii: "u") else {
            throw .invalidBase64url("the prefix is \"\(text.unicodeScalars.first!)\"")
        }
        func value(_ byte: UInt8, at position: Int) throws(MultibaseError) -> UInt32 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "-"): 62
            case UInt8(ascii: "_"): 63
            default:
                throw .invalidBase64url("byte \(position) is not a base64url character")
            }
        }
        let digits = utf8.count - 1
        // 1 leftover digit cannot hold a byte; padding (`=`) is not used.
        guard digits % 4 != 1 else { throw .invalidBase64url("\(digits) digits cannot encode whole bytes") }
        var output: [UInt8] = []
        output.reserveCapacity(digits * 3 / 4)
        var group: UInt32 = 0
        var count = 0
        for position in 1..<utf8.count {
            group = group << 6 | (try value(utf8[position], at: position))
            count += 1
            if count == 4 {
                output += [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
                group = 0
                count = 0
            }
        }
        switch count {
        case 2: output.append(UInt8(group >> 4 & 0xFF))
        case 3: output += [UInt8(group >> 10 & 0xFF), UInt8(group >> 2 & 0xFF)]
        default: break
        }
        return output
    }
}
