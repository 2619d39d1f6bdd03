import FeedwatchTestSupport
import Foundation
import Testing

/// `feedwatch parse` as a user runs it: the built binary, real files, standard input, exit codes.
@Suite struct ParseCommandTests {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `feedwatch` binary SwiftPM built beside the test runner (on Linux the main bundle is that folder).
    static let binary = Bundle.main.bundleURL.appendingPathComponent("feedwatch")

    static func run(_ arguments: [String], input: Data = Data()) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: errors, as: UTF8.self))
    }

    @Test func printsAFileAsNormalizedJSON() throws {
        let directory = try TemporaryDirectory()
        let feed = try directory.write(
            """
            <rss version="2.0"><channel><title>Demo &mdash; feed</title>
            <item><title>One</title><link>/a</link></item></channel></rss>
            """, to: "feed.xml")
        let outcome = try Self.run(["parse", feed.path, "--base-url", "https://demo.example/rss"])
        #expect(outcome.status == 0)
        #expect(outcome.standardError.isEmpty)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(json["format"] as? String == "rss2.0")
        #expect(json["title"] as? String == "Demo — feed")
        let items = try #require(json["items"] as? [[String: Any]])
        #expect(items.first?["link"] as? String == "https://demo.example/a")
    }

    @Test func readsStandardInput() throws {
        let atom = #"<feed xmlns="http://www.w3.org/2005/Atom"><title>From stdin</title></feed>"#
        let outcome = try Self.run(["parse", "-"], input: Data(atom.utf8))
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains(#""format": "atom1.0""#))
        #expect(outcome.standardOutput.contains(#""title": "From stdin""#))
    }

    @Test(arguments: [
        (
            "<html><body>hello</body></html>",
            "feedwatch parse: standard input: not a feed: the document is an HTML page\n"
        ),
        ("", "feedwatch parse: standard input: the input is empty\n"),
        (
            #"{"hello": "world"}"#,
            "feedwatch parse: standard input: not a feed: the JSON has no \"version\" naming JSON Feed\n"
        ),
    ])
    func notAFeedExitsTwoWithOneLine(input: String, expected: String) throws {
        let outcome = try Self.run(["parse", "-"], input: Data(input.utf8))
        #expect(outcome.status == 2)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError == expected)
    }

    @Test func missingFileExitsTwoNamingIt() throws {
        let outcome = try Self.run(["parse", "/nonexistent/feed.xml"])
        #expect(outcome.status == 2)
        let expected = "feedwatch parse: /nonexistent/feed.xml: cannot open it: no such file or directory\n"
        #expect(outcome.standardError == expected)
    }
}
