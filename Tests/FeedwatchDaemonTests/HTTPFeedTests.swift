import FeedwatchTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon against a real HTTP server on 127.0.0.1.
@Suite struct HTTPFeedTests {
    @Test func followsAPermanentRedirectAndSendsValidatorsBack() async throws {
        let server = try await TestHTTPServer()
        let workspace = try Workspace()
        try await server.route("/old.xml", .redirect(301, to: server.url("/feed.xml")))
        var feed = TestResponse.ok(Workspace.rss("h", items: [Workspace.item(1, feed: "h")]))
        feed.etag = "\"v1\""
        try await server.route("/feed.xml", feed)
        try workspace.writeConfig(feeds: [server.url("/old.xml")])

        let first = try await workspace.runOnce()
        #expect(first.exitCode == 0, "\(first)")
        #expect(try workspace.alerts().map(\.item.id) == ["urn:h:1"])

        // The second poll goes straight to the new address and sends the ETag back: a 304, no alert.
        let second = try await workspace.runOnce()
        #expect(second.exitCode == 0, "\(second)")
        #expect(try await server.requests(to: "/old.xml").count == 1)
        #expect(try await server.requests(to: "/feed.xml").last?.headers["if-none-match"] == "\"v1\"")
        #expect(try workspace.alerts().count == 1)

        // The feed changes: the new item alerts, the old one does not.
        feed = TestResponse.ok(Workspace.rss("h", items: [Workspace.item(2, feed: "h"), Workspace.item(1, feed: "h")]))
        feed.etag = "\"v2\""
        try await server.route("/feed.xml", feed)
        #expect(try await workspace.runOnce().exitCode == 0)
        #expect(try workspace.alerts().map(\.item.id) == ["urn:h:1", "urn:h:2"])
    }

    @Test func aFailingServerExitsThreeAndNamesTheFeed() async throws {
        let server = try await TestHTTPServer()
        let workspace = try Workspace()
        try await server.route("/gone.xml", TestResponse(status: 503))
        try workspace.writeConfig(feeds: [server.url("/gone.xml")])
        let run = try await workspace.runOnce()
        #expect(run.exitCode == 3)
        #expect(run.standardError.contains("/gone.xml"))
        #expect(run.standardError.contains("503"))
    }

    @Test func sigtermCutsAFetchInFlightAndExitsZero() async throws {
        let server = try await TestHTTPServer()
        let workspace = try Workspace()
        try await server.route("/hang.xml", TestResponse(hangs: true))
        try workspace.writeConfig(feeds: [server.url("/hang.xml")])
        try await workspace.withDaemon { daemon in
            #expect(await eventually(timeout: 30) { ((try? await server.requests(to: "/hang.xml").count) ?? 0) > 0 })
            let start = ContinuousClock.now
            daemon.send(SIGTERM)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }
}
