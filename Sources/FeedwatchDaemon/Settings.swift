import FeedwatchConfig
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import FeedwatchRules
import Logging

/// A loaded config, rules compiled: what a reload replaces as one piece, only once all of it is valid.
struct Settings: Sendable {
    let configuration: Configuration
    /// Every configured feed's URL, so recording a load checks that its feed is still configured in
    /// constant time rather than by a scan of the feeds, which made a poll quadratic in their number.
    let feedURLs: Set<String>

    init(configuration: Configuration) {
        self.configuration = configuration
        feedURLs = Set(configuration.feeds.map(\.url))
    }

    /// Reads and validates the config and compiles its rules.
    /// - Throws: the config's or the rules' diagnostics, each naming `file:line:column`.
    static func load(from path: String) throws -> Settings {
        Settings(configuration: try Configuration.load(from: path))
    }

    var rules: RuleEngine { configuration.rules.engine }

    /// A config error as one log line: each problem's `file:line:column` and message, without the
    /// caret display, which only reads well on a terminal.
    static func oneLine(_ error: any Error) -> String {
        guard let error = error as? ConfigurationError else { return "\(error)" }
        return error.diagnostics.map { diagnostic in
            (diagnostic.location.map { "\($0): " } ?? "") + diagnostic.message
        }.joined(separator: "; ")
    }

    var enabledFeeds: [Configuration.Feed] { configuration.feeds.filter(\.enabled) }

    var logLevel: Logger.Level { Logger.Level(rawValue: configuration.logLevel.rawValue) ?? .info }

    /// The scheduling policy for `feed`: its interval, with hints and backoff capped at `max_interval`.
    func pollPolicy(for feed: Configuration.Feed) -> PollPolicy {
        let cap = max(configuration.maxInterval.seconds, feed.interval.seconds)
        return PollPolicy(interval: feed.interval.seconds, hintCap: cap, backoffCap: cap)
    }

    /// The fetcher and parser the config asks for.
    func makeLoader() -> FeedLoader {
        let fetch = configuration.fetch
        let fetcher = Fetcher(
            configuration: Fetcher.Configuration(
                maxConcurrentTransfers: fetch.concurrency, maxConcurrentTransfersPerHost: fetch.perHostConcurrency,
                connectTimeout: fetch.connectTimeout, totalTimeout: fetch.timeout, lowSpeedLimit: fetch.lowSpeedLimit,
                lowSpeedTime: fetch.lowSpeedTime, maxBodyBytes: fetch.maxBodySize, maxRedirects: fetch.maxRedirects,
                caBundlePath: fetch.caBundle, userAgent: fetch.userAgent))
        return FeedLoader(fetcher: fetcher, parser: FeedParser(), allowsPrivateRedirects: fetch.allowPrivateRedirects)
    }

    /// The rules that match `item` in `feed` (a feed may restrict itself to some rules).
    func matches(_ item: FeedItem, in feed: Configuration.Feed) -> [RuleHit] {
        rules.match(item).filter { feed.applies(rule: $0.rule) }.map { RuleHit(rule: $0.rule, terms: $0.terms) }
    }
}
