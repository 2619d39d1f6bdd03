import FeedwatchTestSupport
import Testing

/// The poll loop fetches due feeds side by side (a task group bounded by the fetch caps), not one by one.
@Suite struct ParallelPollTests {
    @Test func dueFeedsArePolledAtTheSameTimeWithinThePerHostCap() async throws {
        let server = try await TestHTTPServer()
        let workspace = try Workspace()
        let names = ["p", "q", "r", "s", "t", "u"]
        for name in names {
            var feed = TestResponse.ok(Workspace.rss(name, items: [Workspace.item(1, feed: name)]))
            feed.delay = 1
            try await server.route("/\(name).xml", feed)
        }
        try workspace.writeConfig(feeds: names.map { server.url("/\($0).xml") })

        let run = try await workspace.runOnce()
        #expect(run.exitCode == 0, "\(run)")
        #expect(Set(try workspace.alerts().map(\.item.id)) == Set(names.map { "urn:\($0):1" }))
        // Every feed is on 127.0.0.1: at least two requests overlapped, never more than the default
        // per_host_concurrency of 4.
        let overlap = try await server.stats().maxConcurrency
        #expect(overlap >= 2)
        #expect(overlap <= 4)
    }
}
