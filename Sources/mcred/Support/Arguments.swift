public import ArgumentParser
import Foundation
public import MicroCredentials

extension DateTimeStamp: ExpressibleByArgument {
    /// Accepts an XML Schema dateTimeStamp (`2026-01-31T09:00:00Z`, `2026-01-31T10:00:00+01:00`) or a plain
    /// date (`2026-01-31`, read as midnight UTC).
    public init?(argument: String) {
        if let stamp = DateTimeStamp(argument) {
            self = stamp
        } else if argument.count == 10, let stamp = DateTimeStamp(argument + "T00:00:00Z") {
            self = stamp
        } else {
            return nil
        }
    }

    /// The current time, to the second.
    static var now: DateTimeStamp {
        DateTimeStamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }
}

/// Runs `body` for every index on all cores, keeping results in input order.
func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    let slots = SendableBuffer(results)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        slots.buffer[index] = body(index)
    }
    return results.map { $0! }
}

/// Each iteration of `parallelMap` writes its own slot, so sharing the buffer is race-free.
private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
    init(_ buffer: UnsafeMutableBufferPointer<T?>) { self.buffer = buffer }
}
