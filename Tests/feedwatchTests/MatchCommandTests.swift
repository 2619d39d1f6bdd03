import FeedwatchTestSupport
import Foundation
import Testing

/// `feedwatch match` run as a real process over a feed and rules written here.
@Suite struct MatchCommandTests {
    private static let config = """
        alert_log = "alerts.jsonl"
        state_dir = "state"
        [terms]
        capitals = ["Astana", "Душанбе*"]
        [[rule]]
        name = "central-asia"
        query = "Kazakhstan OR @capitals"
        [[rule]]
        name = "cis-meetings"
        query = "=CIS NEAR/8 summit*"
        """

    private static let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Test</title><link>https://example.org/</link>
        <item><guid>a1</guid><title>CIS summit opens in Astana</title><link>https://example.org/a1</link>
        <description>Leaders of the CIS arrived in Astana on Thursday for the summit.</description></item>
        <item><guid>a2</guid><title>Weather</title><link>https://example.org/a2</link>
        <description>Rain in Lisbon.</description></item>
        <item><guid>a3</guid><title>Саммит в Душанбе</title>
        <description>Лидеры собрались в Душанбе.</description></item>
        </channel></rss>
        """

    private func folder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(Self.config, to: "feedwatch.toml")
        try directory.write(Self.feed, to: "feed.xml")
        return directory
    }

    @Test func jsonLinesFollowTheContract() async throws {
        let directory = try folder()
        let result = try await FeedwatchProcess.run(
            ["match", "--config", directory.file("feedwatch.toml").path, directory.file("feed.xml").path, "--json"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(
            result.standardOutput == """
                {"item_id":"a1","title":"CIS summit opens in Astana","link":"https://example.org/a1","rules":[{"name":"central-asia","terms":["Astana"]},{"name":"cis-meetings","terms":["CIS","summit"]}]}
                {"item_id":"a3","title":"Саммит в Душанбе","link":null,"rules":[{"name":"central-asia","terms":["Душанбе"]}]}

                """)
        #expect(!FileManager.default.fileExists(atPath: directory.file("alerts.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: directory.file("state").path))
    }

    @Test func peopleGetTermsAndAnExcerptInBracketsWhenPiped() async throws {
        let directory = try folder()
        let result = try await FeedwatchProcess.run(
            ["match", directory.file("feed.xml").path, "--rule", "cis-meetings"],
            environment: ["FEEDWATCH_CONFIG": directory.file("feedwatch.toml").path])
        #expect(result.exitCode == 0, "\(result)")
        #expect(
            result.standardOutput == """
                CIS summit opens in Astana  https://example.org/a1
                  cis-meetings  score 10  terms: CIS, summit
                    summary: Leaders of the [CIS] arrived in Astana on Thursday for the [summit].


                """)
        #expect(!result.standardOutput.contains("\u{1B}["))
    }

    @Test func standardInputIsASource() async throws {
        let directory = try folder()
        let result = try await FeedwatchProcess.run(
            ["match", "--config", directory.file("feedwatch.toml").path, "-", "--json", "--rule", "central-asia"],
            standardInput: Data(Self.feed.utf8))
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutput.split(separator: "\n").count == 2)
    }

    @Test func aURLIsFetchedAndMatched() async throws {
        let directory = try folder()
        let server = try await TestHTTPServer()
        try await server.route("/feed.xml", .ok(Self.feed))
        try await server.route("/gone.xml", TestResponse(status: 404))
        let config = directory.file("feedwatch.toml").path
        let result = try await FeedwatchProcess.run(["match", "--config", config, server.url("/feed.xml"), "--json"])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.standardOutput.split(separator: "\n").map { $0.prefix(16) } == [#"{"item_id":"a1","#, #"{"item_id":"a3","#])
        let gone = try await FeedwatchProcess.run(["match", "--config", config, server.url("/gone.xml")])
        #expect(gone.exitCode == 2)
        #expect(gone.standardError.hasPrefix("feedwatch match: \(server.url("/gone.xml")): "))
    }

    @Test func anUnknownRuleOrAnUnreadableSourceExitsTwo() async throws {
        let directory = try folder()
        let config = directory.file("feedwatch.toml").path
        let unknown = try await FeedwatchProcess.run(["match", "--config", config, directory.file("feed.xml").path, "--rule", "nope"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.standardError == "feedwatch match: no rule named 'nope' in \(config); rules: central-asia, cis-meetings\n")
        let missing = try await FeedwatchProcess.run(["match", "--config", config, directory.file("absent.xml").path])
        #expect(missing.exitCode == 2)
        #expect(missing.standardError.hasPrefix("feedwatch match: \(directory.file("absent.xml").path): "))
    }
}
