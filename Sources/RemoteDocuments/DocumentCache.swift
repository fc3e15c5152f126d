import Ed25519OpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fetched documents on disk, one file per URL, named by the SHA-256 (lowercase hex) of the URL.
///
/// A file is a short text header, an empty line, then the body:
///
///     mcred-cache 1
///     url https://uni.example/.well-known/did.json
///     fetched 1767225600
///     max-age 3600
///
///     {"id":"did:web:uni.example", …}
///
/// `fetched` is the fetch time in Unix seconds, `max-age` the seconds the body stays fresh. Files are written to
/// a temporary name in the same directory and renamed into place, so a reader sees a whole entry or none. Every
/// failure to read or write is treated as a cache miss: the cache is an optimization, never a source of errors.
struct DocumentCache: Sendable {
    /// A cached body with its freshness.
    struct Entry: Equatable, Sendable {
        var body: [UInt8]
        var fetched: Int64
        var maxAge: Int64

        func isFresh(at now: Int64) -> Bool { now >= fetched && now - fetched < maxAge }
    }

    let directory: String
    /// Entries whose file is larger than this are not read (the body cap plus room for the header).
    let maximumFileBytes: Int

    /// The file of `url`.
    func path(of url: String) -> String {
        directory + "/" + SHA256.hexDigest(Array(url.utf8))
    }

    /// The entry for `url`, fresh or stale; nil when there is none or it cannot be read.
    func entry(for url: String) -> Entry? {
        guard let bytes = Self.readFile(path(of: url), maximumBytes: maximumFileBytes) else { return nil }
        // The header ends at the first empty line.
        var headerEnd: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A {
                headerEnd = index
                break
            }
            index += 1
        }
        guard let headerEnd else { return nil }
        let lines = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: "\n")
        guard lines.count == 4, lines[0] == "mcred-cache 1", lines[1] == "url " + url,
              lines[2].hasPrefix("fetched "), let fetched = Int64(lines[2].dropFirst("fetched ".count)),
              lines[3].hasPrefix("max-age "), let maxAge = Int64(lines[3].dropFirst("max-age ".count))
        else { return nil }
        return Entry(body: Array(bytes[(headerEnd + 2)...]), fetched: fetched, maxAge: maxAge)
    }

    /// Stores `entry` for `url`, replacing any earlier one atomically. Failures are ignored.
    func store(_ entry: Entry, for url: String) {
        guard Self.makeDirectories(directory) else { return }
        let header = "mcred-cache 1\nurl \(url)\nfetched \(entry.fetched)\nmax-age \(entry.maxAge)\n\n"
        let final = path(of: url)
        let temporary = final + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        guard Self.writeFile(temporary, Array(header.utf8) + entry.body) else {
            unlink(temporary)
            return
        }
        if rename(temporary, final) != 0 { unlink(temporary) }
    }

    /// Removes the entry for `url`, if any.
    func remove(_ url: String) {
        unlink(path(of: url))
    }

    /// The current time in Unix seconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec)
    }

    // MARK: Files

    private static func readFile(_ path: String, maximumBytes: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= maximumBytes else { return nil }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += count
            }
            return true
        }
        return close(descriptor) == 0 && ok
    }

    /// `mkdir -p` with mode 0700 for the directories it creates.
    private static func makeDirectories(_ path: String) -> Bool {
        var isDirectory = stat()
        if stat(path, &isDirectory) == 0 { return (isDirectory.st_mode & S_IFMT) == S_IFDIR }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            guard makeDirectories(String(path[..<slash])) else { return false }
        }
        return mkdir(path, 0o700) == 0 || errno == EEXIST
    }
}
