import FeedwatchCore
import FeedwatchTestSupport
import Foundation

/// A config, its local feeds and the alert log, in one temporary directory.
struct Workspace {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    var configPath: String { directory.file("feedwatch.toml").path }
    var alertLog: URL { directory.file("alerts.jsonl") }

    /// A feed item: matching ones mention Astana in their title.
    struct Item {
        var id: String
        var title: String
        var link: String
    }

    static func item(_ number: Int, matching: Bool = true, feed: String = "a") -> Item {
        Item(
            id: "urn:\(feed):\(number)",
            title: matching ? "Story \(number) from Astana" : "Story \(number) about the weather",
            link: "https://news.example/\(feed)/\(number)")
    }

    /// Writes an RSS 2.0 feed named `name` holding `items`, atomically, as a publisher would replace it.
    func writeFeed(_ name: String, items: [Item]) throws {
        try Data(Workspace.rss(name, items: items).utf8).write(to: directory.file("\(name).xml"), options: .atomic)
    }

    /// An RSS 2.0 document titled after `name` holding `items`.
    static func rss(_ name: String, items: [Item]) -> String {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Feed \(name)</title><link>https://news.example/</link>
            <description>Test feed</description>

            """
        for item in items {
            xml += "<item><guid>\(item.id)</guid><title>\(item.title)</title><link>\(item.link)</link></item>\n"
        }
        xml += "</channel></rss>\n"
        return xml
    }

    /// Writes the config: feeds polled every second (a name is the local file `name.xml`, anything
    /// with `://` a URL), one keyword rule, every item admitted on the first poll.
    func writeConfig(feeds: [String], alertLog: String = "alerts.jsonl", extra: String = "") throws {
        var toml = """
            alert_log = "\(alertLog)"
            state_dir = "state"
            backfill = "all"
            log_level = "debug"
            interval = "1s"
            \(extra)

            """
        for feed in feeds {
            toml += """

                [[feed]]
                url = "\(feed.contains("://") ? feed : feed + ".xml")"
                interval = "1s"

                """
        }
        toml += """

            [[rule]]
            name = "central-asia"
            keywords = ["Astana", "Kazakhstan"]

            """
        try Data(toml.utf8).write(to: directory.file("feedwatch.toml"), options: .atomic)
    }

    /// The log's lines, each read back as an alert; a line that does not read makes this throw.
    func alerts() throws -> [Alert] {
        guard let data = FileManager.default.contents(atPath: alertLog.path), !data.isEmpty else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasSuffix("\n") else { throw TornLog(text: String(text.suffix(200))) }
        return try text.split(separator: "\n").map { try Alert(line: $0) }
    }

    struct TornLog: Error {
        var text: String
    }

    /// `feedwatch run --once` with this workspace's config.
    func runOnce(environment: [String: String] = [:]) async throws -> ProcessResult {
        try await FeedwatchProcess.run(
            ["run", "--config", configPath, "--once"], environment: environment, currentDirectory: directory.url,
            timeout: .seconds(60))
    }

    /// `feedwatch run` with this workspace's config, left running.
    func startDaemon(environment: [String: String] = [:]) throws -> FeedwatchProcess {
        try FeedwatchProcess(
            ["run", "--config", configPath], environment: environment, currentDirectory: directory.url)
    }

    /// Runs `body` with a daemon started on this workspace. If `body` throws, the daemon is killed
    /// and reaped, so a failing test never leaves it running; `body` itself should end it and wait.
    func withDaemon(
        environment: [String: String] = [:], _ body: (FeedwatchProcess) async throws -> Void
    ) async throws {
        let daemon = try startDaemon(environment: environment)
        do {
            try await body(daemon)
        } catch {
            daemon.send(SIGKILL)
            _ = try? await daemon.waitForExit(timeout: .seconds(5))
            throw error
        }
    }
}
