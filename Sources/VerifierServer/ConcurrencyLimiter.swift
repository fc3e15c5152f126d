import Synchronization

/// Lets at most a fixed number of operations run at once; the others wait in arrival order. Taking a free place
/// does not suspend, so an unloaded server pays only a lock.
final class ConcurrencyLimiter: Sendable {
    private struct State {
        var available: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
        var firstWaiting = 0
    }

    private let state: Mutex<State>

    init(_ limit: Int) {
        precondition(limit > 0, "a concurrency limit is at least 1")
        state = Mutex(State(available: limit))
    }

    /// Runs `operation` once a place is free, and frees it after.
    func withPermit<T>(_ operation: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await operation()
    }

    private func acquire() async {
        let taken = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            let takenMeanwhile = state.withLock { state in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if takenMeanwhile { continuation.resume() }
        }
    }

    /// Hands the place to the first waiting operation, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.firstWaiting < state.waiting.count else {
                state.available += 1
                return nil
            }
            let next = state.waiting[state.firstWaiting]
            state.firstWaiting += 1
            if state.firstWaiting == state.waiting.count {
                state.waiting.removeAll(keepingCapacity: true)
                state.firstWaiting = 0
            }
            return next
        }
        next?.resume()
    }
}
