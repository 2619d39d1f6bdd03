import FeedwatchFetcher
import FeedwatchTestSupport
import Foundation
import Testing

@Suite("Rate limits")
struct RetryAfterTests {
    @Test("Retry-After in seconds on 429 and 503 is read, and the fetcher does not retry", arguments: [429, 503])
    func seconds(status: Int) async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", TestResponse(status: status, headers: ["Retry-After": "120"]))
        let before = Date()
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.error == .httpStatus)
        #expect(result.status == status)
        let retryAfter = try #require(result.headers.retryAfter)
        #expect(retryAfter.timeIntervalSince(before) >= 119 && retryAfter.timeIntervalSince(before) < 130)
        #expect(try await server.stats().hits == 1)
    }

    @Test("Retry-After as an HTTP date on 429 and 503 is read", arguments: [429, 503])
    func httpDate(status: Int) async throws {
        let server = try await TestHTTPServer()
        try await server.route(
            "/feed", TestResponse(status: status, headers: ["Retry-After": "Wed, 02 Dec 2026 08:30:00 GMT"]))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.status == status)
        #expect(result.headers.retryAfter == Date(timeIntervalSince1970: 1_796_200_200))
    }
}

@Suite("Hostile servers")
struct HostileServerTests {
    @Test("A server dripping bytes is dropped by the low-speed cutoff")
    func slowDrip() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", TestResponse(body: Array(repeating: 0x41, count: 500), drip: 0.1))
        let fetcher = makeFetcher(totalTimeout: .seconds(20), lowSpeedTime: .seconds(1))
        let result = await fetcher.fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.error == .tooSlow)
        #expect(result.elapsed < .seconds(6))
    }

    @Test("A body over the limit is cut off")
    func oversized() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/big", TestResponse(body: Array(repeating: 0x20, count: 300_000)))
        try await server.route("/fits", TestResponse(body: Array(repeating: 0x20, count: 100_000)))
        let fetcher = makeFetcher(maxBodyBytes: 100_000)
        #expect(await fetcher.fetch(FetchRequest(url: server.url("/big"))).error == .tooLarge)
        #expect(await fetcher.fetch(FetchRequest(url: server.url("/fits"))).body?.count == 100_000)
    }

    @Test("A gzip bomb stops at the limit on decoded bytes, with memory bounded")
    func gzipBomb() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/bomb", TestResponse(gzipBombSize: 1 << 30))
        let peakBefore = try peakResidentBytes()
        let result = await makeFetcher(maxBodyBytes: 2 << 20).fetch(FetchRequest(url: server.url("/bomb")))
        #expect(result.error == .tooLarge)
        // A fetcher that inflated the whole gigabyte would have grown by about that much.
        #expect(try peakResidentBytes() - peakBefore < 200 << 20)
    }

    @Test("A transfer is abandoned when its task is cancelled")
    func cancellation() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", TestResponse(hangs: true))
        let fetcher = makeFetcher(totalTimeout: .seconds(30))
        let task = Task { await fetcher.fetch(FetchRequest(url: server.url("/feed"))) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.value
        #expect(result.error == .cancelled)
        #expect(result.elapsed < .seconds(10))
    }
}

@Suite("TLS")
struct TLSTests {
    @Test("A self-signed certificate is refused by default and accepted with it as the CA bundle")
    func selfSigned() async throws {
        let directory = try TemporaryDirectory()
        let identity = try TLSIdentity.selfSigned(in: directory)
        let server = try await TestHTTPServer(tls: identity)
        try await server.route("/feed", .ok(sampleFeed))
        let refused = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(refused.error == .tls)
        #expect(try await server.requests().isEmpty)
        let trusted = makeFetcher(caBundlePath: identity.certificatePath)
        let accepted = await trusted.fetch(FetchRequest(url: server.url("/feed")))
        #expect(accepted.status == 200)
        #expect(accepted.body == Array(sampleFeed.utf8))
        // The Python server does not offer h2 through ALPN: the fetch stays on HTTP/1.1.
        #expect(accepted.httpVersion == .http1_1)
    }

    @Test("HTTP/2 is used when a TLS server offers it, later fetches sharing its connection")
    func http2() async throws {
        if let reason = TestNginx.unavailableReason { try Test.cancel("needs nginx: \(reason)") }
        let directory = try TemporaryDirectory()
        let identity = try TLSIdentity.selfSigned(in: directory)
        let port = try unusedLoopbackPort()
        let nginx = try await TestNginx { root in
            """
            log_format connection '$connection $server_protocol $request_uri';
            server {
                listen 127.0.0.1:\(port) ssl http2;
                ssl_certificate \(identity.certificatePath);
                ssl_certificate_key \(identity.keyPath);
                root \(root);
                access_log \(directory.file("connections.log").path) connection;
            }
            """
        }
        try nginx.write(sampleFeed, to: "feed.xml")
        let url = "https://127.0.0.1:\(port)/feed.xml"
        let fetcher = makeFetcher(caBundlePath: identity.certificatePath)
        let first = await fetcher.fetch(FetchRequest(url: url))
        #expect(first.status == 200, "\(first.error?.description ?? "")")
        #expect(first.httpVersion == .http2)
        #expect(first.body == Array(sampleFeed.utf8))
        let more = await fetcher.fetchAll((1...4).map { _ in FetchRequest(url: url) })
        #expect(more.allSatisfy { $0.httpVersion == .http2 && $0.status == 200 })
        // nginx numbers its connections: one number on every line means one multiplexed connection.
        let lines = try String(contentsOf: directory.file("connections.log"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.count == 3 && $0[1] == "HTTP/2.0" })
        #expect(Set(lines.map(\.[0])).count == 1, "\(lines)")
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("Many transfers really run at the same time")
    func overlap() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/slow", TestResponse(body: Array(sampleFeed.utf8), delay: 1))
        let requests = (0..<8).map { FetchRequest(url: server.url("/slow?feed=\($0)")) }
        let results = await makeFetcher(perHost: 8).fetchAll(requests)
        #expect(results.allSatisfy { $0.status == 200 })
        let observed = try await server.stats().maxConcurrency
        #expect(observed >= 6)
    }

    @Test("The per-host cap holds however many transfers wait")
    func perHostCap() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/slow", TestResponse(body: Array(sampleFeed.utf8), delay: 0.3))
        let requests = (0..<10).map { FetchRequest(url: server.url("/slow?feed=\($0)")) }
        let results = await makeFetcher(perHost: 2).fetchAll(requests)
        #expect(results.allSatisfy { $0.status == 200 })
        let stats = try await server.stats()
        #expect(stats.hits == 10)
        #expect(stats.maxConcurrency == 2)
    }

    @Test("The global cap holds across hosts")
    func globalCap() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/slow", TestResponse(body: Array(sampleFeed.utf8), delay: 0.3))
        // 127.0.0.1 and localhost are two hosts to the per-host cap but one server here.
        let hosts = ["127.0.0.1", "localhost"]
        let requests = (0..<12).map { FetchRequest(url: server.url("/slow?feed=\($0)", host: hosts[$0 % 2])) }
        let results = await makeFetcher(maxConcurrent: 3, perHost: 8).fetchAll(requests)
        #expect(results.allSatisfy { $0.status == 200 })
        let observed = try await server.stats().maxConcurrency
        #expect(observed == 3)
    }
}

/// The process's peak resident set size so far (`VmHWM`), in bytes.
func peakResidentBytes() throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    return kilobytes * 1024
}

@Suite("Fetching many feeds")
struct FetchEachTests {
    /// Counts handlers running at once.
    actor Gauge {
        private(set) var current = 0
        private(set) var highest = 0
        private(set) var indices: [Int] = []
        func enter(_ index: Int) {
            current += 1
            highest = max(highest, current)
            indices.append(index)
        }
        func leave() { current -= 1 }
    }

    @Test("Each result is handed over once, with at most twice the cap of fetches and handlers in flight")
    func boundedPipeline() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", .ok(sampleFeed))
        let requests = (0..<30).map { FetchRequest(url: server.url("/feed?n=\($0)")) }
        let gauge = Gauge()
        await makeFetcher(maxConcurrent: 2, perHost: 2).fetchEach(requests) { index, result in
            #expect(result.status == 200)
            await gauge.enter(index)
            try? await Task.sleep(for: .milliseconds(30))  // a slow parse
            await gauge.leave()
        }
        #expect(await gauge.indices.sorted() == Array(0..<30))
        #expect(await gauge.highest <= 4)
        #expect(try await server.stats().hits == 30)
    }
}
