import Glibc
import SystemPackage

/// The staging folders in which a run writes its output files before renaming them into place.
///
/// Each run that writes files makes one hidden folder beside its targets, `.mcred-staging-<pid>-<16 hex digits>`,
/// and removes it when it ends. A run killed before that (SIGKILL, a crash, a power cut) leaves its folder
/// behind; the next run writing into the same folder removes it, provided no process with that pid is running.
enum Staging {
    static let prefix = ".mcred-staging-"

    /// Folders already cleaned by this process (a batch writes many files into one folder).
    nonisolated(unsafe) private static var cleaned: [String] = []

    /// Creates this run's staging folder in `folder` (mode 0700); `target` names the file in error messages.
    static func create(in folder: String, for target: String) throws -> String {
        let path = folder + "/" + System.uniqueName(prefix + String(getpid()) + "-")
        guard mkdir(path, 0o700) == 0 else { throw InputError("cannot write \(target): \(System.lastError())") }
        return path
    }

    /// Whether `name` is a staging folder's name: the prefix, a decimal pid, `-`, 16 lowercase hex digits.
    /// Returns its pid.
    static func pid(ofName name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, String(pid) == parts[0],
              parts[1].utf8.count == 16, parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return pid
    }

    /// Removes the staging folders in `folder` left by runs that are no longer running: only real folders (not
    /// symbolic links) whose name matches ``pid(ofName:)`` and whose pid no process has. Once per folder per run.
    static func removeStale(in folder: String) {
        guard !cleaned.contains(folder) else { return }
        cleaned.append(folder)
        guard let directory = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let pid = pid(ofName: name), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno != ESRCH { continue }  // running (or not ours to signal)
            let path = folder + "/" + name
            if System.fileType(at: path, followingLinks: false) == .directory { stale.append(path) }
        }
        closedir(directory)
        for path in stale { System.removeTree(path) }
    }
}
