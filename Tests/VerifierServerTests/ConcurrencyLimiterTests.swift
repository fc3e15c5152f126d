import Synchronization
import Testing
@testable import VerifierServer

@Suite struct ConcurrencyLimiterTests {
    /// How many operations run now, the most that ever ran at once, and how many finished.
    final class Tally: Sendable {
        let counts = Mutex((running: 0, most: 0, finished: 0))
    }

    @Test func neverRunsMoreThanTheLimitAndRunsEveryOperation() async throws {
        let limiter = ConcurrencyLimiter(3)
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    try await limiter.withPermit {
                        tally.counts.withLock { counts in
                            counts.running += 1
                            counts.most = max(counts.most, counts.running)
                        }
                        try await Task.sleep(for: .milliseconds(5))
                        tally.counts.withLock { counts in
                            counts.running -= 1
                            counts.finished += 1
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = tally.counts.withLock { $0 }
        #expect(counts.most == 3)
        #expect(counts.finished == 40)
    }

    @Test func aThrowingOperationFreesItsPlace() async {
        struct Failure: Error {}
        let limiter = ConcurrencyLimiter(1)
        await #expect(throws: Failure.self) { try await limiter.withPermit { throw Failure() } }
        #expect(await limiter.withPermit { 7 } == 7, "the place was freed")
    }
}
