import Glibc
package import SystemPackage

/// Reading inputs and writing outputs for the executables. Only executables touch the file system.
package enum Files {
    /// Largest credential, key or data file the commands read (16 MiB, the JSON parser's default limit).
    package static let maximumInputBytes = 16 * 1024 * 1024

    /// How messages name standard input.
    package static let standardInputName = "standard input"

    /// How messages name an input: ``standardInputName`` for `-`, else the path.
    package static func displayName(_ path: String) -> String {
        path == "-" ? standardInputName : path
    }

    /// Reads a whole file, or standard input for `-`, refusing anything over `limit` bytes.
    package static func read(_ path: String, limit: Int = maximumInputBytes) throws -> [UInt8] {
        if path == "-" { return try readAll(.standardInput, name: standardInputName, limit: limit, expectedSize: 0) }
        let file = try openForReading(path)
        defer { try? file.close() }
        let info: Stat
        do {
            info = try file.stat()
        } catch {
            throw InputError("cannot read \(path): \(System.reason(error))")
        }
        if info.type == .directory { throw InputError("\(path) is a directory, not a file") }
        if info.type == .regular && Int(info.size) > limit {
            throw InputError("\(path) is \(info.size) bytes; the limit is \(limit) bytes")
        }
        return try readAll(file, name: path, limit: limit, expectedSize: info.type == .regular ? Int(info.size) : 0)
    }

    /// Reads a file's first line (without its line feed), or all of it when it has none, refusing a line longer than
    /// `limit` bytes. A JSON Lines file of any length can be recognised by its first line without reading the rest.
    package static func readFirstLine(_ path: String, limit: Int = maximumInputBytes) throws -> [UInt8] {
        let file = try openForReading(path)
        defer { try? file.close() }
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw InputError("cannot read \(path): \(System.reason(error))")
            }
            if count == 0 { return line }
            if let end = chunk[..<count].firstIndex(of: 0x0A) {
                line += chunk[..<end]
                return line
            }
            line += chunk[..<count]
            if line.count > limit { throw InputError("the first line of \(path) is over the limit of \(limit) bytes") }
        }
    }

    private static func openForReading(_ path: String) throws -> FileDescriptor {
        do {
            return try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
        } catch {
            throw InputError("cannot read \(path): \(System.reason(error))")
        }
    }

    /// Reads to the end. A regular file's size is known, so it is read into one buffer of that size plus one
    /// byte: a read that returns exactly that size and no more is the end of the file, without asking again.
    private static func readAll(_ file: FileDescriptor, name: String, limit: Int, expectedSize: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(expectedSize + 1, 4096))
        var used = 0
        while true {
            if used == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let count: Int
            do {
                count = try bytes[used...].withUnsafeMutableBytes { try file.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw InputError("cannot read \(name): \(System.reason(error))")
            }
            if count == 0 { break }
            used += count
            if used > limit { throw InputError("\(name) is over the limit of \(limit) bytes") }
            if expectedSize > 0 && used == expectedSize { break }
        }
        bytes.removeSubrange(used...)
        return bytes
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, then renamed over `path`.
    /// Readers see the old file or the whole new one, never a partial one.
    /// - Parameters:
    ///   - permissions: the permission bits of the new file (`.ownerReadWrite` for private keys).
    ///   - overwrite: when false, an existing file at `path` is an error.
    ///   - durable: flush the file to disk before the rename (`fsync`), so that a crash cannot leave an empty
    ///     file behind. Bulk outputs that can be made again skip it: it costs a disk round trip per file.
    package static func writeAtomically(
        _ bytes: [UInt8], to path: String, permissions: FilePermissions = publicFile, overwrite: Bool = true,
        durable: Bool = true
    ) throws {
        try writeAllAtomically([(bytes, path, permissions)], overwrite: overwrite, durable: durable)
    }

    /// The permissions of an output anyone may read (0644).
    package static let publicFile: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]

    /// Writes several files that belong together (a key pair, a batch of signed credentials): all or none.
    ///
    /// Every file is first written into one staging folder for this run, `.mcred-staging-<pid>-<random>/` in the
    /// folder of the first target (see ``Staging``). Then each existing target is kept under a hard-linked
    /// backup in that folder, and the staged files are renamed into place. If anything fails — including
    /// `confirm`, run after the last rename — the files already renamed are put back as they were, so a failure
    /// leaves every target unchanged. The staging folder is removed at the end.
    package static func writeAllAtomically(
        _ files: [(bytes: [UInt8], path: String, permissions: FilePermissions)], overwrite: Bool = true,
        durable: Bool = true, confirm: () throws -> Void = {}
    ) throws {
        for file in files {
            guard let type = System.fileType(at: file.path, followingLinks: false) else { continue }
            if !overwrite { throw InputError("\(file.path) already exists; use --force to replace it") }
            if type == .directory { throw InputError("cannot write \(file.path): it is a directory") }
        }
        guard let first = files.first else { return try confirm() }
        let folder = System.folder(of: first.path)
        for file in files where System.folder(of: file.path) != folder || file.path == first.path {
            let target = System.folder(of: file.path)
            guard System.isFolder(target) else {
                throw InputError("cannot write \(file.path): the folder \(target) does not exist")
            }
        }
        Staging.removeStale(in: folder)
        let staging = try Staging.create(in: folder, for: first.path)
        var replaced: [(path: String, backup: String?)] = []
        var finished = false
        defer {
            if !finished {
                for file in replaced.reversed() {
                    if let backup = file.backup { rename(backup, file.path) } else { unlink(file.path) }
                }
            }
            System.removeTree(staging)
        }
        var staged: [String] = []
        staged.reserveCapacity(files.count)
        for (index, file) in files.enumerated() {
            let temporary = staging + "/" + String(index)
            try stage(file.bytes, at: temporary, for: file.path, permissions: file.permissions, durable: durable)
            staged.append(temporary)
        }
        var backups: [String?] = []
        backups.reserveCapacity(files.count)
        for (index, file) in files.enumerated() {
            guard System.hasEntry(file.path) else {
                backups.append(nil)
                continue
            }
            let backup = staging + "/" + String(index) + ".previous"
            guard link(file.path, backup) == 0 else {
                throw InputError("cannot replace \(file.path): \(System.lastError())")
            }
            backups.append(backup)
        }
        for (index, file) in files.enumerated() {
            guard rename(staged[index], file.path) == 0 else {
                throw InputError("cannot write \(file.path): \(System.lastError())")
            }
            replaced.append((file.path, backups[index]))
        }
        try confirm()
        finished = true
    }

    /// Writes `bytes` to the new file `temporary` (in the staging folder), with exactly `permissions`.
    private static func stage(
        _ bytes: [UInt8], at temporary: String, for path: String, permissions: FilePermissions, durable: Bool
    ) throws {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(
                FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: permissions)
        } catch {
            throw InputError("cannot write \(path): \(System.reason(error))")
        }
        defer { try? file.close() }
        // The umask may have narrowed the permissions; a private key must end with exactly these bits.
        guard fchmod(file.rawValue, permissions.rawValue) == 0 else {
            throw InputError("cannot write \(path): \(System.lastError())")
        }
        do {
            try file.writeAll(bytes)
        } catch {
            throw InputError("cannot write \(path): \(System.reason(error))")
        }
        if durable {
            guard fsync(file.rawValue) == 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
        }
    }
}
