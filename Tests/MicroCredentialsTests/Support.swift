import Foundation
import Testing

/// The folder of official test vectors: `$MCRED_VECTORS`, else `../shared/vectors` beside the package.
/// A missing folder fails the test that needs it; it is never skipped.
func vectorsDirectory() throws -> URL {
    let url: URL
    if let override = ProcessInfo.processInfo.environment["MCRED_VECTORS"], !override.isEmpty {
        url = URL(fileURLWithPath: override)
    } else {
        url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }
    var isDirectory: ObjCBool = false
    try #require(
        FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue,
        "test vectors not found at \(url.path); set MCRED_VECTORS")
    return url
}

func vectorData(_ relativePath: String) throws -> Data {
    try Data(contentsOf: vectorsDirectory().appendingPathComponent(relativePath))
}

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: preconditionFailure("not hex")
        }
    }
    while let high = iterator.next(), let low = iterator.next() {
        bytes.append(nibble(high) << 4 | nibble(low))
    }
    return bytes
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Runs a program to completion and returns its exit status and standard output.
@discardableResult
func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe(), error = Pipe(), input = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, out, err)
}

/// A fresh temporary folder, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mcred-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
