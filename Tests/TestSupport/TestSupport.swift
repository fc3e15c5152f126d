public import Foundation
import Testing

/// The folder of official test vectors: `$MCRED_VECTORS` when set, else `Tests/Vectors` inside the
/// package (copies of the files the tests use, with their provenance in `Tests/Vectors/README.md`).
/// A missing folder or file fails the test that needs it (locally and when `CI=true`); it is never skipped.
public enum Vectors {
    public static func directory() throws -> URL {
        let url: URL
        if let override = ProcessInfo.processInfo.environment["MCRED_VECTORS"], !override.isEmpty {
            url = URL(fileURLWithPath: override)
        } else {
            url = packageRoot().appendingPathComponent("Tests/Vectors")
        }
        var isDirectory: ObjCBool = false
        let ci = ProcessInfo.processInfo.environment["CI"] == "true"
        try #require(
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue,
            "test vectors not found at \(url.path)\(ci ? " (CI=true)" : ""); set MCRED_VECTORS")
        return url
    }

    public static func url(_ relativePath: String) throws -> URL {
        try directory().appendingPathComponent(relativePath)
    }

    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        let url = try url(relativePath)
        try #require(FileManager.default.fileExists(atPath: url.path), "missing vector file \(url.path)")
        return try [UInt8](Data(contentsOf: url))
    }

    public static func data(_ relativePath: String) throws -> Data {
        Data(try bytes(relativePath))
    }

    public static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }

    public static func fileNames(in relativePath: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(relativePath).path).sorted()
    }
}

/// The repository root, from this file's path (Tests/TestSupport/TestSupport.swift).
public func packageRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// Bytes from hex text; white space is ignored.
public func hex(_ text: String) -> [UInt8] {
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

/// Lowercase hex of bytes.
public func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// SplitMix64: a small seeded generator, so that every random failure reproduces.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The outcome of a program run.
public struct ProgramResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: Data
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    public var errorLines: [Substring] { errorOutput.split(separator: "\n") }
}

/// Runs a program to completion; a name without a slash is looked up on PATH.
/// `environment`, when given, replaces the inherited environment.
@discardableResult
public func run(
    _ arguments: [String], in directory: URL? = nil, stdin: Data = Data(), environment: [String: String]? = nil
) throws -> ProgramResult {
    let process = Process()
    if let environment { process.environment = environment }
    if arguments[0].contains("/") {
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
    }
    process.currentDirectoryURL = directory ?? packageRoot()
    let output = Pipe(), error = Pipe(), input = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input
    try process.run()
    // Both pipes are drained while the program runs, so a large output cannot block it.
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data(), err = Data()
    DispatchQueue.global().async(group: group) { out = readToEnd(output.fileHandleForReading) }
    DispatchQueue.global().async(group: group) { err = readToEnd(error.fileHandleForReading) }
    input.fileHandleForWriting.write(stdin)
    try input.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return ProgramResult(status: process.terminationStatus, stdout: out, stderr: err)
}

/// Reads a pipe to its end, retrying reads that a signal interrupted.
private func readToEnd(_ handle: FileHandle) -> Data {
    var data = Data()
    while true {
        do {
            guard let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty else { return data }
            data.append(chunk)
        } catch let error as NSError where error.domain == NSPOSIXErrorDomain && error.code == Int(EINTR) {
            continue
        } catch {
            return data
        }
    }
}

/// A fresh temporary folder; the caller removes it.
public func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mcred-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A TCP socket bound to a port the kernel picks on 127.0.0.1, listening when `listening` is true (to hold the port
/// taken), else only bound (close it to free the port for another process): its descriptor, to close, and its port.
public func loopbackSocket(listening: Bool) throws -> (descriptor: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw LoopbackSocketError(description: "socket() failed: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && (!listening || listen(descriptor, 1) == 0)
                && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard bound else {
        close(descriptor)
        throw LoopbackSocketError(description: "binding 127.0.0.1:0 failed: errno \(errno)")
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}

/// Why ``loopbackSocket(listening:)`` failed.
public struct LoopbackSocketError: Error, CustomStringConvertible {
    public let description: String
}
