import FeedwatchCore
import Foundation

/// Everything `feedwatch.toml` says, validated, with relative paths made absolute and secrets read.
///
/// The defaults live here, in the initializers, and nowhere else: the loader starts from them and
/// the README's configuration reference lists the same values.
public struct Configuration: Sendable {
    /// The config file this was loaded from, absolute; nil for a configuration built in code.
    public var file: String?
    /// `alert_log`: the JSON Lines file alerts are appended to.
    public var alertLog: String
    /// `state_dir`: the folder holding the daemon's SQLite state.
    public var stateDirectory: String
    /// `metrics_file`: the Prometheus text file rewritten after each poll, for node_exporter's textfile collector.
    public var metricsFile: String
    /// `backfill`: which items of a feed's very first poll raise alerts.
    public var backfill: Backfill
    /// `log_level`: the least severe message the daemon logs.
    public var logLevel: LogLevel
    /// `interval`: how often a feed without its own `interval` is polled.
    public var defaultInterval: Duration
    /// `max_interval`: the longest a feed ever waits between polls, however long its own hints
    /// (RSS `ttl`, `Cache-Control: max-age`, `Retry-After`) or its failure backoff would make it.
    public var maxInterval: Duration
    /// `retention`: how long an item is remembered after it has left its feed.
    public var retention: Duration
    /// `[fetch]`: how feeds are downloaded.
    public var fetch: Fetch
    /// `[[feed]]`, in file order, disabled ones included.
    public var feeds: [Feed]
    /// `rule_files`, absolute, in the order they were read.
    public var ruleFiles: [String]
    /// `[terms]` and `[[rule]]` of the config and its rule files, compiled; `fold_diacritics` is in `rules.engine.options`.
    public var rules: Rules

    public static let defaultAlertLog = "/var/log/feedwatch/alerts.jsonl"
    public static let defaultStateDirectory = "/var/lib/feedwatch"
    public static let metricsFileName = "feedwatch.prom"

    /// - Parameter metricsFile: nil puts the metrics file in `stateDirectory`, as `feedwatch.prom`.
    public init(
        file: String? = nil,
        alertLog: String = Configuration.defaultAlertLog,
        stateDirectory: String = Configuration.defaultStateDirectory,
        metricsFile: String? = nil,
        backfill: Backfill = .window(.seconds(24 * 3_600)),
        logLevel: LogLevel = .info,
        defaultInterval: Duration = .seconds(15 * 60),
        maxInterval: Duration = .seconds(6 * 3_600),
        retention: Duration = .seconds(30 * 86_400),
        fetch: Fetch = Fetch(),
        feeds: [Feed] = [],
        ruleFiles: [String] = [],
        rules: Rules = Rules()
    ) {
        self.file = file
        self.alertLog = alertLog
        self.stateDirectory = stateDirectory
        self.metricsFile = metricsFile ?? Self.path(Self.metricsFileName, inside: stateDirectory)
        self.backfill = backfill
        self.logLevel = logLevel
        self.defaultInterval = defaultInterval
        self.maxInterval = maxInterval
        self.retention = retention
        self.fetch = fetch
        self.feeds = feeds
        self.ruleFiles = ruleFiles
        self.rules = rules
    }

    static func path(_ name: String, inside directory: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

extension Configuration {
    /// Which items of a feed's first poll raise alerts; later polls alert on every new item.
    public enum Backfill: Sendable, Hashable, CustomStringConvertible {
        /// Every item in the feed (`backfill = "all"`).
        case all
        /// Items published within this long before the poll, and undated items; `.zero` (`"0"`) alerts on none.
        case window(Duration)

        /// Whether an item published at `published` (nil when undated) alerts on its feed's first poll at `now`.
        public func admitsOnFirstPoll(published: Date?, now: Date) -> Bool {
            switch self {
            case .all: return true
            case .window(let window):
                guard window > .zero else { return false }
                guard let published else { return true }
                return now.timeIntervalSince(published) <= Double(window.components.seconds)
            }
        }

        public var description: String {
            switch self {
            case .all: "all"
            case .window(let window): DurationText.format(window)
            }
        }
    }

    /// `log_level`, named as swift-log names its levels, so the executable maps it one to one.
    public enum LogLevel: String, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }
}
