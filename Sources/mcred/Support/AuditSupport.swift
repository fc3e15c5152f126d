import CanonicalJSON
import CommandLineRuntime
import Ed25519OpenSSL

/// A credential's sample key, SHA-256(seed ‖ digest) (spec/audit.md §2), as four big-endian 64-bit words:
/// comparing them in order compares the 32 bytes.
struct SampleKey: Comparable, Hashable, Sendable {
    let words: (UInt64, UInt64, UInt64, UInt64)

    /// The key of a credential whose digest is `digest`, under `seed`.
    init(seed: [UInt8], digest: [UInt8]) {
        self.init(bytes: SHA256.hash(seed + digest))
    }

    init(bytes: [UInt8]) {
        func word(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for byte in bytes[(index * 8)..<(index * 8 + 8)] { value = value << 8 | UInt64(byte) }
            return value
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// The first eight bytes as a big-endian integer (the `--fraction` rule).
    var prefix: UInt64 { words.0 }

    var hex: String {
        func hex(_ word: UInt64) -> String {
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(words.0) + hex(words.1) + hex(words.2) + hex(words.3)
    }

    static func < (a: SampleKey, b: SampleKey) -> Bool {
        (a.words.0, a.words.1, a.words.2, a.words.3) < (b.words.0, b.words.1, b.words.2, b.words.3)
    }

    static func == (a: SampleKey, b: SampleKey) -> Bool {
        a.words == b.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}

/// The `count` smallest keys seen so far, in a binary max-heap: memory is bounded by `count`.
struct SmallestKeys {
    let count: Int
    private(set) var heap: [SampleKey] = []

    init(count: Int) {
        self.count = count
    }

    /// The largest key kept.
    var largest: SampleKey? { heap.first }

    mutating func insert(_ key: SampleKey) {
        if heap.count < count {
            heap.append(key)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[parent] < heap[child] else { break }
                heap.swapAt(parent, child)
                child = parent
            }
        } else if let top = heap.first, key < top {
            heap[0] = key
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count && heap[largest] < heap[left] { largest = left }
                if right < heap.count && heap[largest] < heap[right] { largest = right }
                guard largest != parent else { break }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
    }
}

/// Lines sorted by their bytes without holding them all: an external merge sort.
///
/// Lines are gathered into runs of at most ``runLength`` lines (or 8 MiB); each run is sorted in memory and
/// appended to an unnamed scratch file. ``merge(_:)`` then merges the runs, at most ``fanIn`` at a time (in
/// several rounds for very many runs), reading each through a 64 KiB window. Memory is bounded by one run plus
/// ``fanIn`` windows, whatever the number of lines.
final class ExternalSorter {
    static let runLength = 8192
    static let runBytes = 8 << 20
    static let fanIn = 64

    private var pending: [[UInt8]] = []
    private var pendingBytes = 0
    private var file: ScratchFile?
    private var runs: [(offset: Int64, length: Int64)] = []

    /// Adds a line; it must end with LF and contain no other.
    func add(_ line: [UInt8]) throws {
        pending.append(line)
        pendingBytes += line.count
        if pending.count >= Self.runLength || pendingBytes >= Self.runBytes { try spill() }
    }

    private func spill() throws {
        guard !pending.isEmpty else { return }
        pending.sort { $0.lexicographicallyPrecedes($1) }
        let file = try self.file ?? ScratchFile()
        self.file = file
        let offset = file.size
        for line in pending { try file.append(line) }
        runs.append((offset, file.size - offset))
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
    }

    /// Calls `body` with every line, in ascending byte order.
    func merge(_ body: ([UInt8]) throws -> Void) throws {
        if runs.isEmpty {
            pending.sort { $0.lexicographicallyPrecedes($1) }
            for line in pending { try body(line) }
            return
        }
        try spill()
        var file = self.file!
        var runs = self.runs
        while runs.count > Self.fanIn {
            try file.flush()
            let next = try ScratchFile()
            var merged: [(offset: Int64, length: Int64)] = []
            for group in stride(from: 0, to: runs.count, by: Self.fanIn) {
                let offset = next.size
                try Self.mergeRuns(Array(runs[group..<min(group + Self.fanIn, runs.count)]), in: file) {
                    try next.append($0)
                }
                merged.append((offset, next.size - offset))
            }
            file = next
            runs = merged
        }
        try file.flush()
        try Self.mergeRuns(runs, in: file, body)
    }

    private static func mergeRuns(
        _ runs: [(offset: Int64, length: Int64)], in file: ScratchFile, _ body: ([UInt8]) throws -> Void
    ) throws {
        var cursors = try runs.map { try RunCursor(file: file, offset: $0.offset, length: $0.length) }
        while true {
            var best: Int?
            for index in cursors.indices {
                guard let line = cursors[index].line else { continue }
                if let current = best, !line.lexicographicallyPrecedes(cursors[current].line!) { continue }
                best = index
            }
            guard let best else { return }
            try body(cursors[best].line!)
            try cursors[best].advance()
        }
    }

    /// One run being read: its current line, and a window of the file after it.
    private struct RunCursor {
        let file: ScratchFile
        var next: Int64
        let end: Int64
        var window: [UInt8] = []
        var position = 0
        var line: [UInt8]?

        init(file: ScratchFile, offset: Int64, length: Int64) throws {
            self.file = file
            next = offset
            end = offset + length
            try advance()
        }

        mutating func advance() throws {
            while true {
                if let newline = window[position...].firstIndex(of: 0x0A) {
                    line = Array(window[position...newline])
                    position = newline + 1
                    return
                }
                guard next < end else {
                    line = nil
                    return
                }
                window.removeSubrange(..<position)
                position = 0
                let want = Int(min(Int64(64 * 1024), end - next))
                let old = window.count
                window += [UInt8](repeating: 0, count: want)
                let file = self.file, offset = next
                let count = try window.withUnsafeMutableBytes {
                    try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[old...]))
                }
                guard count > 0 else { throw InputError("a temporary file ended early") }
                window.removeSubrange((old + count)...)
                next += Int64(count)
            }
        }
    }
}

/// RFC 4180 fields: quoted when they hold a comma, a double quote, CR or LF (quotes doubled).
enum CSV {
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences("\"", with: "\"\"") + "\""
    }

    /// A value taken from a credential: a leading `=`, `+`, `-`, `@`, TAB or CR, which a spreadsheet would
    /// take for a formula, is preceded by a single quote.
    static func untrustedField(_ value: String) -> String {
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            return field("'" + value)
        }
        return field(value)
    }

    static func row(_ fields: [String]) -> String {
        fields.joined(separator: ",") + "\r\n"
    }
}

extension String {
    /// Every occurrence of `target` replaced (the standard library alone has no such method without Foundation).
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
