@testable import RemoteDocuments
import Testing

@Suite("URL handling of the HTTP loader")
struct WebURLTests {
    @Test("parsing keeps the authority and path as written, drops the fragment")
    func parsing() throws {
        let url = try #require(WebURL("HTTPS://Uni.example:8443/a/b?c=d#frag"))
        #expect(url.scheme == "https")
        #expect(url.authority == "Uni.example:8443")
        #expect(url.pathAndQuery == "/a/b?c=d")
        #expect(url.host == "Uni.example")
        #expect(WebURL("https://uni.example")?.pathAndQuery == "/")
        #expect(WebURL("https://uni.example?x")?.pathAndQuery == "/?x")
        for text in ["ftp://uni.example/", "https:/uni.example", "https:///x", "https://uni example/", "did:web:x"] {
            #expect(WebURL(text) == nil, "\(text)")
        }
    }

    @Test("loopback hosts")
    func loopback() {
        for text in ["http://127.0.0.1:8123", "http://127.1.2.3/", "http://localhost:80", "http://[::1]:8080/x"] {
            #expect(WebURL(text)?.isLoopback == true, "\(text)")
        }
        for text in ["http://128.0.0.1", "http://127.0.0.1.example", "http://127.0.0.256", "http://mirror.example"] {
            #expect(WebURL(text)?.isLoopback == false, "\(text)")
        }
    }

    @Test("Location headers resolve against the URL asked for", arguments: [
        ("/doc", "https://uni.example/doc"),
        ("doc", "https://uni.example/a/doc"),
        ("?v=2", "https://uni.example/a/b?v=2"),
        ("//other.example/x", "https://other.example/x"),
        ("https://other.example/y#f", "https://other.example/y"),
        ("http://other.example/z", "http://other.example/z"),
    ])
    func redirects(_ location: String, _ expected: String) throws {
        let base = try #require(WebURL("https://uni.example/a/b?q=1"))
        #expect(base.resolving(location)?.description == expected)
    }

    @Test("a Location that is not http or https resolves to nothing")
    func otherSchemes() throws {
        let base = try #require(WebURL("https://uni.example/a"))
        #expect(base.resolving("file:///etc/passwd") == nil)
        #expect(base.resolving("ftp://uni.example/x") == nil)
    }

    @Test("reasons name sizes and times plainly")
    func texts() {
        #expect(HTTPDocumentLoader.sizeText(1_048_576) == "1 MiB")
        #expect(HTTPDocumentLoader.sizeText(2 * 1_048_576) == "2 MiB")
        #expect(HTTPDocumentLoader.sizeText(65_536) == "64 KiB")
        #expect(HTTPDocumentLoader.sizeText(1000) == "1000 bytes")
        #expect(HTTPDocumentLoader.secondsText(.seconds(5)) == "5")
        #expect(HTTPDocumentLoader.secondsText(.milliseconds(1500)) == "1.5")
    }
}
