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
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Feed \(name)</title><link>https://news.example/</link>
            <description>Test feed</description>

            """
        for item in items {
            xml += "<item><guid>\(item.id)</guid><title>\(item.title)</title><link>\(item.link)</link></item>\n"
        }
        xml += "</channel></rss>\n"
        try Data(xml.utf8).write(to: directory.file("\(name).xml"), options: .atomic)
    }

    /// Writes the config: local feeds polled every second, one keyword rule, every item admitted on the first poll.
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
                url = "\(feed).xml"
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
    func runOnce(environment: [String: String] = [:]) async throws -> (status: Int32?, stderr: String) {
        try await DaemonProcess.run(["run", "--config", configPath, "--once"], in: directory, environment: environment)
    }

    /// `feedwatch run` with this workspace's config, left running.
    func startDaemon(environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(["run", "--config", configPath], in: directory, environment: environment)
    }
}
