public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import NIOPosix
public import MicroCredentials

/// The web verifier: an HTML page for people and an HTTP API for machines over one ``CredentialVerifier``
/// (`spec/serve.md`, `spec/openapi.yaml`). It stores nothing; every instance answers every request alike, so any
/// number of them can stand behind a load balancer.
///
/// ```swift
/// let server = VerifierServer(verifier: CredentialVerifier(), configuration: .init(port: 8080), logger: logger)
/// try await server.run()   // until SIGTERM or SIGINT
/// ```
public struct VerifierServer: Sendable {
    /// Where the server listens and what it allows a client.
    public struct Configuration: Sendable {
        /// The address to bind: `127.0.0.1` by default, so that only this machine can connect.
        public var host: String
        /// The TCP port; 0 takes a free one (see ``VerifierServer/application(onListening:)``).
        public var port: Int
        /// The largest request body accepted; a larger one is answered 413.
        public var maximumBodyBytes: Int
        /// How long a client has to send a whole request, counted from when the server is ready for it (the
        /// connection opened or the previous response sent); then the connection is closed.
        public var readTimeout: Duration
        /// Connections open at once; further ones wait in the listen backlog.
        public var maximumConnections: Int
        /// Requests read and verified at once; further ones wait their turn before their body is read.
        public var maximumConcurrentRequests: Int

        public init(
            host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 2 * 1024 * 1024,
            readTimeout: Duration = .seconds(10), maximumConnections: Int = 1024, maximumConcurrentRequests: Int = 64
        ) {
            self.host = host
            self.port = port
            self.maximumBodyBytes = maximumBodyBytes
            self.readTimeout = readTimeout
            self.maximumConnections = maximumConnections
            self.maximumConcurrentRequests = maximumConcurrentRequests
        }
    }

    public let configuration: Configuration
    let responder: VerifierResponder
    let logger: Logger

    /// A server answering with `verifier`, whose policy, resolvers, status and trust evaluators it uses as they are.
    /// - Parameter logger: receives one line per request (method, path, status, duration), never a credential.
    public init(verifier: CredentialVerifier, configuration: Configuration = .init(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.responder = VerifierResponder(
            verifier: verifier, maximumBodyBytes: configuration.maximumBodyBytes,
            limiter: ConcurrencyLimiter(configuration.maximumConcurrentRequests), logger: logger)
    }

    /// The Hummingbird application: run it with `runService()` (which stops gracefully on SIGTERM and SIGINT),
    /// or test it with HummingbirdTesting.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func application(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let timeout = TimeAmount.nanoseconds(
            configuration.readTimeout.components.seconds * 1_000_000_000
                + configuration.readTimeout.components.attoseconds / 1_000_000_000)
        return Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: timeout)])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(Self.ioThreads),
            logger: logger
        )
    }

    /// The threads that do the network I/O, a quarter of the processors (at least one): verification runs on Swift
    /// concurrency's pool, and on a small machine fewer I/O threads leave it more of the processors (measured on 2
    /// cores: 6 % more verifications a second, and half the 99th percentile latency, than one thread per core).
    static let ioThreads = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 4))

    /// Serves until SIGTERM or SIGINT, then stops after the requests in progress.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }
}
