import FeedwatchConfig
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchParser
import FeedwatchRules
import FeedwatchStore
import Foundation
import Logging

/// `feedwatch run`: polls every feed on its schedule, matches new items and appends their alerts,
/// until SIGTERM or SIGINT (or after one pass with `--once`).
///
/// One actor owns the state, the alert log and the schedule, so recording is strictly sequential;
/// fetching and parsing run in child tasks, in parallel, and hand their results back to it.
public actor Daemon {
    /// How the daemon was started.
    public struct Options: Sendable {
        /// The config file, as `--config`, `$FEEDWATCH_CONFIG` or the default resolved it.
        public var configPath: String
        /// Poll every feed once, write the alerts, save state and exit.
        public var once: Bool
        /// `--log-level`; overrides the config's `log_level`.
        public var logLevel: Logger.Level?
        /// Where `NOTIFY_SOCKET` and friends are read.
        public var environment: [String: String]

        public init(
            configPath: String, once: Bool = false, logLevel: Logger.Level? = nil,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.configPath = configPath
            self.once = once
            self.logLevel = logLevel
            self.environment = environment
        }
    }

    /// The process exit status, as CONTRACT.md defines it.
    public enum ExitStatus: Int32, Sendable {
        case success = 0
        /// A runtime failure: the state cannot be opened or is in use by another daemon, or (with
        /// `--once`) alerts could not be written.
        case failure = 1
        /// The config is bad.
        case badConfig = 2
        /// `--once` finished, but some feeds failed.
        case someFeedsFailed = 3
    }

    /// How soon alerts that could not be written are tried again: the disk may have room again
    /// soon, and the analyst is waiting for them.
    static let alertRetry: TimeInterval = 60

    let options: Options
    var logger: Logger
    var settings: Settings
    let store: StateStore
    /// Held for the daemon's life, so no second daemon works on the same state.
    let stateLock: StateLock
    var log: AlertLog
    var loader: FeedLoader
    let notifier: SystemdNotifier?
    let alarm = Alarm()

    /// The state of each feed, by configured URL; saved to the store at the end of each poll.
    var feedStates: [String: FeedState]
    /// Feeds whose state changed since it was last saved.
    var unsavedFeeds: Set<String> = []
    /// Alerts in the log whose ids the state could not record yet (the database failed); retried each cycle.
    var unrecordedAlerts: [String: Alert] = [:]
    /// Feeds whose alerts could not all be written: their next request carries no validators, so
    /// the items come back even if the server would say "not modified".
    var feedsNeedingFullFetch: Set<String> = []
    /// The fingerprint of the last document of each feed whose items were all recorded, so an
    /// unchanged document is not parsed and recorded again (see ``FeedLoad/Response/fingerprint``).
    var processedFingerprints: [String: Int] = [:]
    var metrics = Metrics()
    var lastWatchdog = ContinuousClock.now
    var stopRequested = false
    var reloadRequested = false
    /// The poll in progress, cancelled by SIGTERM so in-flight transfers end at once.
    var currentPoll: Task<Void, Never>?
    /// With `--once`: whether any feed failed, and whether any alert could not be written.
    var anyFeedFailed = false
    var anyWriteFailed = false

    init(options: Options, logger: Logger, settings: Settings, store: StateStore, stateLock: StateLock) throws {
        self.options = options
        self.logger = logger
        self.settings = settings
        self.store = store
        self.stateLock = stateLock
        log = AlertLog(path: settings.configuration.alertLog)
        loader = settings.makeLoader()
        notifier = SystemdNotifier(environment: options.environment)
        feedStates = Dictionary(try store.feedStates().map { ($0.url, $0) }) { _, last in last }
    }

    /// Runs the daemon to its end and returns the exit status.
    ///
    /// Start-up problems are reported on `logger` in one clear line: a bad config exits 2, a state
    /// that cannot be opened exits 1.
    public static func run(options: Options, logger: Logger) async -> ExitStatus {
        var logger = logger
        if let level = options.logLevel { logger.logLevel = level }
        let settings: Settings
        do {
            settings = try Settings.load(from: options.configPath)
        } catch {
            logger.critical(
                "bad config, not starting",
                metadata: ["config": "\(options.configPath)", "error": "\(Settings.oneLine(error))"])
            return .badConfig
        }
        logger.logLevel = options.logLevel ?? settings.logLevel
        let daemon: Daemon
        do {
            let store = try StateStore(directory: settings.configuration.stateDirectory)
            let lock = try StateLock(directory: settings.configuration.stateDirectory)
            daemon = try Daemon(options: options, logger: logger, settings: settings, store: store, stateLock: lock)
        } catch {
            logger.critical("cannot open the state, not starting", metadata: ["error": "\(error)"])
            return .failure
        }
        return await daemon.run()
    }

    private func run() async -> ExitStatus {
        recoverAlertLog()
        let signals = SignalListener { signal in
            Task { await self.handle(signal) }
        }
        defer { signals.cancel() }
        logger.info(
            "started",
            metadata: [
                "config": "\(options.configPath)", "feeds": "\(settings.enabledFeeds.count)",
                "rules": "\(settings.rules.ruleNames.count)", "once": "\(options.once)",
            ])
        notifier?.ready(status: statusLine())

        while !stopRequested {
            if reloadRequested { reload() }
            let due = dueFeeds(at: Date())
            if !due.isEmpty {
                let poll = Task { await self.poll(due) }
                currentPoll = poll
                await poll.value
                currentPoll = nil
                finishCycle()
            }
            if options.once { break }
            pingWatchdog()
            let wait = timeUntilNextWake()
            logger.trace("poll done", metadata: ["feeds": "\(due.count)", "sleep": "\(wait)"])
            await alarm.sleep(for: wait)
        }

        notifier?.stopping()
        logger.info("stopped")
        if options.once {
            if anyWriteFailed { return .failure }
            if anyFeedFailed { return .someFeedsFailed }
        }
        return .success
    }

    /// Records alerts that reached the log but not the state before the last crash, and repairs a
    /// torn last line, before anything new is written.
    func recoverAlertLog() {
        do {
            let report = try store.recover(from: log)
            if report.tornBytesRemoved > 0 || report.alertsRecorded > 0 || report.unreadableLines > 0 {
                logger.warning(
                    "alert log recovered",
                    metadata: [
                        "log.path": "\(log.path)", "torn_bytes_removed": "\(report.tornBytesRemoved)",
                        "alerts_recorded": "\(report.alertsRecorded)", "unreadable_lines": "\(report.unreadableLines)",
                    ])
            }
        } catch {
            // Not fatal: appends retry the log each cycle, and recovery runs again on the next start.
            logger.error("alert log recovery failed", metadata: ["log.path": "\(log.path)", "error": "\(error)"])
        }
    }

    func handle(_ signal: DaemonSignal) async {
        switch signal {
        case .reload:
            logger.info("reload requested")
            reloadRequested = true
        case .stop:
            logger.info("stop requested")
            stopRequested = true
            currentPoll?.cancel()
        }
        await alarm.wake()
    }

    /// Feeds whose next poll is due at `now` (with `--once`, every enabled feed).
    ///
    /// A feed due within its ``earlyStart(for:)`` joins this poll rather than waking the loop again a
    /// moment later: feeds drift apart over time, and each poll ends with a state commit, a
    /// metrics file and a `STATUS=` line, which should come once per batch, not once per feed.
    func dueFeeds(at now: Date) -> [Configuration.Feed] {
        settings.enabledFeeds.filter { feed in
            options.once
                || (feedStates[feed.url]?.nextPoll ?? .distantPast) <= now.addingTimeInterval(earlyStart(for: feed))
        }
    }

    /// How early a feed may be polled to share a batch: a tenth of its interval, one second at most.
    func earlyStart(for feed: Configuration.Feed) -> Double {
        min(1, feed.interval.seconds / 10)
    }

    /// Until the next feed is due, but never longer than half the watchdog interval, so the loop
    /// itself keeps proving it is alive.
    ///
    /// The wake is at the earliest due time itself, not early: the batch then takes every feed due
    /// in the following ``earlyStart(for:)``, and the next wake is past all of them.
    func timeUntilNextWake() -> Duration {
        let now = Date()
        let next = settings.enabledFeeds.map { feedStates[$0.url]?.nextPoll ?? now }.min()
        var wait: Duration =
            next.map { .milliseconds(max(0, Int64($0.timeIntervalSince(now) * 1000))) } ?? .seconds(3600)
        if let half = watchdogHalf { wait = min(wait, half) }
        return wait
    }

    var watchdogHalf: Duration? { notifier?.watchdogTimeout.map { $0 / 2 } }

    /// Sends `WATCHDOG=1` when half the interval has passed since the last one.
    func pingWatchdog() {
        guard let half = watchdogHalf, let notifier else { return }
        let now = ContinuousClock.now
        guard now - lastWatchdog >= half / 2 else { return }
        lastWatchdog = now
        notifier.watchdog()
    }
}
