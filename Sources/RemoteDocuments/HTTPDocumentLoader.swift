public import DataIntegrity
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``DataIntegrity/DocumentLoader`` that fetches documents over HTTPS with AsyncHTTPClient.
///
/// Built for verifiers that fetch DID documents (did:web), status lists and trust lists, which an attacker may
/// serve or hold back, so every fetch is bounded:
///
/// - **Time**: a whole request — connecting, TLS, redirects, headers and body — ends after
///   ``Configuration/timeout`` (5 s by default) with the reason `timed out after 5 s`.
/// - **Size**: a body larger than ``Configuration/maximumBodyBytes`` (1 MiB by default), by its `Content-Length`
///   or while it streams, is refused without reading more: `the document is larger than 1 MiB`.
/// - **Transport**: only `https` URLs are fetched (`only https URLs are fetched`) unless
///   ``Configuration/allowsPlainHTTP``; redirects are followed at most 3 times (`more than 3 redirects`) and never
///   to plain `http` (`redirected to a non-HTTPS URL`) unless plain HTTP is allowed. Only status 200 is a document
///   (`HTTP status 404`). Compressed bodies are not asked for.
///
/// ``Configuration/mirrors`` serve a domain from another base URL (a private mirror, or a loopback server in
/// tests); ``Configuration/offline`` never opens a socket and answers only from the cache.
///
/// With a ``Configuration/cacheDirectory``, bodies are kept on disk with their fetch time and freshness lifetime
/// (`Cache-Control: max-age`, else one hour; `no-store` is not kept). A fresh entry is served without a request; a
/// stale one is fetched again — and when offline a stale entry is not served at all: `load` returns nil, so the
/// caller reports the document as not available rather than trusting a key or status list of unknown age.
///
/// One loader is meant to be shared by concurrent verifications: concurrent loads of one URL make one fetch. The
/// HTTP client is created on the first fetch; call ``shutdown()`` when done with the loader.
///
/// Errors are ``DataIntegrity/DocumentLoadError``s with these reasons: `only https URLs are fetched`,
/// `timed out after N s`, `connection refused`, `the host name could not be resolved`,
/// `the connection was closed early`, `the TLS handshake failed`, `the server's certificate is not trusted`,
/// `the server's certificate is not for this host`, `HTTP status N`, `the document is larger than N MiB`,
/// `redirected to a non-HTTPS URL`, `more than 3 redirects`, `a redirect without a Location`,
/// `the mirror for HOST is not an https or loopback URL`, `the loader is shut down`, and for anything else
/// the underlying error's description.
public final class HTTPDocumentLoader: DocumentLoader {
    /// How the loader fetches and caches.
    public struct Configuration: Sendable {
        /// The longest a whole fetch may take, from connecting to the last body byte, redirects included.
        public var timeout: Duration = .seconds(5)
        /// The largest body accepted, in bytes (1 MiB by default).
        public var maximumBodyBytes: Int = 1_048_576
        /// Whether plain `http://` URLs, and redirects to them, are fetched. Off by default; meant for documents
        /// whose own proof, not the transport, makes them trustworthy (signed status lists).
        public var allowsPlainHTTP: Bool = false
        /// Domains served from another base URL, `DOMAIN` → `BASE_URL`: a URL whose authority (`host[:port]` as
        /// written after `https://`, compared without case) is `DOMAIN` is fetched from `BASE_URL` followed by its
        /// path and query. A base URL must be `https`, or plain `http` on a loopback address (`127.0.0.0/8`,
        /// `localhost`, `[::1]`), or any `http` when ``allowsPlainHTTP`` is on. Redirects are resolved against
        /// the original URL and mirrored again.
        public var mirrors: [String: String] = [:]
        /// Never open a socket: `load` serves fresh cache entries and returns nil for everything else — a stale
        /// entry too, since nothing can say whether it still holds (the caller reports the document as not
        /// available here).
        public var offline: Bool = false
        /// Where fetched bodies are kept; nil keeps nothing (see
        /// ``HTTPDocumentLoader/defaultCacheDirectory(environment:)``).
        public var cacheDirectory: String? = nil
        /// The most redirects followed in one fetch.
        public var maximumRedirects: Int = 3
        /// How long a body without `Cache-Control: max-age` stays fresh, in seconds.
        public var defaultMaxAge: Int64 = 3600

        /// The defaults: online, HTTPS only, 5 s, 1 MiB, no mirrors, no cache.
        public init(
            timeout: Duration = .seconds(5),
            maximumBodyBytes: Int = 1_048_576,
            allowsPlainHTTP: Bool = false,
            mirrors: [String: String] = [:],
            offline: Bool = false,
            cacheDirectory: String? = nil
        ) {
            self.timeout = timeout
            self.maximumBodyBytes = maximumBodyBytes
            self.allowsPlainHTTP = allowsPlainHTTP
            self.mirrors = mirrors
            self.offline = offline
            self.cacheDirectory = cacheDirectory
        }
    }

    /// The configuration the loader was made with.
    public let configuration: Configuration

    private let cache: DocumentCache?
    private let mirrors: [String: String]
    private let client = Mutex(ClientState.idle)
    private let inFlight = Mutex([String: Task<Result<[UInt8]?, DocumentLoadError>, Never>]())

    private enum ClientState {
        case idle
        case running(HTTPClient)
        case shutDown
    }

    /// - Parameter configuration: time-out, size cap, transport rules, mirrors, offline mode and cache.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.cache = configuration.cacheDirectory.map {
            DocumentCache(directory: $0, maximumFileBytes: configuration.maximumBodyBytes + 64 * 1024)
        }
        self.mirrors = Dictionary(
            configuration.mirrors.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    deinit {
        // Normally shutdown() has run; if not, start the client's shutdown so it does not leak (it keeps itself
        // alive until done).
        if case .running(let client) = client.withLock({ $0 }) {
            _ = client.shutdown()
        }
    }

    /// The cache directory mcred uses by default: `$XDG_CACHE_HOME/mcred` when `XDG_CACHE_HOME` is an absolute
    /// path, else `$HOME/.cache/mcred`; nil when neither is set.
    /// - Parameter environment: the process environment.
    public static func defaultCacheDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return (xdg.hasSuffix("/") ? String(xdg.dropLast()) : xdg) + "/mcred"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.cache/mcred"
        }
        return nil
    }

    /// The document at `url`: from the cache while fresh, else fetched (and cached). Offline, nil unless the cache
    /// holds a fresh copy.
    /// - Throws: ``DataIntegrity/DocumentLoadError`` when the document cannot be fetched.
    public func load(_ url: String) async throws(DocumentLoadError) -> [UInt8]? {
        let task = inFlight.withLock { tasks in
            if let task = tasks[url] { return task }
            let task = Task { await self.loadOnce(url) }
            tasks[url] = task
            return task
        }
        let result = await task.value
        inFlight.withLock { tasks in
            if tasks[url] == task { tasks[url] = nil }
        }
        return try result.get()
    }

    /// Shuts the HTTP client down, if one was created. Loads after this fail with `the loader is shut down`
    /// (offline loads still answer from the cache). Safe to call more than once, or on a loader never used.
    public func shutdown() async {
        let running = client.withLock { state -> HTTPClient? in
            defer { state = .shutDown }
            if case .running(let client) = state { return client }
            return nil
        }
        try? await running?.shutdown()
    }

    // MARK: Loading

    private func loadOnce(_ url: String) async -> Result<[UInt8]?, DocumentLoadError> {
        let now = DocumentCache.now()
        if let cache, let entry = cache.entry(for: url), entry.isFresh(at: now) {
            return .success(entry.body)
        }
        if configuration.offline { return .success(nil) }
        let fetched: Fetched
        switch await fetchWithTimeout(url) {
        case .success(let value): fetched = value
        case .failure(let error): return .failure(error)
        }
        if let cache {
            if let maxAge = fetched.maxAge {
                cache.store(DocumentCache.Entry(body: fetched.body, fetched: now, maxAge: maxAge), for: url)
            } else {
                cache.remove(url)
            }
        }
        return .success(fetched.body)
    }

    /// A fetched body and how long it may be cached (nil: not at all).
    private struct Fetched: Sendable {
        var body: [UInt8]
        var maxAge: Int64?
    }

    /// Races the fetch against the time-out, so that no server can hold a load longer than the time-out.
    private func fetchWithTimeout(_ url: String) async -> Result<Fetched, DocumentLoadError> {
        let timeout = configuration.timeout
        let timedOut = DocumentLoadError(url: url, reason: "timed out after \(Self.secondsText(timeout)) s")
        return await withTaskGroup(of: Result<Fetched, DocumentLoadError>.self) { group in
            group.addTask { await self.fetch(url, timedOut: timedOut) }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    return .failure(timedOut)
                } catch {
                    return .failure(DocumentLoadError(url: url, reason: "cancelled"))
                }
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }

    private func fetch(_ url: String, timedOut: DocumentLoadError) async -> Result<Fetched, DocumentLoadError> {
        func fail(_ reason: String) -> Result<Fetched, DocumentLoadError> {
            .failure(DocumentLoadError(url: url, reason: reason))
        }
        guard var logical = WebURL(url), logical.isHTTPS || configuration.allowsPlainHTTP else {
            return fail("only https URLs are fetched")
        }
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(configuration.timeout))
        var redirects = 0
        while true {
            let target: WebURL
            switch transportURL(for: logical) {
            case .success(let url): target = url
            case .failure(let reason): return fail(reason.text)
            }
            let http: HTTPClient
            switch httpClient() {
            case .success(let client): http = client
            case .failure(let reason): return fail(reason.text)
            }
            var request = HTTPClientRequest(url: target.description)
            request.method = .GET
            request.headers.add(name: "Accept", value: "application/did+json, application/json, */*;q=0.1")
            request.headers.add(name: "User-Agent", value: "mcred")
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, deadline: deadline)
            } catch {
                return .failure(reason(for: error, url: url, timedOut: timedOut))
            }
            let status = response.status.code
            if [301, 302, 303, 307, 308].contains(status) {
                guard let location = response.headers.first(name: "location") else {
                    return fail("a redirect without a Location")
                }
                guard redirects < configuration.maximumRedirects else {
                    return fail("more than \(configuration.maximumRedirects) redirects")
                }
                redirects += 1
                // Resolved against the URL as asked for (not the mirror), so that a mirror's relative redirect
                // stays on the mirror.
                guard let next = logical.resolving(location), next.isHTTPS || configuration.allowsPlainHTTP else {
                    return fail("redirected to a non-HTTPS URL")
                }
                logical = next
                continue
            }
            guard status == 200 else { return fail("HTTP status \(status)") }
            let tooLarge = "the document is larger than \(Self.sizeText(configuration.maximumBodyBytes))"
            if let length = response.headers.first(name: "content-length").flatMap({ Int($0) }),
               length > configuration.maximumBodyBytes {
                return fail(tooLarge)
            }
            var body = [UInt8]()
            do {
                for try await buffer in response.body {
                    guard body.count + buffer.readableBytes <= configuration.maximumBodyBytes else {
                        return fail(tooLarge)
                    }
                    body.append(contentsOf: buffer.readableBytesView)
                }
            } catch {
                return .failure(reason(for: error, url: url, timedOut: timedOut))
            }
            return .success(Fetched(body: body, maxAge: cacheLifetime(response.headers)))
        }
    }

    /// A short reason in words.
    private struct Reason: Error {
        var text: String
    }

    /// Where `url` is fetched from: itself, or its mirror.
    private func transportURL(for url: WebURL) -> Result<WebURL, Reason> {
        guard let base = mirrors[url.authority.lowercased()] else { return .success(url) }
        guard let mirror = WebURL(base),
              mirror.isHTTPS || mirror.isLoopback || configuration.allowsPlainHTTP
        else {
            return .failure(Reason(text: "the mirror for \(url.authority) is not an https or loopback URL"))
        }
        let prefix = mirror.pathAndQuery.hasSuffix("/") ? String(mirror.pathAndQuery.dropLast()) : mirror.pathAndQuery
        return .success(WebURL(scheme: mirror.scheme, authority: mirror.authority, pathAndQuery: prefix + url.pathAndQuery))
    }

    /// The shared HTTP client, created on first use.
    private func httpClient() -> Result<HTTPClient, Reason> {
        let timeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.timeout))
        return client.withLock { state in
            switch state {
            case .running(let client):
                return .success(client)
            case .shutDown:
                return .failure(Reason(text: "the loader is shut down"))
            case .idle:
                var settings = HTTPClient.Configuration()
                // Redirects are followed here, to check each target.
                settings.redirectConfiguration = .disallow
                settings.timeout = HTTPClient.Configuration.Timeout(connect: timeout, read: timeout)
                settings.decompression = .disabled
                // A refused connection is an answer, not something to retry until the time-out.
                settings.connectionPool.retryConnectionEstablishment = false
                let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
                state = .running(client)
                return .success(client)
            }
        }
    }

    /// How long a response may be cached, in seconds: nil for `no-store`, else `max-age` (0 for `no-cache`),
    /// else the default.
    private func cacheLifetime(_ headers: HTTPHeaders) -> Int64? {
        var maxAge: Int64?
        for value in headers[canonicalForm: "cache-control"] {
            let directive = String(value).trimmingSpaces().lowercased()
            if directive == "no-store" { return nil }
            if directive == "no-cache" { maxAge = 0 }
            if directive.hasPrefix("max-age=") {
                let number = directive.dropFirst("max-age=".count).filter { $0 != "\"" }
                if let seconds = Int64(number), maxAge != 0 { maxAge = max(0, seconds) }
            }
        }
        return maxAge ?? configuration.defaultMaxAge
    }

    private func reason(for error: any Error, url: String, timedOut: DocumentLoadError) -> DocumentLoadError {
        DocumentLoadError(url: url, reason: Self.reasonText(for: error) ?? timedOut.reason)
    }

    /// The reason for an error of AsyncHTTPClient or SwiftNIO; nil for a time-out.
    private static func reasonText(for error: any Error) -> String? {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout, .cancelled:
                return nil
            case .remoteConnectionClosed:
                return "the connection was closed early"
            default:
                return "\(error)"
            }
        }
        if error is CancellationError { return nil }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "the host name could not be resolved"
            }
            if let first = error.connectionErrors.first { return reasonText(for: first.error) }
            return "the connection failed"
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return "connection refused" }
        // NIOSSL's errors, recognized without importing NIOSSL: their descriptions are long and technical.
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            let text = "\(error)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return "the server's certificate is not trusted" }
            if text.contains("ailedToValidateHostname") {
                return "the server's certificate is not for this host"
            }
            return "the TLS handshake failed"
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return nil
            default: return "\(error)"
            }
        }
        return "\(error)"
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// `5` for 5 s, `1.5` for 1.5 s.
    static func secondsText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18)"
    }

    /// `1 MiB`, `64 KiB` or `1000 bytes`.
    static func sizeText(_ bytes: Int) -> String {
        if bytes > 0 && bytes % 1_048_576 == 0 { return "\(bytes / 1_048_576) MiB" }
        if bytes > 0 && bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
