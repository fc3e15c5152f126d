import CanonicalJSON
import CommandLineRuntime
import SystemPackage

/// Checks made before a command writes its output files, so that an output never replaces an input that
/// cannot be made again.
enum OutputChecks {
    /// Refuses any of `targets` that is the same file (device and inode, links followed) as the key file or
    /// the passphrase file; standard input (`-`) is no file.
    static func refuseProtected(_ targets: [String], key: String?, passphraseFile: String?) throws {
        var protected: [(device: UInt64, inode: UInt64, what: String)] = []
        if let key, key != "-", let id = System.identity(key) { protected.append((id.device, id.inode, "the key file (--key)")) }
        if let passphraseFile, passphraseFile != "-", let id = System.identity(passphraseFile) {
            protected.append((id.device, id.inode, "the passphrase file (--passphrase-file)"))
        }
        guard !protected.isEmpty else { return }
        for target in targets {
            guard let id = System.identity(target) else { continue }
            if let match = protected.first(where: { $0.device == id.device && $0.inode == id.inode }) {
                throw InputError("cannot write \(target): it is \(match.what)")
            }
        }
    }

    /// Refuses an existing `path` that is not a JSON document (a key, a document, a device…), unless `force`.
    /// A folder is left to the writer, which refuses it with its own message.
    static func refuseNonJSON(_ path: String, force: Bool) throws {
        guard !force, let type = System.fileType(at: path), type != .directory else { return }
        if type == .regular, let bytes = try? Files.read(path), (try? JSONValue(parsing: bytes)) != nil {
            return
        }
        throw InputError("\(path) already exists and is not JSON; use --force to replace it")
    }

    /// Refuses an existing `path` whose first line is not a JSON document (JSON Lines), unless `force`.
    static func refuseNonJSONLines(_ path: String, force: Bool) throws {
        guard !force, let type = System.fileType(at: path), type != .directory else { return }
        if type == .regular, let line = try? Files.readFirstLine(path), (try? JSONValue(parsing: line)) != nil {
            return
        }
        throw InputError("\(path) already exists and is not JSON Lines; use --force to replace it")
    }
}
