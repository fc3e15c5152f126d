import Glibc
package import SystemPackage

// The few operating-system services the commands need: swift-system where it has them, the C library for the
// rest (rename, link, mkdir, fsync, fchmod, directory listing and removal).
//
// The executables do not link Foundation: loading it (and the ICU data it brings) and scanning its protocol
// conformances cost several milliseconds at every start, which a batch of files or a script calling mcred
// once per credential pays again and again.

/// Paths, folders, the environment and time.
package enum System {
    /// The folder for temporary files: `$TMPDIR`, or `/tmp`.
    package static var temporaryFolder: String {
        guard let folder = environment("TMPDIR"), !folder.isEmpty else { return "/tmp" }
        return folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
    }

    /// The value of an environment variable, if it is set.
    package static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The last component of a path (`dir/file.json` → `file.json`). `FilePath` splits at slash bytes, so a
    /// combining mark after a slash does not hide it.
    package static func lastComponent(_ path: String) -> String {
        FilePath(path).lastComponent?.string ?? ""
    }

    /// The folder that holds a path (`dir/file.json` → `dir`, `file.json` → `.`, `/file` → `/`).
    package static func folder(of path: String) -> String {
        let parent = FilePath(path).removingLastComponent()
        return parent.isEmpty ? "." : parent.string
    }

    /// The type of what is at `path`; nil if there is nothing (or it cannot be examined).
    /// - Parameter followingLinks: false to describe a symbolic link itself, as `lstat` does.
    package static func fileType(at path: String, followingLinks: Bool = true) -> FileType? {
        (try? Stat(FilePath(path), followTargetSymlink: followingLinks))?.type
    }

    /// Whether something exists at `path` (a dangling symbolic link does not count).
    package static func exists(_ path: String) -> Bool {
        fileType(at: path) != nil
    }

    /// Whether there is an entry at `path`, even a dangling symbolic link.
    package static func hasEntry(_ path: String) -> Bool {
        fileType(at: path, followingLinks: false) != nil
    }

    /// Whether `path` is a folder, or a symbolic link to one.
    package static func isFolder(_ path: String) -> Bool {
        fileType(at: path) == .directory
    }

    /// The device and inode of the file at `path`, following symbolic links; nil if there is none.
    package static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        guard let info = try? Stat(FilePath(path)) else { return nil }
        return (UInt64(info.deviceID.rawValue), UInt64(info.inode.rawValue))
    }

    /// Creates a folder and any missing parents, as `mkdir -p` does.
    /// - Throws: ``InputError`` naming the folder and the system's reason.
    package static func createFolder(_ path: String) throws {
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
    package static func removeTree(_ path: String) {
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
    package static func uniqueName(_ prefix: String) -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return prefix + String(repeating: "0", count: 16 - random.count) + random
    }

    /// The current time in whole seconds since 1970-01-01T00:00:00Z.
    package static var secondsSinceEpoch: Int64 {
        Int64(time(nil))
    }

    /// How many cores are online: one worker each.
    package static var processorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Whether `descriptor` is a terminal.
    package static func isTerminal(_ descriptor: FileDescriptor) -> Bool {
        isatty(descriptor.rawValue) == 1
    }

    /// The system's description of a failure (an `Errno` from swift-system), in lower case to follow a colon.
    package static func reason(_ error: any Error) -> String {
        String(describing: error).lowercased()
    }

    /// ``reason(_:)`` for the last failed C library call (`errno`).
    package static func lastError() -> String {
        reason(Errno(rawValue: errno))
    }
}
