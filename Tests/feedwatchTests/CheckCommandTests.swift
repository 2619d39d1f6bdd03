import FeedwatchTestSupport
import Foundation
import Testing

/// `feedwatch check` run as a real process.
@Suite struct CheckCommandTests {
    private static let goodConfig = """
        alert_log = "log/alerts.jsonl"
        state_dir = "state"
        rule_files = ["rules.toml"]

        [[feed]]
        name = "Local sample"
        url = "sample.xml"
        interval = "30s"

        [[feed]]
        url = "https://example.org/rss.xml"
        enabled = false
        """

    private static let ruleFile = """
        [terms]
        capitals = ["Astana", "Bishkek"]
        [[rule]]
        name = "central-asia"
        query = "Kazakhstan OR @capitals"
        """

    private func folder(config: String, files: [String: String] = [:]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(config, to: "feedwatch.toml")
        for (name, contents) in files { try directory.write(contents, to: name) }
        return directory
    }

    @Test func aGoodConfigPrintsItsSummaryAndExitsZero() async throws {
        let directory = try folder(
            config: Self.goodConfig, files: ["rules.toml": Self.ruleFile, "sample.xml": "<rss/>"])
        let config = directory.file("feedwatch.toml").path
        let result = try await FeedwatchProcess.run(["check", "--config", config])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardError.isEmpty)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(config): OK")
        #expect(lines.contains("feeds:      2 (1 enabled)"))
        #expect(lines.contains("  Local sample  every 30s  file://\(directory.path)/sample.xml"))
        #expect(lines.contains("rules:      1 (central-asia)"))
        #expect(lines.contains("terms:      1 list, 2 terms"))
        #expect(lines.contains("alert log:  \(directory.path)/log/alerts.jsonl"))
        #expect(lines.contains("state dir:  \(directory.path)/state"))
    }

    @Test func everyErrorIsPrintedWithItsPlaceAndACaretAndTheExitIsTwo() async throws {
        let directory = try folder(
            config: """
                state_dir = "blocker/state"
                [[feed]]
                url = "https://example.org/rss.xml"
                interval = "15 minutes"
                [[rule]]
                name = "broken"
                query = "Kazakhstan AND"
                """,
            files: ["blocker": "a file where a folder should be"])
        let result = try await FeedwatchProcess.run(
            ["check"], environment: ["FEEDWATCH_CONFIG": "feedwatch.toml"], currentDirectory: directory.url)
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.standardOutput.isEmpty)
        #expect(
            result.standardError == """
                feedwatch.toml:1:14: error: state_dir: \(directory.path)/blocker/state cannot be created: \
                \(directory.path)/blocker is not a directory
                state_dir = "blocker/state"
                             ^
                feedwatch.toml:4:15: error: invalid duration for 'feed[0].interval': unknown unit ' ' in "15 minutes"; \
                use s (seconds), m (minutes), h (hours) or d (days)
                interval = "15 minutes"
                              ^
                feedwatch.toml:7:24: error: rule 'broken': query: expected a term after AND
                query = "Kazakhstan AND"
                                       ^
                3 errors in feedwatch.toml

                """)
    }

    @Test func withoutAConfigTheDefaultPathIsNamed() async throws {
        let result = try await FeedwatchProcess.run(["check"], environment: ["FEEDWATCH_CONFIG": ""])
        #expect(result.exitCode == 2)
        if !FileManager.default.fileExists(atPath: "/etc/feedwatch/feedwatch.toml") {
            #expect(result.standardError.hasPrefix("error: cannot read config file /etc/feedwatch/feedwatch.toml: "))
        }
    }

    @Test func theProcessHelperPassesStandardInputAndReportsSignals() async throws {
        let echo = try await FeedwatchProcess.run(["parse", "-"], standardInput: Data("not a feed".utf8))
        #expect(echo.exitCode == 2 && echo.signal == nil)
        #expect(echo.standardError.contains("standard input"))

        let directory = try folder(config: Self.goodConfig)
        let process = try FeedwatchProcess(["check", "--config", directory.file("feedwatch.toml").path])
        let result = try await process.waitForExit(timeout: .seconds(30))
        #expect(result.exitCode == 2)
        #expect(process.standardErrorSoFar() == result.standardError)
    }
}
