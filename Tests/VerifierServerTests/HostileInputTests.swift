import CanonicalJSON
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import TestSupport
import Testing
import VerifierServer

/// Bad input over HTTP gets a 4xx answer and leaves the server up.
@Suite struct HostileInputTests {
    @Test func randomBodiesDeepNestingAndHugeBodiesGetClientErrors() async throws {
        try await makeServer().application().test(.router) { client in
            var generator = SplitMix64(seed: 0x6D63_7265_6473)
            var statuses: [Int: Int] = [:]
            for _ in 0..<10_000 {
                let count = Int.random(in: 16...2048, using: &generator)
                let body = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let path = Bool.random(using: &generator) ? "/v1/verify" : "/v1/inspect"
                statuses[try await client.post(path, body).status.code, default: 0] += 1
            }
            #expect(statuses == [400: 10_000])

            for nested in ["[", "{\"a\":", "{\"a\":["] {
                let deep = Array(String(repeating: nested, count: 100_000).utf8)
                let answer = try await client.post("/v1/verify", deep)
                #expect(answer.status == .badRequest, "\(nested)")
                #expect(try answer.json()["detail"]?.stringValue?.contains("deep") == true, "\(nested)")
            }

            let huge = [UInt8](repeating: UInt8(ascii: "["), count: 3 * 1024 * 1024)
            #expect(try await client.post("/v1/verify", huge).status == .contentTooLarge)
            #expect(try await client.post("/v1/inspect", huge).status == .contentTooLarge)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    /// A client that sends a request one byte at a time is cut off by the read time-out, and the server goes on
    /// answering others.
    @Test func slowSenderIsCutOffByTheReadTimeout() async throws {
        let server = makeServer(.init(port: 0, readTimeout: .seconds(1)))
        try await withLiveServer(server) { port in
            let started = ContinuousClock.now
            let received = try await trickle(
                Array("POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{".utf8),
                to: port, every: .milliseconds(100), for: .seconds(8))
            let elapsed = ContinuousClock.now - started
            #expect(received.isEmpty, "no answer to an incomplete request")
            #expect(elapsed < .seconds(4), "closed after \(elapsed), expected about 1 s")

            let answer = try await trickle(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), to: port,
                                           every: .zero, for: .seconds(3))
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }

    /// Sends `bytes` one at a time, `every` apart, while reading; returns what the server sent by the time it
    /// closed the connection or `limit` passed.
    private func trickle(_ bytes: [UInt8], to port: Int, every gap: Duration, for limit: Duration) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    var received: [UInt8] = []
                    for try await buffer in inbound { received += buffer.readableBytesView }
                    return received
                }
                group.addTask {
                    if gap == .zero {
                        try await outbound.write(ByteBuffer(bytes: bytes))
                    } else {
                        for byte in bytes {
                            try await outbound.write(ByteBuffer(bytes: [byte]))
                            try await Task.sleep(for: gap)
                        }
                    }
                    try await Task.sleep(for: limit)
                    return nil
                }
                var received: [UInt8] = []
                do {
                    while let result = try await group.next() {
                        if let result {
                            received = result
                            break
                        }
                    }
                } catch {
                    // The write failed because the server closed the connection: what was read so far counts.
                }
                group.cancelAll()
                return received
            }
        }
    }
}
