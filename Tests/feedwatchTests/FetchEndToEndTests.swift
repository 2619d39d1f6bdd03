import FeedwatchTestSupport
import Foundation
import Testing

/// Fetching end to end: the built binary against real nginx servers that each test starts, on the
/// machine's loopback or inside a private network namespace that has nothing but loopback.
@Suite("Fetching end to end")
struct FetchEndToEndTests {
    @Test("A host name that cannot resolve fails its feed at once, saying DNS, while the other feeds are fetched")
    func unresolvableName() async throws {
        try requireFacilities(namespace: true)
        let network = try await NetworkNamespace()
        let nginx = try await TestNginx(in: network) { root in "server { listen 127.0.0.1:8080; root \(root); }" }
        for name in ["a", "b", "c"] { try nginx.write(feed(name), to: "\(name).xml") }
        // Listed first, so a lookup that stalled would hold back every feed behind it.
        let unresolvable = "http://feeds.example.invalid/news.xml"
        let workspace = try RunWorkspace(
            feeds: [unresolvable] + ["a", "b", "c"].map { "http://127.0.0.1:8080/\($0).xml" })

        // The namespace reaches no DNS server; the options bound glibc's wait should one ever answer slowly.
        let run = try await workspace.runOnce(
            launcher: network.launcher, environment: ["RES_OPTIONS": "timeout:1 attempts:1"])

        #expect(run.exitCode == 3, "\(run)")
        #expect(run.duration < .seconds(5), "run --once took \(run.duration)")
        let failure = run.standardError.split(separator: "\n").first { $0.contains(unresolvable) }
        #expect(failure?.contains("DNS") == true, "\(run)")
        let status = try await workspace.status()
        #expect(status[unresolvable]?["last_error"] as? String == "DNS lookup failed: could not resolve host feeds.example.invalid")
        #expect(status[unresolvable]?["failing_streak"] as? Int == 1)
        for name in ["a", "b", "c"] {
            let feed = status["http://127.0.0.1:8080/\(name).xml"]
            #expect(feed?["last_status"] as? Int == 200)
            #expect(feed?["last_error"] is NSNull)
        }
        #expect(try workspace.alertTitles() == ["Astana news from a", "Astana news from b", "Astana news from c"])
    }

    @Test("A feed served over TLS by a server that offers HTTP/2 is fetched with HTTP/2")
    func http2() async throws {
        try requireFacilities(namespace: false)
        let certificates = try TemporaryDirectory()
        let identity = try TLSIdentity.selfSigned(in: certificates)
        let port = try unusedLoopbackPort()
        let nginx = try await TestNginx { root in
            """
            server {
                listen 127.0.0.1:\(port) ssl http2;
                ssl_certificate \(identity.certificatePath);
                ssl_certificate_key \(identity.keyPath);
                root \(root);
            }
            """
        }
        for name in ["a", "b"] { try nginx.write(feed(name), to: "\(name).xml") }
        let workspace = try RunWorkspace(
            feeds: ["a", "b"].map { "https://127.0.0.1:\(port)/\($0).xml" },
            extra: "[fetch]\nca_bundle = \"\(identity.certificatePath)\"")

        let run = try await workspace.runOnce()
        #expect(run.exitCode == 0, "\(run)")
        #expect(try workspace.alertTitles() == ["Astana news from a", "Astana news from b"])
        #expect(nginx.accessLog().sorted() == ["127.0.0.1 HTTP/2.0 200 /a.xml", "127.0.0.1 HTTP/2.0 200 /b.xml"])
    }

    @Test("A redirect from a public address to loopback is refused, unless the config allows it")
    func publicToPrivateRedirect() async throws {
        try requireFacilities(namespace: true)
        let network = try await NetworkNamespace()
        // A documentation address (RFC 5737): public to the classifier, nobody's real server, and only on
        // this namespace's lo.
        try network.addLoopbackAddress("203.0.113.7/32")
        let nginx = try await TestNginx(in: network) { root in
            """
            server { listen 203.0.113.7:80; return 302 http://127.0.0.1:8080$request_uri; }
            server { listen 127.0.0.1:8080; root \(root); }
            """
        }
        try nginx.write(feed("moved"), to: "feed.xml")
        let publicURL = "http://203.0.113.7/feed.xml"

        let parse = try await FeedwatchProcess.run(["parse", publicURL], launcher: network.launcher)
        #expect(parse.exitCode == 2, "\(parse)")
        #expect(
            parse.standardError.contains(
                "redirect from a public address to http://127.0.0.1:8080/feed.xml at loopback address 127.0.0.1 refused"),
            "\(parse)")
        // Listed directly, the loopback feed is the operator's choice and is fetched.
        let direct = try await FeedwatchProcess.run(
            ["parse", "http://127.0.0.1:8080/feed.xml"], launcher: network.launcher)
        #expect(direct.exitCode == 0, "\(direct)")

        let refused = try RunWorkspace(feeds: [publicURL])
        let refusedRun = try await refused.runOnce(launcher: network.launcher)
        #expect(refusedRun.exitCode == 3, "\(refusedRun)")
        #expect(try await refused.status()[publicURL]?["last_error"] as? String != nil)
        #expect(try refused.alertTitles().isEmpty)
        // The hop was stopped once connected, before its request was sent: one request, from the parse above.
        #expect(nginx.accessLog().filter { $0.hasPrefix("127.0.0.1 ") } == ["127.0.0.1 HTTP/1.1 200 /feed.xml"])

        let allowed = try RunWorkspace(feeds: [publicURL], extra: "[fetch]\nallow_private_redirects = true")
        let allowedRun = try await allowed.runOnce(launcher: network.launcher)
        #expect(allowedRun.exitCode == 0, "\(allowedRun)")
        #expect(try allowed.alertTitles() == ["Astana news from moved"])
    }

    /// Stops the test, saying what is missing, when this machine lacks nginx or namespaces.
    private func requireFacilities(namespace: Bool) throws {
        if let reason = TestNginx.unavailableReason { try Test.cancel("needs nginx: \(reason)") }
        if namespace, let reason = NetworkNamespace.unavailableReason {
            try Test.cancel("needs a private network namespace: \(reason)")
        }
    }

    /// An RSS feed named `name` with one item that the workspace's rule matches.
    private func feed(_ name: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Feed \(name)</title><link>https://news.example/\(name)/</link>
        <item><guid>urn:\(name):1</guid><title>Astana news from \(name)</title></item>
        </channel></rss>

        """
    }
}

/// A config polling `feeds` with one keyword rule, its state and alert log, in one temporary directory.
private struct RunWorkspace {
    let directory: TemporaryDirectory

    init(feeds: [String], extra: String = "") throws {
        directory = try TemporaryDirectory()
        let feedTables = feeds.map { "[[feed]]\nurl = \"\($0)\"\n" }.joined(separator: "\n")
        try directory.write(
            """
            alert_log = "alerts.jsonl"
            state_dir = "state"
            backfill = "all"

            \(feedTables)
            [[rule]]
            name = "central-asia"
            keywords = ["Astana"]

            \(extra)

            """, to: "feedwatch.toml")
    }

    private var config: String { directory.file("feedwatch.toml").path }

    func runOnce(launcher: [String] = [], environment: [String: String] = [:]) async throws -> ProcessResult {
        try await FeedwatchProcess.run(
            ["run", "--once", "--config", config], environment: environment, launcher: launcher)
    }

    /// `feedwatch status --json`, keyed by feed URL.
    func status() async throws -> [String: [String: Any]] {
        let run = try await FeedwatchProcess.run(["status", "--json", "--config", config])
        let feeds = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]] ?? []
        return Dictionary(feeds.map { ($0["url"] as? String ?? "", $0) }) { first, _ in first }
    }

    /// The titles of the items alerted on, sorted.
    func alertTitles() throws -> [String] {
        let log = directory.file("alerts.jsonl")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let alert = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (alert?["item"] as? [String: Any])?["title"] as? String
        }.sorted()
    }
}
