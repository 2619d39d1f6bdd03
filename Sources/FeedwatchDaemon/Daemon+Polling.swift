import FeedwatchConfig
import FeedwatchCore
import FeedwatchFetcher
import FeedwatchStore
import Foundation
import Logging

extension Daemon {
    /// What the poll's child tasks report back to the daemon.
    private enum PollEvent: Sendable {
        case loaded(Configuration.Feed, FeedLoad)
        /// Half a watchdog interval passed while feeds were still loading.
        case watchdogTick

        /// A tick once `interval` has passed, or at once when the poll is cancelled.
        static func watchdogTick(after interval: Duration) async -> PollEvent {
            try? await Task.sleep(for: interval)
            return .watchdogTick
        }
    }

    /// Loads the due feeds in parallel and records each as its result arrives.
    ///
    /// While transfers are slow the loop still wakes every half watchdog interval to send
    /// `WATCHDOG=1`, so only a loop that is really stuck gets restarted by systemd.
    func poll(_ due: [Configuration.Feed]) async {
        retryUnrecordedAlerts()
        let loader = self.loader
        let watchdogHalf = self.watchdogHalf
        // Loads in flight are bounded to twice the transfer cap: enough to keep every transfer slot busy
        // while finished bodies are parsed, without holding thousands of bodies when fetching outruns parsing.
        let inFlightLimit = max(1, settings.configuration.fetch.concurrency * 2)
        await withTaskGroup(of: PollEvent.self) { group in
            var waiting = due.makeIterator()
            func startNext() {
                guard let feed = waiting.next() else { return }
                let state = feedStates[feed.url]
                let location = state?.redirectURL ?? feed.url
                let fullFetch = feedsNeedingFullFetch.contains(feed.url)
                let validators = fullFetch ? nil : HTTPValidators(etag: state?.etag, lastModified: state?.lastModified)
                let processed = fullFetch ? nil : processedFingerprints[feed.url]
                group.addTask {
                    .loaded(feed, await loader.load(feed, from: location, validators: validators, processed: processed))
                }
            }
            for _ in 0..<min(inFlightLimit, due.count) { startNext() }
            if let watchdogHalf {
                group.addTask { await .watchdogTick(after: watchdogHalf) }
            }
            var remaining = due.count
            for await event in group {
                switch event {
                case .loaded(let feed, let load):
                    remaining -= 1
                    record(load, of: feed)
                    startNext()
                    if remaining == 0 { group.cancelAll() }
                case .watchdogTick:
                    pingWatchdog()
                    if remaining > 0, let watchdogHalf, !Task.isCancelled {
                        group.addTask { await .watchdogTick(after: watchdogHalf) }
                    }
                }
            }
        }
    }

    /// Records one feed's load: its items and alerts, then its state and next poll.
    private func record(_ load: FeedLoad, of feed: Configuration.Feed) {
        // A feed removed by a reload while it loaded is no longer ours to record, and a transfer
        // cut short by SIGTERM says nothing about the feed: both leave the state as it was.
        guard settings.feedURLs.contains(feed.url), let response = load.response
        else { return }

        let now = Date()
        var state = feedStates[feed.url] ?? FeedState(url: feed.url)
        state.lastAttempt = now
        state.fetches += 1
        state.lastStatus = response.status
        if let redirect = response.permanentRedirect { state.redirectURL = redirect }
        if let validators = response.validators {
            state.etag = validators.etag
            state.lastModified = validators.lastModified
        }
        metrics.fetchSecondsSum += response.elapsed.seconds
        metrics.fetchSecondsCount += 1

        var failure: FeedFailure?
        var writeFailed = false
        switch load {
        case .failed(let reason, _):
            failure = reason
        case .notModified:
            metrics.fetchesByOutcome["not_modified", default: 0] += 1
        case .cancelled:
            break  // returned above, before touching the state
        case .parsed(let document, _):
            processedFingerprints[feed.url] = nil
            do {
                writeFailed = try recordItems(of: document, feed: feed, firstPoll: state.lastSuccess == nil, now: now)
                if !writeFailed { processedFingerprints[feed.url] = response.fingerprint }
            } catch {
                failure = FeedFailure(stage: .record, label: "state", message: "\(error)")
            }
        }

        let decision = settings.pollPolicy(for: feed).decide(
            feed: feed.url, outcome: pollOutcome(of: load, failed: failure != nil), failingStreak: state.failingStreak,
            now: now)
        state.failingStreak = decision.failingStreak
        // Alerts that could not be written are retried soon, whatever the feed's schedule says.
        state.nextPoll =
            writeFailed ? min(decision.nextPoll, now.addingTimeInterval(Daemon.alertRetry)) : decision.nextPoll
        if let failure {
            anyFeedFailed = true
            state.failures += 1
            state.lastError = failure.message
            metrics.fetchesByOutcome[failure.label, default: 0] += 1
            logger.warning(
                "feed failed",
                metadata: [
                    "feed.url": "\(feed.url)", "stage": "\(failure.stage.rawValue)", "error": "\(failure.message)",
                    "failing_streak": "\(state.failingStreak)", "next_poll": "\(RFC3339.format(decision.nextPoll))",
                ])
        } else {
            if case .parsed = load { metrics.fetchesByOutcome["ok", default: 0] += 1 }
            state.lastError = nil
            state.lastSuccess = now
        }
        feedStates[feed.url] = state
        unsavedFeeds.insert(feed.url)
    }

    /// Saves the states of the feeds polled since the last save, in one transaction.
    ///
    /// Deferred to the end of a poll because most polls change nothing but times: one commit
    /// instead of one per feed. A crash before it only makes the next start poll those feeds
    /// again (with older validators, which at worst fetches a body that is already known).
    func saveFeedStates() {
        guard !unsavedFeeds.isEmpty else { return }
        do {
            try store.save(unsavedFeeds.compactMap { feedStates[$0] })
            unsavedFeeds.removeAll()
        } catch {
            logger.error("cannot save feed states", metadata: ["feeds": "\(unsavedFeeds.count)", "error": "\(error)"])
        }
    }

    /// How the poll went, for the scheduling policy, with the hints the server and the feed gave.
    private func pollOutcome(of load: FeedLoad, failed: Bool) -> PollOutcome {
        guard !failed else { return .failure(retryAfter: load.response?.retryAfter) }
        var refreshHint: RefreshHint?
        if case .parsed(let document, _) = load { refreshHint = document.refreshHint }
        return .success(
            PollHints(refreshHint: refreshHint, maxAge: load.response?.maxAge, expires: load.response?.expires))
    }

    /// Matches the document's items and writes their alerts.
    /// - Returns: whether an alert could not be written (the feed is then retried soon, in full).
    private func recordItems(of document: FeedDocument, feed: Configuration.Feed, firstPoll: Bool, now: Date) throws
        -> Bool
    {
        let processor = FeedProcessor(store: store, log: log, retention: settings.configuration.retention)
        let backfill = settings.configuration.backfill
        let settings = self.settings
        let report = try processor.process(
            feed: Alert.Feed(url: feed.url, title: feed.name ?? document.title), items: document.items,
            firstPollAdmits: firstPoll
                ? { backfill.admitsOnFirstPoll(published: $0.published ?? $0.updated, now: now) } : nil,
            match: { settings.matches($0, in: feed) }, unrecorded: &unrecordedAlerts, now: now)
        for alert in report.alerts {
            metrics.alertsByRule[alert.rule, default: 0] += 1
            logger.notice(
                "alert",
                metadata: [
                    "alert.id": "\(alert.id)", "rule.name": "\(alert.rule)", "feed.url": "\(feed.url)",
                    "item.id": "\(alert.item.id)", "item.title": "\(alert.item.title ?? "")",
                ])
        }
        logger.debug(
            "feed polled",
            metadata: [
                "feed.url": "\(feed.url)", "items": "\(document.items.count)", "new_items": "\(report.newItems)",
                "alerts": "\(report.alerts.count)", "pruned": "\(report.pruned)",
            ])
        guard let writeFailure = report.writeFailure else {
            feedsNeedingFullFetch.remove(feed.url)
            return false
        }
        anyWriteFailed = true
        metrics.alertWriteFailures += 1
        feedsNeedingFullFetch.insert(feed.url)
        logger.error(
            "alert log write failed; the alerts will be retried",
            metadata: ["feed.url": "\(feed.url)", "log.path": "\(log.path)", "error": "\(writeFailure)"])
        return true
    }

    /// Records alerts that reached the log while the state could not take their ids.
    func retryUnrecordedAlerts() {
        guard !unrecordedAlerts.isEmpty else { return }
        do {
            try store.recordAlerts(Array(unrecordedAlerts.values))
            unrecordedAlerts.removeAll()
        } catch {
            logger.error(
                "cannot record written alerts yet",
                metadata: ["count": "\(unrecordedAlerts.count)", "error": "\(error)"])
        }
    }

    /// After each poll: the feeds' states, the metrics file and the `STATUS=` line.
    func finishCycle() {
        saveFeedStates()
        let enabled = settings.enabledFeeds
        var byState: [String: Int] = ["ok": 0, "failing": 0, "pending": 0]
        metrics.lastSuccessByFeed = [:]
        for feed in enabled {
            let state = feedStates[feed.url]
            let health = state?.lastAttempt == nil ? "pending" : (state?.failingStreak ?? 0) > 0 ? "failing" : "ok"
            byState[health, default: 0] += 1
            if let success = state?.lastSuccess { metrics.lastSuccessByFeed[feed.url] = success.timeIntervalSince1970 }
        }
        metrics.feedsByState = byState
        do {
            try metrics.write(to: settings.configuration.metricsFile)
        } catch {
            logger.warning(
                "cannot write the metrics file",
                metadata: ["path": "\(settings.configuration.metricsFile)", "error": "\(error)"])
        }
        notifier?.status(statusLine())
    }

    /// One line for `systemctl status`: feeds, failing feeds, alerts since local midnight.
    func statusLine() -> String {
        let enabled = settings.enabledFeeds
        let failing = enabled.filter { (feedStates[$0.url]?.failingStreak ?? 0) > 0 }.count
        let midnight = Calendar.current.startOfDay(for: Date())
        let today = (try? store.alertCount(since: midnight)).map(String.init) ?? "?"
        return "\(enabled.count) feeds, \(failing) failing, \(today) alerts today"
    }
}
