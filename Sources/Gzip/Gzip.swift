internal import CZlib

/// GZIP (RFC 1952) compression through zlib, with a cap on what decompression may produce.
public enum Gzip {
    /// Compresses `bytes` into one GZIP member (zlib's default level).
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: the largest window, with a GZIP header and trailer instead of zlib's.
        guard mcred_deflateInit2(&stream, Z_DEFAULT_COMPRESSION, 15 + 16) == Z_OK else {
            preconditionFailure("zlib could not start a GZIP stream (out of memory)")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let produced: Int = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflateBound leaves room for the whole stream")
                return out.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// Decompresses one GZIP member.
    /// - Parameter limit: the most bytes the result may have; more is an error, found without producing them.
    /// - Throws: ``GzipError`` when the input is not GZIP, is damaged or truncated, has trailing bytes, or
    ///   expands beyond `limit`.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard mcred_inflateInit2(&stream, 15 + 16) == Z_OK else { throw .damaged("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var finished = false
        let failure: GzipError? = bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while !finished {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                switch status {
                case Z_STREAM_END: finished = true
                case Z_OK: break
                case Z_BUF_ERROR where stream.avail_in == 0: return .damaged("the data ends before the GZIP stream does")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .damaged(reason)
                }
                guard output.count + produced <= limit else { return .tooLarge(limit: limit) }
                output += chunk[..<produced]
            }
            return stream.avail_in == 0 ? nil : .damaged("there are bytes after the GZIP stream")
        }
        if let failure { throw failure }
        return output
    }
}

/// Why GZIP data could not be decompressed.
public enum GzipError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not GZIP, damaged, truncated, or followed by other bytes.
    case damaged(String)
    /// It expands beyond the caller's limit.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .damaged(let reason): "not valid GZIP data: \(reason)"
        case .tooLarge(let limit): "the GZIP data expands beyond \(limit) bytes"
        }
    }
}
