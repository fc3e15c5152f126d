import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 and a free port, for the CLI's did:web tests only (a trimmed copy of
/// `Tests/RemoteDocumentsTests/LoopbackServer.swift`). It counts the connections it accepts and the requests it
/// gets, by path.
final class LoopbackHTTPServer: Sendable {
    /// What the server answers for a path.
    enum Reply: Sendable {
        /// 200 with `body` (no caching: `Cache-Control: no-store`, so that no test depends on another's cache).
        case ok([UInt8])
        /// A bare status with an empty body.
        case status(Int)
        /// Reads the request and never answers.
        case silent
    }

    let port: Int
    private let channel: any Channel
    private let counts: Counts

    final class Counts: Sendable {
        let connections = Atomic<Int>(0)
        let requests = Mutex([String: Int]())
    }

    /// The connections accepted so far.
    var connections: Int { counts.connections.load(ordering: .sequentiallyConsistent) }

    /// The requests for `path` so far.
    func requests(_ path: String) -> Int { counts.requests.withLock { $0[path] ?? 0 } }

    /// `http://127.0.0.1:PORT`.
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts a server; `route` gets the request path.
    static func start(_ route: @escaping @Sendable (_ path: String) -> Reply) async throws -> LoopbackHTTPServer {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.connections.add(1, ordering: .sequentiallyConsistent)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(counts: counts, route: route))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackHTTPServer(port: channel.localAddress!.port!, channel: channel, counts: counts)
    }

    private init(port: Int, channel: any Channel, counts: Counts) {
        self.port = port
        self.channel = channel
        self.counts = counts
    }

    /// Closes the listening socket.
    func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let counts: Counts
        let route: @Sendable (String) -> Reply
        var path = "/"

        init(counts: Counts, route: @escaping @Sendable (String) -> Reply) {
            self.counts = counts
            self.route = route
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                counts.requests.withLock { $0[head.uri, default: 0] += 1 }
            case .body:
                break
            case .end:
                switch route(path) {
                case .silent: return
                case .status(let code): send(context: context, status: code, body: [])
                case .ok(let body): send(context: context, status: 200, body: body)
                }
            }
        }

        private func send(context: ChannelHandlerContext, status: Int, body: [UInt8]) {
            var fields = HTTPHeaders()
            fields.add(name: "Content-Type", value: "application/did+json")
            fields.add(name: "Cache-Control", value: "no-store")
            fields.add(name: "Content-Length", value: "\(body.count)")
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
