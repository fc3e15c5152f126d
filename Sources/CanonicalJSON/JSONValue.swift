// CanonicalJSON: a strict I-JSON parser and an RFC 8785 (JCS) serializer, written with the standard library only.
//
// Overview
// --------
// - `JSONValue` is a JSON tree. Objects are `JSONObject`s: an array of members in input order, whose keys keep their
//   exact Unicode scalars. Two keys are the same only when their scalars are identical, so `"\u00e9"` and
//   `"e\u0301"` are two different members (Swift's `String ==` would call them equal; this module never uses it for
//   keys or string values).
// - `JSONValue(parsing:limits:)` accepts exactly RFC 8259 JSON that is also I-JSON (RFC 7493), and throws a
//   `JSONParseError` for anything else: duplicate member names, invalid UTF-8, lone or mis-paired surrogate escapes,
//   numbers outside the finite IEEE 754 double range such as `1e400` (numbers that underflow, such as `1e-400`, are
//   accepted and round to 0 or a subnormal), `NaN`/`Infinity`, leading zeros, trailing commas, raw control
//   characters in strings, and anything but whitespace after the value.
// - Unicode noncharacters (U+FDD0…U+FDEF and every U+xFFFE/U+xFFFF) are ACCEPTED, raw or escaped (also as a
//   surrogate pair), and written raw: they are scalar values that may be interchanged (Unicode Corrigendum #9), and
//   the RFC 8785 implementations other verifiers use accept them. This is the one departure from I-JSON, whose
//   RFC 7493 §2.1 forbids them; rejecting them would make mcred refuse credentials that others sign and verify.
// - Byte order mark: a UTF-8 BOM (`EF BB BF`) at the start is REJECTED with `.byteOrderMark`, message
//   "byte order mark is not allowed (RFC 8259 §8.1)". RFC 8259 forbids sending one; silently skipping it would let
//   two different byte strings verify as the same document.
// - Limits (`JSONLimits`): input size (default 16 MiB, checked before any parsing) and nesting depth (default 128
//   nested arrays/objects; the outermost container is depth 1). Deep or huge input fails fast with an error, never a
//   stack overflow or a hang: the parser recurses once per nesting level (about 0.2 KiB of stack per level in
//   optimised builds), the depth is capped at `JSONLimits.maximumSupportedDepth` (1000) whatever the limits say,
//   and duplicate detection in large objects is hashed (randomly seeded), not quadratic. The serializers, `==`,
//   hashing and deinitialisation also recurse per level; they are safe for anything the parser accepts, but a value
//   nested thousands of levels deep that is built in code can exhaust the stack.
// - Error positions: `JSONParseError.byteOffset` is the 0-based offset in the input bytes where the problem starts
//   (for a duplicate key, the opening quote of the second occurrence). `line` and `column` are 1-based; lines are
//   separated by LF (so CRLF files count correctly) and the column counts BYTES from the start of the line, not
//   characters.
// - `canonicalBytes()` / `writeCanonical(into:)` produce RFC 8785 output: members sorted by UTF-16 code units, JCS
//   string escaping, ES6 number formatting (`jcsNumberString`), no whitespace. `serialized(pretty:)` writes the same
//   escaping and numbers but keeps member order, for people.
// - NaN and Infinity: a `JSONValue` produced by the parser only holds finite numbers. A non-finite `.number` built
//   in code cannot be serialized: the serializers and `jcsNumberString` stop with a precondition failure
//   (RFC 8785 §3.2.2.3 says such values MUST fail). Check `containsNonFiniteNumber` first when values come from
//   arithmetic.

/// A JSON value. Parsed values are always I-JSON: numbers are finite and object member names are unique.
///
/// Equality compares strings and member names by their exact Unicode scalars (not by canonical equivalence),
/// numbers with `==` (so `0 == -0`), and objects member by member in order.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// Always finite when parsed. `-0` is kept in the value and serialized as `0`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// One object member: a name and its value.
public struct JSONMember: Sendable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object: members in input (or insertion) order, names compared by exact Unicode scalars.
///
/// Lookups are linear, which is the fast choice for the small objects of credentials. The keyed subscript, the
/// parser and the literal initialiser keep names unique; `members` and `init(_:)` are not checked, so code that
/// edits `members` directly must not add a second member with the same name (RFC 8785 needs unique names).
public struct JSONObject: Sendable {
    /// The members in order.
    public var members: [JSONMember]

    /// Creates an object from members, in the given order. Names are not checked for duplicates.
    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    /// The index of the member whose name has exactly the scalars of `key`.
    public func index(forKey key: String) -> Int? {
        for index in members.indices where exactlyEqual(members[index].key, key) {
            return index
        }
        return nil
    }

    /// The value of the member named exactly `key`. Setting `nil` removes the member; setting a value replaces the
    /// member's value in place, or appends a new member at the end.
    public subscript(key: String) -> JSONValue? {
        get {
            index(forKey: key).map { members[$0].value }
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(JSONMember(key, newValue))
            }
        }
    }

    /// Whether a member is named exactly `key`.
    public func contains(key: String) -> Bool {
        index(forKey: key) != nil
    }

    /// The member names in order.
    public var keys: [String] {
        members.map(\.key)
    }

    /// Removes the member named exactly `key` and returns its value, or returns `nil` if there is none.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        return members.remove(at: index).value
    }
}

extension JSONObject: RandomAccessCollection {
    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> JSONMember { members[position] }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Keeps the literal's order. Two identical names in one literal are a programming error and trap.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(literal: elements)
    }

    /// The members of a dictionary literal, in order; a repeated name traps.
    init(literal elements: [(String, JSONValue)]) {
        self.init()
        members.reserveCapacity(elements.count)
        for (key, value) in elements {
            precondition(!contains(key: key), "duplicate member name in a JSON object literal")
            members.append(JSONMember(key, value))
        }
    }
}

// MARK: - Equality and hashing (exact scalars)

/// Exact Unicode scalar equality: the same UTF-8 bytes. Never uses `String ==` (canonical equivalence).
@inline(__always)
func exactlyEqual(_ a: String, _ b: String) -> Bool {
    let ua = a.utf8
    let ub = b.utf8
    guard ua.count == ub.count else { return false }
    let fast = ua.withContiguousStorageIfAvailable { pa in
        ub.withContiguousStorageIfAvailable { pb in bytesEqual(pa, pb) }
    }
    if let fast, let result = fast { return result }
    return ua.elementsEqual(ub)
}

@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = a.count
    guard count == b.count else { return false }
    guard count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    var i = 0
    while i &+ 8 <= count {
        if UnsafeRawPointer(pa + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(pb + i).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        i &+= 8
    }
    while i < count {
        if pa[i] != pb[i] { return false }
        i &+= 1
    }
    return true
}

func hashExactly(_ string: String, into hasher: inout Hasher) {
    let utf8 = string.utf8
    hasher.combine(utf8.count)
    let done: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    if done == nil {
        for byte in utf8 { hasher.combine(byte) }
    }
}

extension JSONMember: Hashable {
    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        exactlyEqual(lhs.key, rhs.key) && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hashExactly(key, into: &hasher)
        value.hash(into: &hasher)
    }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members == rhs.members
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
    }
}

extension JSONValue: Hashable {
    /// Strings compare by exact scalars, numbers with `==`, arrays and objects element by element in order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): exactlyEqual(a, b)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a == b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .number(let value):
            hasher.combine(2 as UInt8)
            hasher.combine(value)  // Double hashes 0 and -0 alike, matching ==.
        case .string(let value):
            hasher.combine(3 as UInt8)
            hashExactly(value, into: &hasher)
        case .array(let value):
            hasher.combine(4 as UInt8)
            hasher.combine(value)
        case .object(let value):
            hasher.combine(5 as UInt8)
            hasher.combine(value)
        }
    }
}

// MARK: - Convenience accessors

extension JSONValue {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The number, if this is a number.
    public var numberValue: Double? {
        if case .number(let value) = self { value } else { nil }
    }

    /// The Boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The value of the member named exactly `key`; `nil` unless this is an object with such a member.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The element at `index`; `nil` unless this is an array and `index` is in range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { array[index] } else { nil }
    }

    /// Whether any number in this value is NaN or infinite. Such a value cannot be serialized (the serializers
    /// stop with a precondition failure); parsed values never contain one.
    public var containsNonFiniteNumber: Bool {
        switch self {
        case .number(let value): !value.isFinite
        case .array(let elements): elements.contains { $0.containsNonFiniteNumber }
        case .object(let object): object.members.contains { $0.value.containsNonFiniteNumber }
        case .null, .bool, .string: false
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Keeps the literal's order. Two identical names in one literal are a programming error and trap.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(literal: elements))
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}
