import FeedwatchConfig
import FeedwatchCore
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct StatusReportTests {
    private static let polled = "http://127.0.0.1:9/polled.xml"
    private static let failing = "http://127.0.0.1:9/failing.xml"
    private static let fresh = "http://127.0.0.1:9/fresh.xml"

    /// A config with three feeds, and a state in which two were polled: one fine, one failing.
    private static func fixture() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            """
            alert_log = "alerts.jsonl"
            state_dir = "state"
            [[feed]]
            url = "\(polled)"
            name = "Polled Wire"
            [[feed]]
            url = "\(failing)"
            [[feed]]
            url = "\(fresh)"
            name = "Fresh"
            [[rule]]
            name = "central-asia"
            keywords = ["Kazakhstan"]
            """, to: "feedwatch.toml")
        let store = try StateStore(directory: directory.file("state").path)
        let at = Date(timeIntervalSince1970: 1_760_000_000)
        try store.save(FeedState(url: polled, nextPoll: at.addingTimeInterval(900), lastAttempt: at, lastSuccess: at, lastStatus: 200, fetches: 1))
        try store.save(
            FeedState(url: failing, failingStreak: 3, lastAttempt: at, lastStatus: 503, lastError: "the server answered 503 Service Unavailable", fetches: 3, failures: 3))
        try store.recordPoll(
            feedURL: polled,
            items: [SeenItem(id: "a", link: nil, titleHash: nil, firstSeen: at, lastSeen: at, matchedRules: ["central-asia"]),
                    SeenItem(id: "b", link: nil, titleHash: nil, firstSeen: at, lastSeen: at, matchedRules: [])])
        try store.recordAlerts([
            Alert(detectedAt: at, rule: "central-asia", terms: ["Kazakhstan"], feed: .init(url: polled), item: .init(id: "a"))
        ])
        return (directory, config.path)
    }

    @Test func joinsConfiguredFeedsWithTheirState() throws {
        let (directory, path) = try Self.fixture()
        let report = try StatusReport(configuration: Configuration.load(from: path))
        #expect(report.rows.map(\.url) == [Self.polled, Self.failing, Self.fresh])
        #expect(report.rows[0].itemsSeen == 2 && report.rows[0].alerts == 1)
        #expect(report.rows[1].state.failingStreak == 3)
        #expect(report.rows[2].state.lastAttempt == nil && report.rows[2].itemsSeen == 0)

        let table = report.table(now: Date(timeIntervalSince1970: 1_760_000_120), style: TerminalStyle(isEnabled: false))
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].contains("Polled Wire") && lines[1].contains("2m ago") && lines[1].contains("HTTP 200") && lines[1].contains("in 13m"))
        #expect(lines[2].contains("the server answered 503"))
        #expect(lines[3].hasPrefix("Fresh") && lines[3].contains("never") && lines[3].contains("at start"))
        _ = directory
    }

    @Test func statusJSONFollowsTheContractWhileAWriterHoldsTheDatabase() async throws {
        let (directory, path) = try Self.fixture()
        // The daemon keeps its pool open and writes; status must read beside it.
        let writer = try StateStore(directory: directory.file("state").path)
        try writer.save(FeedState(url: Self.fresh, lastAttempt: Date(timeIntervalSince1970: 1_760_000_500), lastStatus: 304))

        let result = try await FeedwatchProcess.run(["status", "--config", path, "--json"])
        #expect(result.exitCode == 0, "\(result)")
        let feeds = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(feeds.count == 3)
        #expect(Set(feeds[0].keys) == ["url", "name", "last_attempt", "last_success", "last_status", "last_error", "next_poll", "failing_streak", "items_seen", "alerts"])
        #expect(feeds[0]["last_success"] as? String == "2025-10-09T08:53:20Z")
        #expect(feeds[0]["items_seen"] as? Int == 2 && feeds[0]["alerts"] as? Int == 1)
        #expect(feeds[1]["last_error"] as? String == "the server answered 503 Service Unavailable")
        #expect(feeds[1]["failing_streak"] as? Int == 3 && feeds[1]["name"] is NSNull)
        #expect(feeds[2]["last_status"] as? Int == 304)
    }

    @Test func aStateDirWithoutDatabaseShowsEveryFeedAsNeverPolled() async throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "state_dir = \"nothing-yet\"\nalert_log = \"a.jsonl\"\n[[feed]]\nurl = \"http://127.0.0.1:9/x.xml\"\n",
            to: "feedwatch.toml")
        let result = try await FeedwatchProcess.run(["status", "--config", config.path])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutput.contains("never"))
    }
}
