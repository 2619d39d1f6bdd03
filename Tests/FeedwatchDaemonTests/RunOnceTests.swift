import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Testing

/// `feedwatch run --once` as a real process against local feeds.
@Suite struct RunOnceTests {
    @Test func alertsOncePerArticleAcrossRunsAndFeeds() async throws {
        let workspace = try Workspace()
        // Feed b carries feed a's first story under the same link: one article, one alert.
        var shared = Workspace.item(1, feed: "a")
        shared.id = "urn:b:copy-of-a1"
        try workspace.writeFeed("a", items: [Workspace.item(2), Workspace.item(1), Workspace.item(3, matching: false)])
        try workspace.writeFeed("b", items: [shared, Workspace.item(1, feed: "b")])
        try workspace.writeConfig(feeds: ["a", "b"])

        let first = try await workspace.runOnce()
        #expect(first.exitCode == 0, "\(first)")
        let alerts = try workspace.alerts()
        // Which feed's copy of the shared story alerts depends on which loads first; it alerts once.
        #expect(
            alerts.compactMap(\.item.link).sorted() == [
                "https://news.example/a/1", "https://news.example/a/2", "https://news.example/b/1",
            ])
        #expect(Set(alerts.map(\.id)).count == alerts.count)
        #expect(alerts.allSatisfy { $0.rule == "central-asia" && $0.terms == ["Astana"] })

        // Nothing new: nothing written.
        #expect(try await workspace.runOnce().exitCode == 0)
        #expect(try workspace.alerts().count == 3)

        // The feed changed between polls: only the new story alerts.
        try workspace.writeFeed("a", items: [Workspace.item(4), Workspace.item(2), Workspace.item(1)])
        #expect(try await workspace.runOnce().exitCode == 0)
        #expect(try workspace.alerts().map(\.item.id).last == "urn:a:4")
        #expect(try workspace.alerts().count == 4)
        // The metrics file was written for node_exporter.
        let metrics = try String(contentsOf: workspace.directory.file("state/feedwatch.prom"), encoding: .utf8)
        #expect(metrics.contains("feedwatch_alerts_total{rule=\"central-asia\"} 1"))
    }

    @Test func exitsThreeWhenSomeFeedsFailAndStillAlertsOnTheOthers() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try Data("<html><body>not a feed</body></html>".utf8).write(to: workspace.directory.file("b.xml"))
        try workspace.writeConfig(feeds: ["a", "b", "missing"])

        let run = try await workspace.runOnce()
        #expect(run.exitCode == 3)
        #expect(run.standardError.contains("b.xml"))
        #expect(run.standardError.contains("missing.xml"))
        #expect(try workspace.alerts().map(\.item.id) == ["urn:a:1"])
    }

    @Test func aBadConfigExitsTwoWithOneClearLine() async throws {
        let workspace = try Workspace()
        try Data("alert_log = 42\n".utf8).write(to: workspace.directory.file("feedwatch.toml"))
        let run = try await workspace.runOnce()
        #expect(run.exitCode == 2)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run)")
        #expect(lines.first?.contains("feedwatch.toml:1:") == true)
    }

    @Test func aFullDiskDefersTheAlertsToTheNextRun() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(2), Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a"], alertLog: "/dev/full")
        let full = try await workspace.runOnce()
        #expect(full.exitCode == 1)
        #expect(full.standardError.contains("No space left on device"))

        // Room again (here: a writable log): the items were not marked seen, so they alert now.
        try workspace.writeConfig(feeds: ["a"])
        #expect(try await workspace.runOnce().exitCode == 0)
        #expect(try workspace.alerts().map(\.item.id) == ["urn:a:1", "urn:a:2"])
    }

    @Test func logsForTheJournalUnderSystemd() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a", "missing"])
        let run = try await workspace.runOnce(environment: ["JOURNAL_STREAM": "8:12345"])
        let lines = run.standardError.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil })
        #expect(lines.contains { $0.hasPrefix("<4>feed failed") })
        #expect(lines.contains { $0.hasPrefix("<5>alert") })
    }
}

extension RunOnceTests {
    @Test func aSecondDaemonOnTheSameStateIsRefused() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a"])
        try await workspace.withDaemon { daemon in
            #expect(await eventually(timeout: 30) { (try? workspace.alerts().count) == 1 })
            let second = try await workspace.runOnce()
            #expect(second.exitCode == 1)
            #expect(second.standardError.contains("process \(daemon.processIdentifier) is already running"))
            daemon.send(SIGTERM)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
        }
        #expect(try workspace.alerts().count == 1)
    }
}
