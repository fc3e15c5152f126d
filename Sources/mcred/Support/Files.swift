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
            return try openingEncryptedKey(passphrase) { try Ed25519PrivateKey(pemOrDER: bytes, passphrase: $0) }
        } catch {
            throw InputError("\(path): \(commandLineMessage(error))")
        }
    }

    /// Reads a passphrase file as `openssl -passin file:` does: the bytes before the first LF, a CR before it
    /// included (OpenSSL keeps it). OpenSSL reads at most 1023 bytes and stops at a NUL byte, so a longer
    /// passphrase or one with a NUL is refused rather than used differently from OpenSSL.
    static func readPassphrase(_ path: String) throws -> [UInt8] {
        let bytes = try read(path, limit: 64 * 1024)
        let passphrase = Array(bytes.prefix(while: { $0 != 0x0A }))
        guard !passphrase.isEmpty else { throw InputError("the passphrase file \(path) is empty") }
        if passphrase.contains(0) {
            throw InputError("the passphrase in \(path) contains a NUL byte; `openssl -passin file:` would stop "
                + "there, so it is refused")
        }
        if passphrase.count > 1023 {
            throw InputError("the passphrase in \(path) is \(passphrase.count) bytes; at most 1023 are read, as "
                + "`openssl -passin file:` reads them")
        }
        return passphrase
    }

    /// Opens an encrypted key with `passphrase`; if that passphrase does not open it and ends with a CR, tries
    /// again without that CR: mcred 0.1.0 removed a CR before the LF of a passphrase file (OpenSSL does not),
    /// so keys it encrypted with such a file still open with the same file.
    static func openingEncryptedKey<T>(_ passphrase: [UInt8]?, _ open: ([UInt8]?) throws -> T) throws -> T {
        do {
            return try open(passphrase)
        } catch let error as Ed25519Error where error == .wrongPassphrase {
            guard let passphrase, passphrase.count > 1, passphrase.last == 0x0D,
                  let opened = try? open(Array(passphrase.dropLast())) else { throw error }
            return opened
        }
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
    /// Every file is first written into one staging folder for this run, `.mcred-staging-<pid>-<random>/` in the
    /// folder of the first target (see ``Staging``). Then each existing target is kept under a hard-linked
    /// backup in that folder, and the staged files are renamed into place. If anything fails — including
    /// `confirm`, run after the last rename — the files already renamed are put back as they were, so a failure
    /// leaves every target unchanged. The staging folder is removed at the end.
    static func writeAllAtomically(
        _ files: [(bytes: [UInt8], path: String, mode: mode_t)], overwrite: Bool = true, durable: Bool = true,
        confirm: () throws -> Void = {}
    ) throws {
        for file in files {
            var info = stat()
            guard lstat(file.path, &info) == 0 else { continue }
            if !overwrite { throw InputError("\(file.path) already exists; use --force to replace it") }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError("cannot write \(file.path): it is a directory") }
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
            try stage(file.bytes, at: temporary, for: file.path, mode: file.mode, durable: durable)
            staged.append(temporary)
        }
        var backups: [String?] = []
        backups.reserveCapacity(files.count)
        for (index, file) in files.enumerated() {
            var info = stat()
            guard lstat(file.path, &info) == 0 else {
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

    /// Writes `bytes` to the new file `temporary` (in the staging folder), with exactly `mode`.
    private static func stage(_ bytes: [UInt8], at temporary: String, for path: String, mode: mode_t, durable: Bool) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
        defer { close(descriptor) }
        // The umask may have narrowed `mode`; a private key must end with exactly these bits.
        guard fchmod(descriptor, mode) == 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
        if let failure = System.writeAll(descriptor, bytes) {
            throw InputError("cannot write \(path): \(String(cString: strerror(failure)).lowercased())")
        }
        if durable {
            guard fsync(descriptor) == 0 else { throw InputError("cannot write \(path): \(System.lastError())") }
        }
    }
}
