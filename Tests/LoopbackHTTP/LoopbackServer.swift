import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Headers that keep a reply out of every cache, so that no test depends on another's cached copy.
public let noStore: [(String, String)] = [("Cache-Control", "no-store")]

/// What the loopback server answers for a path.
public enum Reply: Sendable {
    /// 200 with `body` and extra headers, after `delayMilliseconds`.
    case ok([UInt8], headers: [(String, String)] = [], delayMilliseconds: Int64 = 0)
    /// 200 with a body of `count` bytes sent in chunks, without a Content-Length.
    case chunked(count: Int)
    /// A bare status with an empty body.
    case status(Int)
    /// 302 (or `status`) to `location`.
    case redirect(String, status: Int = 302)
    /// Reads the request and never answers.
    case silent
    /// Sends the head and part of the body, then nothing more.
    case stalledBody
}

/// A small HTTP/1.1 server on 127.0.0.1 and a free port, for tests only. It counts the connections it accepts and
/// the requests it gets, by path.
public final class LoopbackServer: Sendable {
    public let port: Int
    private let channel: any Channel
    private let counts: Counts

    final class Counts: Sendable {
        let connections = Atomic<Int>(0)
        let requests = Mutex([String: Int]())
    }

    /// The connections accepted so far.
    public var connections: Int { counts.connections.load(ordering: .sequentiallyConsistent) }

    /// The requests for `path` so far.
    public func requests(_ path: String) -> Int { counts.requests.withLock { $0[path] ?? 0 } }

    /// All requests so far.
    public var totalRequests: Int { counts.requests.withLock { $0.values.reduce(0, +) } }

    /// Starts a server; `route` gets the request path and the server's port.
    public static func start(_ route: @escaping @Sendable (_ path: String, _ port: Int) -> Reply) async throws
        -> LoopbackServer
    {
        let counts = Counts()
        let portBox = Mutex(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.connections.add(1, ordering: .sequentiallyConsistent)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(counts: counts, route: { path in route(path, portBox.withLock { $0 }) }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        portBox.withLock { $0 = port }
        return LoopbackServer(port: port, channel: channel, counts: counts)
    }

    private init(port: Int, channel: any Channel, counts: Counts) {
        self.port = port
        self.channel = channel
        self.counts = counts
    }

    /// Closes the listening socket.
    public func stop() async {
        try? await channel.close()
    }

    /// `http://127.0.0.1:PORT`.
    public var base: String { "http://127.0.0.1:\(port)" }

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
                respond(context: context, route(path))
            }
        }

        private func respond(context: ChannelHandlerContext, _ reply: Reply) {
            switch reply {
            case .silent:
                return
            case .stalledBody:
                var fields = HTTPHeaders()
                fields.add(name: "Content-Length", value: "1000")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields))),
                              promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{\"id\":")))), promise: nil)
            case .status(let code):
                send(context: context, status: code, headers: [], body: [])
            case .redirect(let location, let status):
                send(context: context, status: status, headers: [("Location", location)], body: [])
            case .ok(let body, let headers, let delay):
                if delay == 0 {
                    send(context: context, status: 200, headers: headers, body: body)
                } else {
                    let loop = context.eventLoop.assumeIsolated()
                    loop.scheduleTask(in: .milliseconds(delay)) {
                        self.send(context: context, status: 200, headers: headers, body: body)
                    }
                }
            case .chunked(let count):
                let head = HTTPResponseHead(version: .http1_1, status: .ok)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                var sent = 0
                while sent < count {
                    let size = min(64 * 1024, count - sent)
                    let chunk = ByteBuffer(repeating: 0x20, count: size)
                    context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                    sent += size
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        private func send(context: ChannelHandlerContext, status: Int, headers: [(String, String)], body: [UInt8]) {
            var fields = HTTPHeaders(headers)
            fields.add(name: "Content-Length", value: "\(body.count)")
            let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
