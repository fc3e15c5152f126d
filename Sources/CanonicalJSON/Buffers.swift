/// A growable byte buffer for the serializers: appends without the uniqueness checks of `Array`.
struct ByteSink: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base, count: count)
    }

    /// The bytes as a new array.
    var array: [UInt8] {
        [UInt8](bytes)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(minimumFree: 1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ first: UInt8, _ second: UInt8) {
        if capacity &- count < 2 { grow(minimumFree: 2) }
        base[count] = first
        base[count &+ 1] = second
        count &+= 2
    }

    @inline(__always)
    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        let length = source.count
        guard length > 0, let start = source.baseAddress else { return }
        if capacity &- count < length { grow(minimumFree: length) }
        (base + count).update(from: start, count: length)
        count &+= length
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(repeating byte: UInt8, count length: Int) {
        guard length > 0 else { return }
        if capacity &- count < length { grow(minimumFree: length) }
        (base + count).update(repeating: byte, count: length)
        count &+= length
    }

    /// Makes room for `length` bytes and returns where they go; call `commit(length)` after writing them.
    @inline(__always)
    mutating func reserve(_ length: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity &- count < length { grow(minimumFree: length) }
        return base + count
    }

    @inline(__always)
    mutating func commit(_ length: Int) {
        count &+= length
    }

    /// Out of line: the rare path. Keeping its allocator calls out of the callers also keeps the optimiser from
    /// retaining and releasing the strings and arrays that the serializers read around every append.
    @inline(never)
    private mutating func grow(minimumFree: Int) {
        let newCapacity = max(capacity &* 2, count &+ minimumFree)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// A stack whose top elements can be moved out into an array without retain/release traffic.
/// The parser keeps the elements of all open arrays (and members of open objects) on one such stack.
struct MoveStack<Element>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count &+= 1
    }

    subscript(index: Int) -> Element {
        unsafeAddress { UnsafePointer(base + index) }
    }

    /// Moves the elements from `start` to the top into a new array and removes them.
    mutating func popArray(from start: Int) -> [Element] {
        let length = count &- start
        guard length > 0 else { return [] }
        // `reserveCapacity` + `append` are specialised for `Element`; `init(unsafeUninitializedCapacity:…)` calls a
        // generic stdlib entry point that looks up type metadata at run time.
        var array: [Element] = []
        array.reserveCapacity(length)
        var source = base + start
        for _ in 0..<length {
            array.append(source.move())
            source += 1
        }
        count = start
        return array
    }

    /// Removes the elements from `start` to the top.
    mutating func truncate(to start: Int) {
        (base + start).deinitialize(count: count &- start)
        count = start
    }

    private mutating func grow() {
        let newCapacity = capacity &* 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
