/// An `http` or `https` URL cut into the parts the loader needs. No percent-decoding, no normalization: the
/// authority and path are kept as written.
struct WebURL: Hashable, Sendable, CustomStringConvertible {
    /// `https` or `http`, lowercased.
    var scheme: String
    /// `host[:port]` as written (userinfo included if any).
    var authority: String
    /// The path and query, starting with `/`; no fragment.
    var pathAndQuery: String

    var description: String { scheme + "://" + authority + pathAndQuery }

    var isHTTPS: Bool { scheme == "https" }

    /// The host without the port; an IPv6 literal keeps its brackets.
    var host: String {
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? authority
        if hostPort.hasPrefix("[") {
            if let close = hostPort.firstIndex(of: "]") { return String(hostPort[...close]) }
            return hostPort
        }
        if let colon = hostPort.lastIndex(of: ":") { return String(hostPort[..<colon]) }
        return hostPort
    }

    /// Whether the host is a loopback address: `localhost`, `127.0.0.0/8` or `[::1]`.
    var isLoopback: Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                && Int(octet).map { $0 <= 255 } == true
        }
    }

    /// Parses `scheme://authority[path][?query][#fragment]` for the schemes `http` and `https` (any case);
    /// nil for anything else, an empty authority, or whitespace and control characters.
    init?(_ text: String) {
        guard !text.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        let afterSlashes = rest.dropFirst(2)
        let withoutFragment = afterSlashes.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let authorityEnd = withoutFragment.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? withoutFragment.endIndex
        let authority = withoutFragment[..<authorityEnd]
        guard !authority.isEmpty else { return nil }
        var pathAndQuery = String(withoutFragment[authorityEnd...])
        if !pathAndQuery.hasPrefix("/") { pathAndQuery = "/" + pathAndQuery }
        self.scheme = scheme
        self.authority = String(authority)
        self.pathAndQuery = pathAndQuery
    }

    init(scheme: String, authority: String, pathAndQuery: String) {
        self.scheme = scheme
        self.authority = authority
        self.pathAndQuery = pathAndQuery
    }

    /// The target of a `Location` header, resolved against this URL (RFC 3986 §5.2, without dot-segment removal);
    /// nil when it is not an http or https URL.
    func resolving(_ location: String) -> WebURL? {
        let location = location.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if let colon = location.firstIndex(of: ":"), !location[..<colon].isEmpty,
           location[..<colon].utf8.allSatisfy({ Self.isSchemeByte($0) }) {
            return WebURL(String(location))
        }
        if location.hasPrefix("//") { return WebURL(scheme + ":" + location) }
        if location.hasPrefix("/") {
            return WebURL(scheme: scheme, authority: authority, pathAndQuery: String(location))
        }
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if location.isEmpty { return self }
        if location.hasPrefix("?") {
            return WebURL(scheme: scheme, authority: authority, pathAndQuery: String(path) + location)
        }
        let directory = path[...(path.lastIndex(of: "/") ?? path.startIndex)]
        return WebURL(scheme: scheme, authority: authority, pathAndQuery: String(directory) + location)
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2B || byte == 0x2D || byte == 0x2E
    }
}
