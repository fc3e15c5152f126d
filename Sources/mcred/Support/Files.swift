import Ed25519OpenSSL
import Glibc

/// Reading inputs and writing outputs for the commands. Only this executable touches the file system.
enum Files {
    /// Largest credential, key or data file the commands read (16 MiB, the JSON parser's default limit).
    static let maximumInputBytes = 16 * 1024 * 1024

    /// Reads a whole file, or standard input for `-`, refusing anything over `limit` bytes.
    static func read(_ path: String, limit: Int = maximumInputBytes) throws -> [UInt8] {
        if path == "-" { return try readStandardInput(limit: limit) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError("cannot read \(path): \(System.lastError())") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw InputError("cannot read \(path): \(System.lastError())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("\(path) is a directory, not a file") }
        if (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) > limit {
            throw InputError("\(path) is \(info.st_size) bytes; the limit is \(limit) bytes")
        }
        let expected = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        return try readAll(descriptor, name: path, limit: limit, expectedSize: expected)
    }

    private static func readStandardInput(limit: Int) throws -> [UInt8] {
        try readAll(STDIN_FILENO, name: "standard input", limit: limit, expectedSize: 0)
    }

    /// Reads to the end. A regular file's size is known, so it is read into one buffer of that size plus one
    /// byte: a read that returns exactly that size and no more is the end of the file, without asking again.
    private static func readAll(_ descriptor: Int32, name: String, limit: Int, expectedSize: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(expectedSize + 1, 4096))
        var used = 0
        while true {
            if used == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let count = bytes[used...].withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError("cannot read \(name): \(System.lastError())")
            }
            if count == 0 { break }
            used += count
            if used > limit { throw InputError("\(name) is over the limit of \(limit) bytes") }
            if expectedSize > 0 && used == expectedSize { break }
        }
        bytes.removeSubrange(used...)
        return bytes
    }

    /// Reads an issuer's private key file (PKCS#8, PEM or DER, plain or encrypted).
    static func signingKey(_ path: String, passphraseFile: String?) throws -> Ed25519PrivateKey {
        let passphrase = try passphraseFile.map(readPassphrase)
        let bytes = try read(path, limit: 1024 * 1024)
        do {
            return try Ed25519PrivateKey(pemOrDER: bytes, passphrase: passphrase)
        } catch {
            throw InputError("\(path): \(error)")
        }
    }

    /// Reads a passphrase file: its first line, without the line break (as `openssl -passin file:` does).
    static func readPassphrase(_ path: String) throws -> [UInt8] {
        let bytes = try read(path, limit: 64 * 1024)
        let line = Array(bytes.prefix(while: { $0 != 0x0A }))
        let passphrase = line.last == 0x0D ? Array(line.dropLast()) : line
        guard !passphrase.isEmpty else { throw InputError("the passphrase file \(path) is empty") }
        return passphrase
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, then renamed over `path`.
    /// Readers see the old file or the whole new one, never a partial one.
    /// - Parameters:
    ///   - mode: the permission bits of the new file (0600 for private keys).
    ///   - overwrite: when false, an existing file at `path` is an error.
    ///   - durable: flush the file to disk before the rename (`fsync`), so that a crash cannot leave an empty
    ///     file behind. Bulk outputs that can be made again skip it: it costs a disk round trip per file.
    static func writeAtomically(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o644, overwrite: Bool = true, durable: Bool = true
    ) throws {
        try writeAllAtomically([(bytes, path, mode)], overwrite: overwrite, durable: durable)
    }

    /// Writes several files that belong together (a key pair, a batch of signed credentials): all or none.
    ///
    /// Every file is first written to a temporary file beside its target. Then each existing target is kept
    /// under a hard-linked backup name, and the temporary files are renamed into place. If anything fails, the
    /// files already renamed are put back as they were, so a failure leaves every target unchanged.
    static func writeAllAtomically(
        _ files: [(bytes: [UInt8], path: String, mode: mode_t)], overwrite: Bool = true, durable: Bool = true
    ) throws {
        for file in files {
            var info = stat()
            guard lstat(file.path, &info) == 0 else { continue }
            if !overwrite { throw InputError("\(file.path) already exists; use --force to replace it") }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("cannot write \(file.path): it is a directory") }
        }
        var staged: [(temporary: String, path: String)] = []
        var backups: [String: String] = [:]  // target → backup
        var replaced: [String] = []
        var finished = false
        defer {
            if !finished {
                for path in replaced.reversed() {
                    if let backup = backups[path] { rename(backup, path) } else { unlink(path) }
                }
                for file in staged { unlink(file.temporary) }
            }
            for backup in backups.values { unlink(backup) }
        }
        for file in files {
            staged.append((try stage(file.bytes, for: file.path, mode: file.mode, durable: durable), file.path))
        }
        for file in staged where access(file.path, F_OK) == 0 {
            let backup = file.temporary + ".previous"
            guard link(file.path, backup) == 0 else {
                throw InputError("cannot replace \(file.path): \(System.lastError())")
            }
            backups[file.path] = backup
        }
        for file in staged {
            guard rename(file.temporary, file.path) == 0 else {
                throw InputError("cannot write \(file.path): \(System.lastError())")
            }
            replaced.append(file.path)
        }
        finished = true
    }

    /// Writes `bytes` to a new temporary file beside `path` and returns its path.
    private static func stage(_ bytes: [UInt8], for path: String, mode: mode_t, durable: Bool) throws -> String {
        let folder = System.folder(of: path)
        guard System.isFolder(folder) else {
            throw InputError("cannot write \(path): the folder \(folder) does not exist")
        }
        let temporary = folder + "/." + System.lastComponent(path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
        defer { close(descriptor) }
        do {
            // The umask may have narrowed `mode`; a private key must end with exactly these bits.
            guard fchmod(descriptor, mode) == 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
            if let failure = System.writeAll(descriptor, bytes) {
                throw InputError("cannot write \(path): \(String(cString: strerror(failure)).lowercased())")
            }
            if durable {
                guard fsync(descriptor) == 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }
}
