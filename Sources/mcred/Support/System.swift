import Glibc

// The few operating-system services the commands need, straight from the C library.
//
// mcred does not link Foundation: loading it (and the ICU data it brings) and scanning its protocol
// conformances cost several milliseconds at every start, which a batch of files or a script calling mcred
// once per credential pays again and again.

/// Paths, folders and time.
enum System {
    /// The folder for temporary files: `$TMPDIR`, or `/tmp`.
    static var temporaryFolder: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            let folder = String(cString: value)
            return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        }
        return "/tmp"
    }

    /// The value of an environment variable, if it is set.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The last component of a path (`dir/file.json` → `file.json`). Slashes are found by byte, so a
    /// combining mark after one does not hide it.
    static func lastComponent(_ path: String) -> String {
        let (bytes, slash) = lastSlash(path)
        return String(decoding: slash.map { bytes[($0 + 1)...] } ?? bytes, as: UTF8.self)
    }

    /// The folder that holds a path (`dir/file.json` → `dir`, `file.json` → `.`, `/file` → `/`).
    static func folder(of path: String) -> String {
        let (bytes, slash) = lastSlash(path)
        guard let slash else { return "." }
        return slash == 0 ? "/" : String(decoding: bytes[..<slash], as: UTF8.self)
    }

    /// The path's bytes without a trailing slash, and the position of the last slash among them.
    private static func lastSlash(_ path: String) -> (bytes: ArraySlice<UInt8>, slash: Int?) {
        let bytes = Array(path.utf8)
        let trimmed = bytes.count > 1 && bytes.last == 0x2F ? bytes.dropLast() : bytes[...]
        return (trimmed, trimmed.lastIndex(of: 0x2F))
    }

    /// Whether something exists at `path` (a dangling symbolic link does not count).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is a folder, or a symbolic link to one.
    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a folder and any missing parents, as `mkdir -p` does.
    /// - Throws: ``InputError`` naming the folder and the system's reason.
    static func createFolder(_ path: String) throws {
        if isFolder(path) { return }
        let parent = folder(of: path)
        if parent != path && !isFolder(parent) { try createFolder(parent) }
        if mkdir(path, 0o777) != 0 && !(errno == EEXIST && isFolder(path)) {  // less the umask, as mkdir(1)
            throw InputError("cannot create the folder \(path): \(lastError())")
        }
    }

    /// Removes a folder and everything in it, never following a symbolic link (each level is opened with
    /// `O_NOFOLLOW` and emptied through its descriptor). Failures are ignored: this cleans up temporary
    /// folders, where nothing better can be done.
    static func removeTree(_ path: String) {
        if unlink(path) == 0 { return }  // a file or a symbolic link
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { return }
        emptyFolder(folder)
        rmdir(path)
    }

    /// Removes everything inside the open folder `descriptor`, and closes it.
    private static func emptyFolder(_ descriptor: Int32) {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            return
        }
        defer { closedir(directory) }
        var names: [[CChar]] = []  // raw bytes: a name need not be UTF-8
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                Array(bytes.prefix(while: { $0 != 0 }).map { CChar(bitPattern: $0) }) + [0]
            }
            if name != [0x2E, 0] && name != [0x2E, 0x2E, 0] { names.append(name) }
        }
        for name in names where unlinkat(descriptor, name, 0) != 0 {
            let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }
            emptyFolder(child)
            unlinkat(descriptor, name, AT_REMOVEDIR)
        }
    }

    /// A new name for a temporary folder or file: the prefix and 16 random hexadecimal digits.
    static func uniqueName(_ prefix: String) -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return prefix + String(repeating: "0", count: 16 - random.count) + random
    }

    /// The current time in whole seconds since 1970-01-01T00:00:00Z.
    static var secondsSinceEpoch: Int64 {
        Int64(time(nil))
    }

    /// How many cores are online: one worker thread each.
    static var processorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Writes every byte to a descriptor, retrying after interruptions; returns the `errno` of a failure.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// The system's description of the last error (`errno`), in lower case to follow a colon.
    static func lastError() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}
