extension JSONObject {
    /// Calls `body` with the RFC 8785 canonical bytes of this object, leaving out the member named exactly
    /// `omitted` when there is one: the canonical form of the object without that member, with no copy of the
    /// object made. The bytes are valid during the call only.
    ///
    /// - Precondition: No number is NaN or infinite.
    public func withCanonicalBytes<Result, Failure: Error>(
        omitting omitted: String? = nil, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var sink = ByteSink(capacity: 4096)
        writeCanonicalObject(members, skipping: omitted.flatMap(index(forKey:)), into: &sink)
        return try body(sink.bytes)
    }
}

extension JSONValue {
    /// The RFC 8785 (JCS) canonical form as UTF-8 bytes: members sorted by the UTF-16 code units of their names,
    /// JCS string escaping, ES6 number formatting, no whitespace.
    ///
    /// - Precondition: No number is NaN or infinite (see `containsNonFiniteNumber`); parsed values never are.
    public func canonicalBytes() -> [UInt8] {
        var sink = ByteSink(capacity: 1024)
        writeCanonical(into: &sink)
        return sink.array
    }

    /// The RFC 8785 canonical form as a string.
    ///
    /// - Precondition: No number is NaN or infinite.
    public func canonicalString() -> String {
        String(decoding: canonicalBytes(), as: UTF8.self)
    }

    /// Appends the RFC 8785 canonical bytes of this value to `output`, without clearing it.
    ///
    /// - Precondition: No number is NaN or infinite.
    public func writeCanonical(into output: inout [UInt8]) {
        var sink = ByteSink(capacity: 1024)
        writeCanonical(into: &sink)
        output.append(contentsOf: sink.bytes)
    }

    func writeCanonical(into output: inout ByteSink) {
        switch self {
        case .null:
            output.append("null")
        case .bool(let value):
            output.append(value ? "true" : "false")
        case .number(let value):
            appendJCSNumber(value, to: &output)
        case .string(let value):
            writeJSONString(value, into: &output)
        case .array(let elements):
            output.append(0x5B)
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { output.append(0x2C) }
                    elements[index].writeCanonical(into: &output)
                }
            }
            output.append(0x5D)
        case .object(let object):
            writeCanonicalObject(object.members, into: &output)
        }
    }

    /// JSON text that keeps member order, with JCS string escaping and number formatting. `pretty: false` writes no
    /// whitespace; `pretty: true` indents by two spaces, one member or element per line, `"name": value`, and
    /// writes empty containers as `[]` and `{}`. There is no trailing newline.
    ///
    /// - Precondition: No number is NaN or infinite.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var sink = ByteSink(capacity: 1024)
        writeOrdered(into: &sink, indent: pretty ? 0 : -1)
        return sink.array
    }

    /// `indent` is the current level when pretty, or -1 for compact output.
    private func writeOrdered(into output: inout ByteSink, indent: Int) {
        switch self {
        case .null, .bool, .number, .string:
            writeCanonical(into: &output)
        case .array(let elements):
            output.append(0x5B)
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(0x2C) }
                newline(&output, indent < 0 ? -1 : indent + 1)
                element.writeOrdered(into: &output, indent: indent < 0 ? -1 : indent + 1)
            }
            if !elements.isEmpty { newline(&output, indent) }
            output.append(0x5D)
        case .object(let object):
            output.append(0x7B)
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(0x2C) }
                newline(&output, indent < 0 ? -1 : indent + 1)
                writeJSONString(member.key, into: &output)
                output.append(0x3A)
                if indent >= 0 { output.append(0x20) }
                member.value.writeOrdered(into: &output, indent: indent < 0 ? -1 : indent + 1)
            }
            if !object.members.isEmpty { newline(&output, indent) }
            output.append(0x7D)
        }
    }
}

@inline(__always)
private func newline(_ output: inout ByteSink, _ indent: Int) {
    guard indent >= 0 else { return }
    output.append(0x0A)
    output.append(repeating: 0x20, count: 2 * indent)
}

// MARK: - Objects in UTF-16 order

/// Whether `a` sorts before `b` in RFC 8785 order: by UTF-16 code units, compared as unsigned numbers.
///
/// Equivalent to `a.utf16.lexicographicallyPrecedes(b.utf16)`, but computed on UTF-8 bytes.
package func jcsKeyPrecedes(_ a: String, _ b: String) -> Bool {
    compareUTF16Order(a, b, from: 0) < 0
}

/// UTF-8 byte order is code point order, which is UTF-16 order except that U+10000…U+10FFFF (UTF-16 surrogates
/// D800–DFFF; UTF-8 lead bytes F0–F4) sort BEFORE U+E000…U+FFFF (lead bytes EE, EF). Two valid UTF-8 strings
/// first differ either at two lead bytes or at two continuation bytes (80–BF), so moving the lead bytes EE and EF
/// above F4 (to F5 and F6, which never occur in UTF-8) makes plain byte order equal UTF-16 order.
@inline(__always)
func utf16OrderByte(_ byte: UInt8) -> UInt8 {
    byte == 0xEE || byte == 0xEF ? byte &+ 7 : byte
}

/// The first eight order bytes of a name, big-endian, zero-padded. Different prefixes order names correctly;
/// equal prefixes need `compareUTF16Order`.
@inline(__always)
func sortPrefix(_ key: String) -> UInt64 {
    let result = key.utf8.withContiguousStorageIfAvailable { bytes -> UInt64 in
        var prefix: UInt64 = 0
        let count = min(bytes.count, 8)
        if count == 8, let base = bytes.baseAddress {
            let word = UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
            if word & 0x8080_8080_8080_8080 == 0 { return word }  // ASCII: the order bytes are the bytes
        }
        var i = 0
        while i < count {
            prefix |= UInt64(utf16OrderByte(bytes[i])) << UInt64(56 &- 8 &* i)
            i &+= 1
        }
        return prefix
    }
    if let result { return result }
    return sortPrefixSlowly(key)
}

/// Strings without contiguous UTF-8 (bridged ones): copied first.
@inline(never)
private func sortPrefixSlowly(_ key: String) -> UInt64 {
    sortPrefix(String(decoding: Array(key.utf8), as: UTF8.self))
}

/// Negative, zero or positive as `a` sorts before, with, or after `b`, comparing from byte `start` on.
func compareUTF16Order(_ a: String, _ b: String, from start: Int) -> Int {
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in compareUTF16Order(pa, pb, from: start) }
    }
    if let fast, let result = fast { return result }
    return compareUTF16OrderSlowly(a, b, from: start)
}

/// Strings without contiguous UTF-8 (bridged ones): copied first.
@inline(never)
private func compareUTF16OrderSlowly(_ a: String, _ b: String, from start: Int) -> Int {
    Array(a.utf8).withUnsafeBufferPointer { pa in
        Array(b.utf8).withUnsafeBufferPointer { pb in compareUTF16Order(pa, pb, from: start) }
    }
}

func compareUTF16Order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    let count = min(a.count, b.count)
    var i = start
    while i < count {
        let x = a[i]
        let y = b[i]
        if x != y { return Int(utf16OrderByte(x)) - Int(utf16OrderByte(y)) }
        i &+= 1
    }
    return a.count - b.count
}

private struct SortEntry {
    var prefix: UInt64
    var index: Int
}

/// Writes the canonical form of an object with these members, leaving out the member at `skipped` (if any).
private func writeCanonicalObject(_ members: [JSONMember], skipping skipped: Int? = nil, into output: inout ByteSink) {
    output.append(0x7B)
    let count = members.count - (skipped == nil ? 0 : 1)
    if count == 1 && skipped == nil {
        writeJSONString(members[0].key, into: &output)
        output.append(0x3A)
        members[0].value.writeCanonical(into: &output)
    } else if count >= 1 {
        withUnsafeTemporaryAllocation(of: SortEntry.self, capacity: count) { entries in
            var next = 0
            for i in members.indices where i != skipped {
                entries.initializeElement(at: next, to: SortEntry(prefix: sortPrefix(members[i].key), index: i))
                next &+= 1
            }
            @inline(__always) func precedes(_ a: SortEntry, _ b: SortEntry) -> Bool {
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let order = compareUTF16Order(members[a.index].key, members[b.index].key, from: 8)
                return order != 0 ? order < 0 : a.index < b.index
            }
            if count == 1 {
                // Nothing to sort.
            } else if count <= 24 {
                // Insertion sort: few moves for the small, often nearly sorted objects of credentials.
                for i in 1..<count {
                    let entry = entries[i]
                    var j = i
                    while j > 0 && precedes(entry, entries[j &- 1]) {
                        entries[j] = entries[j &- 1]
                        j &-= 1
                    }
                    entries[j] = entry
                }
            } else {
                var buffer = entries
                buffer.sort(by: precedes)
            }
            for position in 0..<count {
                if position > 0 { output.append(0x2C) }
                let index = entries[position].index
                writeJSONString(members[index].key, into: &output)
                output.append(0x3A)
                members[index].value.writeCanonical(into: &output)
            }
            _ = entries.deinitialize()
        }
    }
    output.append(0x7D)
}

// MARK: - Strings

/// Writes `string` as a JSON string with RFC 8785 escaping: `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r`, other
/// characters below U+0020 as `\u00xx` (lowercase hex), everything else (U+007F, U+2028, astral characters, …)
/// as raw UTF-8.
func writeJSONString(_ string: String, into output: inout ByteSink) {
    let done: Void? = string.utf8.withContiguousStorageIfAvailable { writeQuoted($0, into: &output) }
    if done == nil { writeJSONStringSlowly(string, into: &output) }
}

/// Strings without contiguous UTF-8 (bridged ones): copied first.
@inline(never)
private func writeJSONStringSlowly(_ string: String, into output: inout ByteSink) {
    Array(string.utf8).withUnsafeBufferPointer { writeQuoted($0, into: &output) }
}

/// Writes `"`, the escaped bytes and `"`. The common case, a string with nothing to escape, is copied eight bytes at a
/// time while it is checked; the first byte that needs escaping hands the rest to `writeEscaped`.
@inline(__always)
private func writeQuoted(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout ByteSink) {
    let count = bytes.count
    let destination = output.reserve(count &+ 2)
    destination[0] = 0x22
    var i = 0
    if let source = bytes.baseAddress {
        let target = UnsafeMutableRawPointer(destination + 1)
        while i &+ 8 <= count {
            let word = UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)
            if escapeMask(UInt64(littleEndian: word)) != 0 { break }
            target.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        if i &+ 8 > count && i < count {
            if count >= 8 {
                // The last eight bytes, overlapping some already checked (and copied) ones.
                let word = UnsafeRawPointer(source + (count &- 8)).loadUnaligned(as: UInt64.self)
                if escapeMask(UInt64(littleEndian: word)) == 0 {
                    target.storeBytes(of: word, toByteOffset: count &- 8, as: UInt64.self)
                    i = count
                }
            } else {
                while i < count {
                    let byte = source[i]
                    if byte < 0x20 || byte == 0x22 || byte == 0x5C { break }
                    destination[i &+ 1] = byte
                    i &+= 1
                }
            }
        }
        if i < count {
            // Something to escape: bytes before `i` are written, the rest go the slow way.
            output.commit(i &+ 1)
            writeEscaped(UnsafeBufferPointer(start: source + i, count: count &- i), into: &output)
            output.append(0x22)
            return
        }
    }
    destination[count &+ 1] = 0x22
    output.commit(count &+ 2)
}

/// Flags the first byte that is `"`, `\` or below 0x20 (the lowest flag is exact).
@inline(__always)
func escapeMask(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes = word ^ (ones &* 0x22)
    let backslashes = word ^ (ones &* 0x5C)
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl) & highs
}

private let hexDigits: StaticString = "0123456789abcdef"

@inline(never)
private func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout ByteSink) {
    guard let base = bytes.baseAddress else { return }
    let count = bytes.count
    var runStart = 0
    var i = 0
    while i < count {
        if i &+ 8 <= count {
            let mask = escapeMask(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
            if mask == 0 {
                i &+= 8
                continue
            }
            i &+= mask.trailingZeroBitCount &>> 3
        } else {
            let byte = base[i]
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                i &+= 1
                continue
            }
        }
        let byte = base[i]
        if i > runStart {
            output.append(UnsafeBufferPointer(start: base + runStart, count: i &- runStart))
        }
        switch byte {
        case 0x22: output.append(0x5C, 0x22)
        case 0x5C: output.append(0x5C, 0x5C)
        case 0x08: output.append(0x5C, 0x62)  // \b
        case 0x09: output.append(0x5C, 0x74)  // \t
        case 0x0A: output.append(0x5C, 0x6E)  // \n
        case 0x0C: output.append(0x5C, 0x66)  // \f
        case 0x0D: output.append(0x5C, 0x72)  // \r
        default:
            output.append("\\u00")
            output.append(hexDigits.utf8Start[Int(byte >> 4)], hexDigits.utf8Start[Int(byte & 0x0F)])
        }
        i &+= 1
        runStart = i
    }
    if count > runStart {
        output.append(UnsafeBufferPointer(start: base + runStart, count: count &- runStart))
    }
}
