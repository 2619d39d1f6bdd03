import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Testing

@Suite struct TailCommandTests {
    private static func alert(_ title: String, rule: String, at seconds: TimeInterval) -> Alert {
        Alert(
            detectedAt: Date(timeIntervalSince1970: seconds), rule: rule, terms: ["Dushanbe"],
            feed: .init(url: "https://news.example.org/rss", title: "Example Wire"),
            item: .init(id: title, title: title, link: "https://news.example.org/\(Int(seconds))"))
    }

    private static func logFile(_ alerts: [Alert], in directory: TemporaryDirectory) throws -> String {
        try directory.write(alerts.map(\.line).joined(), to: "alerts.jsonl").path
    }

    @Test func showsReadableLinesWithFeedTextNeutralized() async throws {
        let directory = try TemporaryDirectory()
        let log = try Self.logFile(
            [Self.alert("Summit in \u{1B}[31mDushanbe\u{1B}[0m\nends", rule: "cis-meetings", at: 1_760_000_000)], in: directory)
        let result = try await FeedwatchProcess.run(["tail", "--log", log], environment: ["TZ": "UTC"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutput == "2025-10-09 08:53  cis-meetings  Summit in Dushanbe ends  (Example Wire)  https://news.example.org/1760000000\n")
    }

    @Test func filtersByRuleSinceAndCountAndPrintsRawJSON() async throws {
        let directory = try TemporaryDirectory()
        let now = Date().timeIntervalSince1970
        let alerts = [
            Self.alert("old", rule: "central-asia", at: now - 7200),
            Self.alert("recent-ca", rule: "central-asia", at: now - 600),
            Self.alert("recent-cis", rule: "cis-meetings", at: now - 60),
        ]
        let log = try Self.logFile(alerts, in: directory)

        let byRule = try await FeedwatchProcess.run(["tail", "--log", log, "--rule", "central-asia", "--json"])
        #expect(byRule.standardOutput == alerts[0].line + alerts[1].line, "\(byRule)")

        let recent = try await FeedwatchProcess.run(["tail", "--log", log, "--since", "1h", "--json"])
        #expect(recent.standardOutput == alerts[1].line + alerts[2].line, "\(recent)")

        let last = try await FeedwatchProcess.run(["tail", "--log", log, "-n", "1", "--json"])
        #expect(last.standardOutput == alerts[2].line, "\(last)")

        let badSince = try await FeedwatchProcess.run(["tail", "--log", log, "--since", "yesterday"])
        #expect(badSince.exitCode == 2)
        #expect(badSince.standardError.contains("--since 'yesterday'"))
    }

    @Test func followsAcrossBothRotationModes() async throws {
        let directory = try TemporaryDirectory()
        let log = directory.file("alerts.jsonl")
        let alerts = (0..<4).map { Self.alert("a\($0)", rule: "central-asia", at: 1_760_000_000 + Double($0)) }
        try directory.write(alerts[0].line, to: "alerts.jsonl")

        let tail = try FeedwatchProcess(["tail", "--log", log.path, "--follow", "--json"])
        func waitForOutput(lines count: Int) async throws {
            for _ in 0..<100 where tail.standardOutputSoFar().split(separator: "\n").count < count {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await waitForOutput(lines: 1)

        // create mode: renamed away, a new file at the path.
        try FileManager.default.moveItem(at: log, to: directory.file("alerts.jsonl.1"))
        try directory.write(alerts[1].line, to: "alerts.jsonl")
        try await waitForOutput(lines: 2)

        // copytruncate mode: cut in place, then appended to.
        try Data().write(to: log)
        try await Task.sleep(for: .milliseconds(400))
        try directory.write(alerts[2].line + alerts[3].line, to: "alerts.jsonl")
        try await waitForOutput(lines: 4)

        tail.send(SIGTERM)
        let result = try await tail.waitForExit(timeout: .seconds(10))
        #expect(result.standardOutput == alerts.map(\.line).joined(), "\(result)")
    }

    @Test func endsQuietlyWhenThePipeCloses() async throws {
        let directory = try TemporaryDirectory()
        let alerts = (0..<5000).map { Self.alert("item \($0)", rule: "central-asia", at: 1_760_000_000 + Double($0)) }
        let log = try Self.logFile(alerts, in: directory)
        let binary = try FeedwatchProcess.executableURL().path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "'\(binary)' tail --log '\(log)' -n 5000 | head -n 1 >/dev/null; exit ${PIPESTATUS[0]}"]
        let errors = Pipe()
        shell.standardError = errors
        try shell.run()
        shell.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(shell.terminationStatus == 0)
        #expect(stderr.isEmpty, "\(stderr)")
    }

    @Test func usageErrorsExitTwoWithOneLine() async throws {
        let result = try await FeedwatchProcess.run(["tail", "--log", "/tmp/x", "--config", "/tmp/y"])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result)")
    }
}
