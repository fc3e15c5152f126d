import Foundation
import Testing

/// The folder of shared test vectors: `$MCRED_VECTORS`, else `../shared/vectors` beside the package root.
/// A missing folder fails the test that needs it (locally and when `CI=true`); it is never skipped.
enum Vectors {
    static func directory() throws -> URL {
        let url: URL
        if let override = ProcessInfo.processInfo.environment["MCRED_VECTORS"], !override.isEmpty {
            url = URL(fileURLWithPath: override)
        } else {
            // Tests/CanonicalJSONTests/Vectors.swift → package root → ../shared/vectors
            let packageRoot = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
        }
        var isDirectory: ObjCBool = false
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        try #require(
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue,
            "test vectors not found at \(url.path)\(ci ? " (CI=true)" : ""); set MCRED_VECTORS")
        return url
    }

    static func url(_ relativePath: String) throws -> URL {
        try directory().appendingPathComponent(relativePath)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let url = try url(relativePath)
        try #require(FileManager.default.fileExists(atPath: url.path), "missing vector file \(url.path)")
        return try [UInt8](Data(contentsOf: url))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }

    static func fileNames(in relativePath: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(relativePath).path).sorted()
    }
}

/// Bytes from hex text; whitespace is ignored.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.utf8.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: preconditionFailure("not hex")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// A double from 1–16 hex digits of its IEEE 754 bit pattern.
func doubleFromHexBits(_ text: Substring) -> Double? {
    UInt64(text, radix: 16).map(Double.init(bitPattern:))
}

/// SplitMix64: a small seeded generator, so that every failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
