import Synchronization

/// Runs `body` for every index with one task per core, keeping results in input order.
///
/// Each task takes the next index from a shared counter, so uneven items balance themselves.
package func concurrentMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
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
