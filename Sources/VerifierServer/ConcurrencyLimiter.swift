/// Lets at most a fixed number of operations run at once; the others wait in arrival order.
actor ConcurrencyLimiter {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var firstWaiting = 0

    init(_ limit: Int) {
        precondition(limit > 0, "a concurrency limit is at least 1")
        available = limit
    }

    /// Runs `operation` once a place is free, and frees it after.
    nonisolated func withPermit<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await operation()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        guard firstWaiting < waiting.count else {
            available += 1
            return
        }
        let next = waiting[firstWaiting]
        firstWaiting += 1
        if firstWaiting == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            firstWaiting = 0
        }
        next.resume()
    }
}
