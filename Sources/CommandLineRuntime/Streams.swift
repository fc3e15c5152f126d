import Glibc
package import SystemPackage

// Streaming input and output for commands whose data need not fit in memory (`mcred audit`): files read line
// by line in blocks, outputs written through a buffer (atomically for a file), and unnamed scratch files.

/// Reads a file or standard input line by line, one block at a time: memory holds one block and the longest
/// line, whatever the size of the input.
package final class LineReader {
    private let file: FileDescriptor
    private let closesFile: Bool
    private let name: String
    private let lineLimit: Int
    private let observe: ((UnsafeRawBufferPointer) throws -> Void)?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// The number of the line last returned (1 for the first).
    package private(set) var lineNumber = 0

    /// - Parameters:
    ///   - file: the open input, read from its current position.
    ///   - name: how messages name the input.
    ///   - closesFile: close `file` when the reader is closed.
    ///   - lineLimit: the longest line accepted, in bytes; a longer one is an ``InputError``.
    ///   - observe: called with every block read, in order (to hash or copy the input as it passes).
    package init(
        file: FileDescriptor, name: String, closesFile: Bool, lineLimit: Int = Files.maximumInputBytes,
        observe: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) {
        self.file = file
        self.name = name
        self.closesFile = closesFile
        self.lineLimit = lineLimit
        self.observe = observe
        self.buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    /// Opens `path` for reading, or standard input for `-`.
    package convenience init(
        path: String, lineLimit: Int = Files.maximumInputBytes,
        observe: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws {
        if path == "-" {
            self.init(file: .standardInput, name: Files.standardInputName, closesFile: false, lineLimit: lineLimit,
                      observe: observe)
            return
        }
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
        } catch {
            throw InputError("cannot read \(path): \(System.reason(error))")
        }
        if (try? file.stat())?.type == .directory {
            try? file.close()
            throw InputError("\(path) is a directory, not a file")
        }
        self.init(file: file, name: path, closesFile: true, lineLimit: lineLimit, observe: observe)
    }

    /// Closes the file if the reader owns it.
    package func close() {
        if closesFile { try? file.close() }
    }

    /// The next line, without its LF and without one CR before the LF; nil at the end of the input. A last
    /// line without LF is returned too.
    package func next() throws -> [UInt8]? {
        var scanned = start
        while true {
            if let newline = buffer[scanned..<end].firstIndex(of: 0x0A) {
                var last = newline
                if last > start && buffer[last - 1] == 0x0D { last -= 1 }
                let line = Array(buffer[start..<last])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < end else { return nil }
                var last = end
                if buffer[last - 1] == 0x0D { last -= 1 }
                let line = Array(buffer[start..<last])
                start = end
                lineNumber += 1
                return line
            }
            if end - start > lineLimit {
                throw InputError("line \(lineNumber + 1) of \(name) is over the limit of \(lineLimit) bytes")
            }
            // Keep the partial line at the front, grow the buffer if it is full, and read one more block.
            let pending = end - start
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { pointer in
                    _ = memmove(pointer.baseAddress!, pointer.baseAddress! + start, pending)
                }
                start = 0
                end = pending
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            scanned = end
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { bytes in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[end...]), retryOnInterrupt: true)
                }
            } catch {
                throw InputError("cannot read \(name): \(System.reason(error))")
            }
            if count == 0 {
                atEnd = true
            } else {
                if let observe { try buffer.withUnsafeBytes { try observe(UnsafeRawBufferPointer(rebasing: $0[end..<(end + count)])) } }
                end += count
            }
        }
    }
}

/// An output written through a 256 KiB buffer: standard output, or a file replaced atomically when the
/// output is complete (a temporary file in the same folder, renamed over the target by ``commit()``).
package final class OutputSink {
    private let file: FileDescriptor
    private let target: String?
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var done = false

    /// Standard output.
    package init() {
        file = .standardOutput
        target = nil
        temporary = nil
        buffer.reserveCapacity(256 * 1024)
    }

    /// A new file that replaces `path` when committed (mode 0644 less nothing: exactly 0644).
    package init(atomicallyReplacing path: String) throws {
        if System.isFolder(path) { throw InputError("cannot write \(path): it is a folder") }
        let temporary = System.folder(of: path) + "/" + System.uniqueName(".mcred-partial-" + String(getpid()) + "-")
        do {
            file = try FileDescriptor.open(
                FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: Files.publicFile)
        } catch {
            throw InputError("cannot write \(path): \(System.reason(error))")
        }
        fchmod(file.rawValue, Files.publicFile.rawValue)
        target = path
        self.temporary = temporary
        buffer.reserveCapacity(256 * 1024)
    }

    deinit { discard() }

    private var name: String { target ?? "standard output" }

    /// Appends bytes.
    package func write(_ bytes: some Collection<UInt8>) throws {
        if buffer.count + bytes.count > 256 * 1024 { try flush() }
        buffer.append(contentsOf: bytes)
    }

    /// Appends a string's UTF-8 bytes.
    package func write(_ text: String) throws {
        try write(text.utf8)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try file.writeAll(buffer)
        } catch {
            throw InputError("cannot write \(name): \(System.reason(error))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered; for a file, flushes it to disk and renames it over the target.
    package func commit() throws {
        try flush()
        guard let target, let temporary, !done else { return }
        guard fsync(file.rawValue) == 0 else { throw InputError("cannot write \(target): \(System.lastError())") }
        try? file.close()
        done = true
        guard rename(temporary, target) == 0 else {
            let reason = System.lastError()
            unlink(temporary)
            throw InputError("cannot write \(target): \(reason)")
        }
    }

    /// Abandons a file output: the target is left as it was.
    package func discard() {
        guard let temporary, !done else { return }
        done = true
        try? file.close()
        unlink(temporary)
    }
}

/// A temporary file with no name (created in the temporary folder and unlinked at once, so nothing is left
/// behind even if the process is killed), appended to through a buffer and read back at any offset.
package final class ScratchFile {
    /// The open file.
    package let descriptor: FileDescriptor
    /// Bytes appended so far (buffered ones included).
    package private(set) var size: Int64 = 0
    private var buffer: [UInt8] = []

    package init() throws {
        let path = System.temporaryFolder + "/" + System.uniqueName(".mcred-scratch-")
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), .readWrite, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: .ownerReadWrite)
        } catch {
            throw InputError("cannot create a temporary file in \(System.temporaryFolder): \(System.reason(error))")
        }
        unlink(path)
        buffer.reserveCapacity(256 * 1024)
    }

    deinit { try? descriptor.close() }

    /// Appends bytes at the end.
    package func append(_ bytes: some Collection<UInt8>) throws {
        if buffer.count + bytes.count > 256 * 1024 { try flush() }
        buffer.append(contentsOf: bytes)
        size += Int64(bytes.count)
    }

    /// Appends raw bytes at the end.
    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        try append(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// Writes the buffered bytes to the file.
    package func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try descriptor.writeAll(buffer)
        } catch {
            throw InputError("cannot write a temporary file in \(System.temporaryFolder): \(System.reason(error))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads up to `buffer.count` bytes at `offset` (after ``flush()``); returns how many were read.
    package func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try descriptor.read(fromAbsoluteOffset: offset, into: buffer, retryOnInterrupt: true)
        } catch {
            throw InputError("cannot read a temporary file: \(System.reason(error))")
        }
    }

    /// A reader of the whole file from its start, line by line (after ``flush()``).
    package func lineReader(observe: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> LineReader {
        try flush()
        guard lseek(descriptor.rawValue, 0, SEEK_SET) == 0 else {
            throw InputError("cannot read a temporary file: \(System.lastError())")
        }
        return LineReader(file: descriptor, name: "a temporary file", closesFile: false,
                          observe: observe)
    }
}

extension System {
    /// The names in a folder (not `.` and `..`), sorted by their UTF-8 bytes.
    /// - Throws: ``InputError`` when the folder cannot be read.
    package static func folderEntries(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw InputError("cannot read the folder \(path): \(lastError())") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
