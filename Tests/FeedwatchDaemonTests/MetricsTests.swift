import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct MetricsTests {
    @Test func writesTheTextFormatAtomically() throws {
        let directory = try TemporaryDirectory()
        var metrics = Metrics()
        metrics.fetchesByOutcome = ["ok": 5, "timeout": 1]
        metrics.alertsByRule = ["central-asia": 2, "say \"hi\"": 1]
        metrics.fetchSecondsSum = 1.5
        metrics.fetchSecondsCount = 6
        metrics.feedsByState = ["ok": 2, "failing": 1]
        metrics.lastSuccessByFeed = ["https://news.example/rss": 1_795_939_200]
        try metrics.write(to: directory.file("feedwatch.prom").path)

        let text = try String(contentsOf: directory.file("feedwatch.prom"), encoding: .utf8)
        #expect(text.contains("# TYPE feedwatch_fetches_total counter\n"))
        #expect(text.contains("feedwatch_fetches_total{outcome=\"ok\"} 5\n"))
        #expect(text.contains("feedwatch_alerts_total{rule=\"say \\\"hi\\\"\"} 1\n"))
        #expect(text.contains("feedwatch_fetch_duration_seconds_sum 1.5\nfeedwatch_fetch_duration_seconds_count 6\n"))
        #expect(text.contains("feedwatch_feeds{state=\"failing\"} 1\n"))
        #expect(
            text.contains("feedwatch_last_success_timestamp_seconds{feed=\"https://news.example/rss\"} 1795939200\n"))
        // Only the finished file is left, under the name node_exporter reads.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["feedwatch.prom"])
    }

    @Test func labelValuesEscapeBackslashQuoteAndNewlineOnly() {
        #expect(Metrics.escape("https://news.example/rss?q=a&b") == "https://news.example/rss?q=a&b")
        #expect(Metrics.escape("a\\b \"c\"\nd – é") == "a\\\\b \\\"c\\\"\\nd – é")
    }

    @Test func timestampsAreWholeSecondsRoundedAsPrintfDoes() {
        #expect(Metrics.wholeSeconds(1_795_939_200.4) == "1795939200")
        #expect(Metrics.wholeSeconds(1_795_939_200.6) == "1795939201")
        #expect(Metrics.wholeSeconds(2.5) == String(format: "%.0f", 2.5))
    }

    @Test func aMissingFolderIsAnError() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: (any Error).self) { try Metrics().write(to: directory.file("missing/feedwatch.prom").path) }
    }
}
