import FeedwatchConfig
import FeedwatchCore
import Foundation
import Testing

@Suite struct ConfigurationLoadingTests {
    @Test func aFeedAloneGetsEveryDefault() throws {
        let fixture = try ConfigFixture(#"[[feed]]\#nurl = "https://example.org/rss.xml""#)
        let configuration = try fixture.load()
        #expect(configuration.file == fixture.path)
        #expect(configuration.alertLog == "/var/log/feedwatch/alerts.jsonl")
        #expect(configuration.stateDirectory == "/var/lib/feedwatch")
        #expect(configuration.metricsFile == "/var/lib/feedwatch/feedwatch.prom")
        #expect(configuration.backfill == .window(.seconds(86_400)))
        #expect(configuration.logLevel == .info)
        #expect(configuration.defaultInterval == .seconds(900))
        #expect(configuration.maxInterval == .seconds(6 * 3_600))
        #expect(configuration.retention == .seconds(30 * 86_400))
        #expect(configuration.fetch == Configuration.Fetch())
        #expect(configuration.fetch.concurrency == 16 && configuration.fetch.perHostConcurrency == 4)
        #expect(configuration.fetch.maxBodySize == 20 << 20)
        #expect(configuration.fetch.userAgent == FeedwatchVersion.userAgent)
        let feed = try #require(configuration.feeds.first)
        #expect(feed.url == "https://example.org/rss.xml")
        #expect(feed.name == nil && feed.displayName == "https://example.org/rss.xml")
        #expect(feed.interval == .seconds(900) && feed.enabled && feed.headers.isEmpty && feed.credentials == nil)
        #expect(feed.ruleNames == nil && feed.applies(rule: "anything"))
        #expect(feed.location?.description == "\(fixture.path):1:3")
    }

    @Test func everyKeyIsReadAndRelativePathsResolveAgainstTheConfigFolder() throws {
        let fixture = try ConfigFixture(
            """
            alert_log = "log/alerts.jsonl"
            state_dir = "./state/../state"
            backfill = "all"
            log_level = "debug"
            interval = "1h30m"
            max_interval = "2h"
            retention = "0"

            [fetch]
            concurrency = 8
            per_host_concurrency = 2
            connect_timeout = "5s"
            timeout = "1m"
            low_speed_limit = "10KB"
            low_speed_time = "20s"
            max_body_size = 1048576
            max_redirects = 0
            ca_bundle = "certs/ca.pem"
            allow_private_redirects = true
            user_agent = "test-agent/1"

            [[feed]]
            url = "samples/news.xml"
            name = "Local news"
            interval = "1s"
            enabled = false
            rules = ["central-asia"]

            [[feed]]
            url = "file:///srv/feeds/other.xml"
            headers = { Accept-Language = "ru" }

            [[rule]]
            name = "central-asia"
            keywords = ["Kazakhstan"]
            """,
            files: ["certs/ca.pem": "-----BEGIN CERTIFICATE-----\n"])
        let configuration = try fixture.load()
        let folder = fixture.directory.path
        #expect(configuration.alertLog == "\(folder)/log/alerts.jsonl")
        #expect(configuration.stateDirectory == "\(folder)/state")
        #expect(configuration.metricsFile == "\(folder)/state/feedwatch.prom")
        #expect(configuration.backfill == .all)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.defaultInterval == .seconds(5_400))
        #expect(configuration.maxInterval == .seconds(7_200))
        #expect(configuration.retention == .zero)
        #expect(
            configuration.fetch
                == Configuration.Fetch(
                    concurrency: 8, perHostConcurrency: 2, connectTimeout: .seconds(5), timeout: .seconds(60),
                    lowSpeedLimit: 10_240, lowSpeedTime: .seconds(20), maxBodySize: 1_048_576, maxRedirects: 0,
                    caBundle: "\(folder)/certs/ca.pem", allowPrivateRedirects: true, userAgent: "test-agent/1"))
        #expect(configuration.feeds.count == 2)
        let local = configuration.feeds[0]
        #expect(local.url == "file://\(folder)/samples/news.xml")
        #expect(local.filePath == "\(folder)/samples/news.xml")
        #expect(local.name == "Local news" && local.interval == .seconds(1) && !local.enabled)
        #expect(local.ruleNames == ["central-asia"] && !local.applies(rule: "cis-meetings"))
        let other = configuration.feeds[1]
        #expect(other.url == "file:///srv/feeds/other.xml" && other.filePath == "/srv/feeds/other.xml")
        #expect(other.interval == .seconds(5_400))
        #expect(other.headers.map(\.description) == ["Accept-Language: ru"])
    }

    @Test func backfillZeroAlertsOnNothingAndAWindowOnRecentOrUndatedItems() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let dayAgo = now.addingTimeInterval(-86_400)
        let twoDaysAgo = now.addingTimeInterval(-2 * 86_400)
        let none = Configuration.Backfill.window(.zero)
        #expect(!none.admitsOnFirstPoll(published: dayAgo, now: now))
        #expect(!none.admitsOnFirstPoll(published: nil, now: now))
        let day = Configuration.Backfill.window(.seconds(86_400))
        #expect(day.admitsOnFirstPoll(published: dayAgo, now: now))
        #expect(day.admitsOnFirstPoll(published: nil, now: now))
        #expect(!day.admitsOnFirstPoll(published: twoDaysAgo, now: now))
        #expect(Configuration.Backfill.all.admitsOnFirstPoll(published: twoDaysAgo, now: now))

        let fixture = try ConfigFixture(#"backfill = "0""#)
        #expect(try fixture.load().backfill == none)
        #expect(none.description == "0" && day.description == "1d")
    }

    @Test func theConfigPathComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        let environment = ["FEEDWATCH_CONFIG": "/srv/fw.toml"]
        #expect(Configuration.path(option: "a.toml", environment: environment) == "a.toml")
        #expect(Configuration.path(option: nil, environment: environment) == "/srv/fw.toml")
        #expect(
            Configuration.path(option: nil, environment: ["FEEDWATCH_CONFIG": ""]) == "/etc/feedwatch/feedwatch.toml")
        #expect(Configuration.path(option: nil, environment: [:]) == "/etc/feedwatch/feedwatch.toml")
    }

    @Test func secretsAreReadFromAFileOrTheEnvironmentAndNeverPrinted() throws {
        let fixture = try ConfigFixture(
            """
            [[feed]]
            url = "https://a.example/rss"
            auth = { username = "reader", password_file = "secrets/a" }

            [[feed]]
            url = "https://b.example/rss"
            auth = { username = "reader", password_env = "FEED_B_PASSWORD" }
            headers = { X-Api-Key = { value_env = "FEED_B_KEY" }, X-Token = { value_file = "secrets/token" } }
            """,
            files: ["secrets/a": "s3cret-a\n", "secrets/token": "tok-9f2"])
        let configuration = try fixture.load(environment: ["FEED_B_PASSWORD": "s3cret-b", "FEED_B_KEY": "key-b"])
        let a = try #require(configuration.feeds.first?.credentials)
        #expect(a.username == "reader" && a.password.revealed == "s3cret-a")
        let b = configuration.feeds[1]
        #expect(b.credentials?.password.revealed == "s3cret-b")
        #expect(b.headers.map(\.name) == ["X-Api-Key", "X-Token"])
        #expect(b.headers.map(\.value.revealed) == ["key-b", "tok-9f2"])

        var dumped = ""
        dump(configuration, to: &dumped)
        let printed = "\(configuration) \(String(reflecting: configuration)) \(dumped)"
        for secret in ["s3cret-a", "s3cret-b", "key-b", "tok-9f2"] {
            #expect(!printed.contains(secret))
        }
        #expect(a.description == "reader:<hidden>")
    }
}

@Suite struct ShippedConfigTests {
    /// The repository's `config/` folder, found from this source file.
    private static let configFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config")

    @Test func theProductionConfigLoadsWithItsDefaultRules() throws {
        let path = Self.configFolder.appendingPathComponent("feedwatch.toml").path
        let configuration = try Configuration.load(from: path, environment: [:])
        #expect(configuration.alertLog == "/var/log/feedwatch/alerts.jsonl")
        #expect(configuration.stateDirectory == "/var/lib/feedwatch")
        #expect(configuration.backfill == .window(.seconds(86_400)))
        #expect(configuration.rules.names == ["central-asia", "cis-meetings"])
        #expect(
            configuration.ruleFiles.map { ($0 as NSString).lastPathComponent } == [
                "central-asia.toml", "cis-meetings.toml",
            ])
        #expect(!configuration.feeds.isEmpty && configuration.feeds.allSatisfy { $0.url.hasPrefix("https://") })
    }
}
