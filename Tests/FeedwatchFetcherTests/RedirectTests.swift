import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchFetcher

@Suite("Redirects")
struct RedirectTests {
    @Test("A permanent redirect is followed and reported as the feed's new URL", arguments: [301, 308])
    func permanent(status: Int) async throws {
        let server = try await TestHTTPServer()
        // A relative Location resolves against the URL that sent it.
        try await server.route("/old", .redirect(status, to: "new"))
        try await server.route("/new", .ok(sampleFeed))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/old")))
        #expect(result.status == 200)
        #expect(result.body == Array(sampleFeed.utf8))
        #expect(result.effectiveURL == server.url("/new"))
        #expect(result.permanentRedirect == server.url("/new"))
        #expect(result.redirects == 1)
    }

    @Test("A temporary redirect is followed but not remembered", arguments: [302, 303, 307])
    func temporary(status: Int) async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", .redirect(status, to: server.url("/today")))
        try await server.route("/today", .ok(sampleFeed))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.status == 200)
        #expect(result.effectiveURL == server.url("/today"))
        #expect(result.permanentRedirect == nil)
    }

    @Test("Only the leading run of permanent redirects moves the feed")
    func permanentThenTemporary() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/a", .redirect(301, to: server.url("/b")))
        try await server.route("/b", .redirect(302, to: server.url("/c")))
        try await server.route("/c", .redirect(301, to: server.url("/d")))
        try await server.route("/d", .ok(sampleFeed))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/a")))
        #expect(result.status == 200)
        #expect(result.redirects == 3)
        #expect(result.permanentRedirect == server.url("/b"))
    }

    @Test("A redirect loop is detected")
    func loop() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/x", .redirect(302, to: server.url("/y")))
        try await server.route("/y", .redirect(302, to: server.url("/x")))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/x")))
        #expect(result.error == .redirectLoop)
        #expect(try await server.stats().hits == 2)
    }

    @Test("Redirects stop at the limit")
    func tooMany() async throws {
        let server = try await TestHTTPServer()
        for step in 0..<10 {
            try await server.route("/r\(step)", .redirect(302, to: server.url("/r\(step + 1)")))
        }
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/r0")))
        #expect(result.error == .tooManyRedirects)
        #expect(try await server.stats().hits == 5)  // the first request and four redirects
    }

    @Test(
        "A redirect to any scheme but http and https is refused",
        arguments: [
            "file:///etc/passwd", "gopher://127.0.0.1:70/", "dict://127.0.0.1:2628/d:x", "ftp://127.0.0.1/",
            "ldap://127.0.0.1/", "javascript:alert(1)",
        ])
    func otherSchemes(location: String) async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", .redirect(302, to: location))
        let result = await makeFetcher().fetch(FetchRequest(url: server.url("/feed")))
        #expect(result.error == .redirectRefused)
        #expect(result.status == 302)
        #expect(result.error?.detail.contains(location) == true)
    }

    @Test("Credentials and extra headers go to the feed's origin only, never across a redirect to another host")
    func secretsStayHome() async throws {
        let server = try await TestHTTPServer()
        let elsewhere = server.url("/moved", host: "localhost")
        try await server.route("/feed", .redirect(302, to: elsewhere))
        try await server.route("/moved", .ok(sampleFeed))
        let request = FetchRequest(
            url: server.url("/feed"), headers: [HTTPField(name: "X-Api-Key", value: "k-42")],
            credentials: BasicCredentials(username: "reader", password: "s3cret"))
        let result = await makeFetcher().fetch(request)
        #expect(result.status == 200)
        let first = try #require(try await server.requests(to: "/feed").first)
        #expect(first.headers["authorization"] == "Basic " + Data("reader:s3cret".utf8).base64EncodedString())
        #expect(first.headers["x-api-key"] == "k-42")
        let second = try #require(try await server.requests(to: "/moved").first)
        #expect(second.headers["authorization"] == nil)
        #expect(second.headers["x-api-key"] == nil)
        var dumped = ""
        dump(request, to: &dumped)
        for printed in [String(describing: request), String(reflecting: request), dumped] {
            #expect(!printed.contains("s3cret"))
        }
    }
}

@Suite("Redirects into private networks")
struct PrivateRedirectTests {
    @Test("Addresses are sorted into public, loopback, link-local and private")
    func scopes() {
        let expected: [String: Bool] = [
            "93.184.216.34": true, "127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "172.32.0.1": true,
            "192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false,
            "fe80::1": false, "fd00::1": false, "::ffff:127.0.0.1": false, "::ffff:8.8.8.8": true,
            "2001:db8::1": true, "garbage": false,
        ]
        for (address, isPublic) in expected {
            #expect(AddressScope(numericAddress: address).isPublic == isPublic, "\(address)")
        }
    }

    @Test("Public to private is refused on redirects only, and only when not allowed")
    func rule() {
        #expect(!AddressScope.permits(.loopback, after: .publicInternet, isRedirect: true, allowsPrivate: false))
        #expect(!AddressScope.permits(.linkLocal, after: .publicInternet, isRedirect: true, allowsPrivate: false))
        #expect(AddressScope.permits(.loopback, after: .publicInternet, isRedirect: true, allowsPrivate: true))
        #expect(AddressScope.permits(.loopback, after: nil, isRedirect: false, allowsPrivate: false))
        #expect(AddressScope.permits(.privateNetwork, after: .loopback, isRedirect: true, allowsPrivate: false))
        #expect(AddressScope.permits(.publicInternet, after: .publicInternet, isRedirect: true, allowsPrivate: false))
    }

    @Test("A feed listed on loopback may redirect within loopback")
    func listedPrivateFeed() async throws {
        let server = try await TestHTTPServer()
        try await server.route("/feed", .redirect(302, to: server.url("/moved")))
        try await server.route("/moved", .ok(sampleFeed))
        #expect(await makeFetcher().fetch(FetchRequest(url: server.url("/feed"))).status == 200)
    }
}
