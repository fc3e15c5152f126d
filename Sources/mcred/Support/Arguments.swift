public import ArgumentParser
import Glibc
import MicroCredentials
public import DataIntegrity
import MicroCredentialProfile
import Synchronization

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
        DateTimeStamp(secondsSinceEpoch: System.secondsSinceEpoch)
    }
}

/// Runs `body` for every index on all cores, keeping results in input order.
///
/// One thread per core takes the next index from a shared counter, so uneven items balance themselves.
/// Each thread first makes its own `state` (a signer, a verifier): objects shared between threads would have
/// their reference counts and caches bounce between cores, which cost a third of the second core here.
func parallelMap<State, T: Sendable>(
    _ count: Int, state makeState: @escaping @Sendable () -> State, _ body: @escaping @Sendable (inout State, Int) -> T
) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer {
        results.deinitialize()
        results.deallocate()
    }
    let slots = SendableBuffer(results)
    let next = Atomic<Int>(0)
    let work: @Sendable () -> Void = {
        var state = makeState()
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < count else { return }
            slots.buffer[index] = body(&state, index)
        }
    }
    let helpers = (0..<max(min(System.processorCount, count) - 1, 0)).compactMap { _ in startThread(work) }
    work()
    for thread in helpers { pthread_join(thread, nil) }
    return results.map { $0! }
}

/// Runs `body` for every index with one task per core, keeping results in input order.
///
/// Each task takes the next index from a shared counter, so uneven items balance themselves.
func concurrentMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
    let next = SharedCounter()
    let workers = max(1, min(System.processorCount, count))
    var results = [T?](repeating: nil, count: count)
    await withTaskGroup(of: [(Int, T)].self) { group in
        for _ in 0..<workers {
            group.addTask {
                var done: [(Int, T)] = []
                while true {
                    let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { return done }
                    done.append((index, await body(index)))
                }
            }
        }
        for await done in group {
            for (index, result) in done { results[index] = result }
        }
    }
    return results.map { $0! }
}

/// A counter that tasks share.
private final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// `parallelMap` without per-thread state.
func parallelMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    parallelMap(count, state: {}) { _, index in body(index) }
}

/// Each index is written by exactly one thread, so sharing the buffer is race-free.
private struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T?>
    init(_ buffer: UnsafeMutableBufferPointer<T?>) { self.buffer = buffer }
}

/// Starts a POSIX thread running `body`; nil when the system refuses (the caller's thread then does the work).
private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { context in
        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
        box.body()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<Box>.fromOpaque(context).release()
        return nil
    }
    return thread
}
