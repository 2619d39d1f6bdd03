import Foundation
import Logging
import Synchronization
import Testing

@testable import FeedwatchDaemon

@Suite struct DaemonLogHandlerTests {
    /// Lines the handler wrote, in order.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func journalLinesCarryAPriorityAndNoTime() {
        let lines = Lines()
        let handler = DaemonLogHandler(level: .info, environment: ["JOURNAL_STREAM": "8:1234"], write: lines.append)
        let logger = Logger(label: "feedwatch") { _ in handler }
        logger.warning(
            "fetch failed",
            metadata: ["feed.url": "https://news.example/rss", "error": "the host name could not be resolved"])
        logger.info("poll done", metadata: ["feeds": "3"])
        logger.debug("not shown")
        #expect(
            lines.all == [
                "<4>fetch failed error=\"the host name could not be resolved\" feed.url=https://news.example/rss\n",
                "<6>poll done feeds=3\n",
            ])
    }

    @Test func terminalLinesStartWithTheLocalTimeAndLevel() throws {
        let lines = Lines()
        let handler = DaemonLogHandler(level: .trace, environment: [:], write: lines.append)
        Logger(label: "feedwatch") { _ in handler }.error("alert log write failed", metadata: ["path": "/x y"])
        let line = try #require(lines.all.first)
        #expect(
            line.range(
                of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} error alert log write failed path="/x y"\n$"#,
                options: .regularExpression) != nil)
    }

    @Test func mapsEveryLevelToASyslogPriority() {
        #expect(Logger.Level.allCases.map(DaemonLogHandler.priority) == [7, 7, 6, 5, 4, 3, 2])
    }
}
