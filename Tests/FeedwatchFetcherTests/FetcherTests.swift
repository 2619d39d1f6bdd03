import FeedwatchCore
import FeedwatchFetcher
import FeedwatchTestSupport
import Foundation
import Testing

/// A fetcher with timeouts short enough for tests.
func makeFetcher(
    totalTimeout: Duration = .seconds(10), lowSpeedTime: Duration = .seconds(5), maxBodyBytes: Int = 1 << 20,
    maxConcurrent: Int = 32, perHost: Int = 8, caBundlePath: String? = nil
) -> Fetcher {
    Fetcher(
        configuration: Fetcher.Configuration(
            maxConcurrentTransfers: maxConcurrent, maxConcurrentTransfersPerHost: perHost,
            connectTimeout: .seconds(2), totalTimeout: totalTimeout, lowSpeedLimit: 64, lowSpeedTime: lowSpeedTime,
            maxBodyBytes: maxBodyBytes, maxRedirects: 4, caBundlePath: caBundlePath))
}

let sampleFeed = """
    <?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0"><channel><title>Steppe News</title>
    <item><title>Almaty hosts a summit</title><guid>steppe-1</guid></item></channel></rss>
    """

@Suite("Fetching plain responses")
struct FetchBasicsTests {
    @Test("A 200 returns the body, the headers that matter, and sends who we are")
    func okResponse() async throws {
        let server = try await TestHTTPServer()
        try await server.route(
            "/feed.xml",
            TestResponse(
                headers: [
                    "Content-Type": "application/rss+xml; charset=\"Windows-1251\"",
                    "Cache-Control": "public, max-age=600", "Expires": "Sun, 29 Nov 2026 12:00:00 GMT",
                ],
                body: Array(sampleFeed.utf8), etag: "\"v1\"", lastModified: "Sat, 28 Nov 2026 10:00:00 GMT"))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed.xml")))

        #expect(result.status == 200)
        #expect(result.body == Array(sampleFeed.utf8))
        #expect(result.headers.contentType == "application/rss+xml")
        #expect(result.headers.charset == "windows-1251")
        #expect(result.headers.maxAge == 600)
        #expect(result.headers.expires == Date(timeIntervalSince1970: 1_795_953_600))
        #expect(result.validators == HTTPValidators(etag: "\"v1\"", lastModified: "Sat, 28 Nov 2026 10:00:00 GMT"))
        #expect(result.effectiveURL == server.url("/feed.xml"))
        #expect(result.permanentRedirect == nil)
        let sent = try #require(try await server.requests(to: "/feed.xml").first)
        #expect(sent.headers["user-agent"] == FeedwatchVersion.userAgent)
        let encodings = sent.headers["accept-encoding"] ?? ""
        #expect(encodings.contains("gzip") && encodings.contains("deflate"))
        #expect(sent.headers["accept"]?.hasPrefix("application/rss+xml") == true)
        #expect(sent.headers["if-none-match"] == nil)
    }

    @Test("Compressed bodies arrive decoded", arguments: [TestResponse.Encoding.gzip, .deflate])
    func compressed(encoding: TestResponse.Encoding) async throws {
        let server = try await TestHTTPServer()
        let body = String(repeating: sampleFeed, count: 50)
        try await server.route("/feed", TestResponse(body: Array(body.utf8), encoding: encoding))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.status == 200)
        #expect(result.body == Array(body.utf8))
    }

    @Test("An error status is a failure that keeps the status and the validators sent")
    func errorStatus() async throws {
        let server = try await TestHTTPServer()
        let validators = HTTPValidators(etag: "\"old\"")
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/missing"), validators: validators))
        #expect(result.error == .httpStatus)
        #expect(result.status == 404)
        #expect(result.validators == validators)
        #expect(result.error?.detail.contains("404") == true)
    }

    @Test("The connection is reused for the next request to the same host")
    func connectionReuse() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", .ok(sampleFeed))
        let fetcher = makeFetcher()
        for _ in 0..<4 {
            #expect(await fetcher.fetch(FetchRequest(url: server.url("/feed"))).status == 200)
        }
        let ports = Set(try await server.requests().map(\.clientPort))
        #expect(ports.count == 1)
    }

    @Test("A URL that is not http or https is refused before any connection")
    func badURL() async {
        let fetcher = makeFetcher()
        for url in ["file:///etc/passwd", "gopher://127.0.0.1/", "dict://127.0.0.1/", "not a url"] {
            #expect(await fetcher.fetch(FetchRequest(url: url)).error == .badURL)
        }
    }

    @Test("A header with a line break is refused, so it cannot smuggle another header")
    func headerInjection() async throws {
        let server = try await TestHTTPServer()
        let request = FetchRequest(
            url: server.url("/feed"), headers: [HTTPField(name: "X-Token", value: "a\r\nX-Evil: 1")])
        #expect(await makeFetcher().fetch(request).error == .invalidRequest)
        #expect(try await server.stats().hits == 0)
    }
}

@Suite("Conditional requests")
struct ConditionalRequestTests {
    static let lastModified = "Sat, 28 Nov 2026 10:00:00 GMT"

    @Test("A stored ETag is echoed exactly and a 304 is a value, not an error")
    func etag() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", TestResponse(body: Array(sampleFeed.utf8), etag: "W/\"abc-123\""))
        let fetcher = makeFetcher()
        let first = await fetcher.fetch(FetchRequest(url: server.url("/feed")))
        #expect(first.status == 200)
        let second = await fetcher.fetch(FetchRequest(url: server.url("/feed"), validators: first.validators))
        #expect(second.isNotModified)
        #expect(second.status == 304)
        #expect(second.error == nil)
        #expect(second.validators.etag == "W/\"abc-123\"")
        #expect(try await server.requests(to: "/feed").last?.headers["if-none-match"] == "W/\"abc-123\"")
    }

    @Test("A stored Last-Modified is echoed byte for byte, not re-formatted")
    func lastModified() async throws {
        let server = try await TestHTTPServer()
        // An old but valid spelling: a re-formatted date would not match and the server would send it all.
        let odd = "Saturday, 28-Nov-26 10:00:00 GMT"
        try await server.route("/feed", TestResponse(body: Array(sampleFeed.utf8), lastModified: odd))
        let fetcher = makeFetcher()
        let first = await fetcher.fetch(FetchRequest(url: server.url("/feed")))
        #expect(first.validators.lastModified == odd)
        let second = await fetcher.fetch(FetchRequest(url: server.url("/feed"), validators: first.validators))
        #expect(second.isNotModified)
        #expect(try await server.requests(to: "/feed").last?.headers["if-modified-since"] == odd)
    }

    @Test("Validators are refreshed from a 304, and kept when the 304 omits them")
    func refreshedBy304() async throws {
        let server = try await TestHTTPServer()
        try await server.route(
            "/feed",
            TestResponse(
                body: Array(sampleFeed.utf8), etag: "\"v1\"", lastModified: Self.lastModified,
                notModifiedHeaders: ["ETag": "\"v2\""]))
        let sent = HTTPValidators(etag: "\"v1\"", lastModified: Self.lastModified)
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed"), validators: sent))
        #expect(result.isNotModified)
        #expect(result.validators == HTTPValidators(etag: "\"v2\"", lastModified: Self.lastModified))
    }
}

@Suite("Network failures")
struct NetworkFailureTests {
    @Test("A closed port is reported as refused")
    func refused() async throws {
        let port = try unusedLoopbackPort()
        let result = await makeFetcher().fetch(FetchRequest(url: "http://127.0.0.1:\(port)/feed"))
        #expect(result.error == .refused)
        #expect(result.status == nil)
        #expect(result.error?.detail.contains("127.0.0.1") == true)
    }

    @Test("A server that accepts and never answers times out")
    func neverAnswers() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", TestResponse(hangs: true))
        let result = await makeFetcher(totalTimeout: .seconds(1)).fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.error == .timeout)
        // The fetcher's own clock: the test task itself may wait for a busy cooperative pool.
        #expect(result.elapsed < .seconds(3))
    }
}
