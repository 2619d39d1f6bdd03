import FeedwatchConfig
import FeedwatchStore
import Foundation
import Logging

extension Daemon {
    /// SIGHUP: reads the config again and switches to it only if all of it is valid; reopens the alert log.
    ///
    /// Feeds added, removed or changed take effect at once: state is kept by feed URL, so a feed
    /// removed and added back later resumes where it was. `state_dir` is the one setting that
    /// needs a restart, since the open database cannot move under a running daemon.
    func reload() {
        reloadRequested = false
        notifier?.reloading()
        defer { notifier?.ready(status: statusLine()) }
        // Reopen even if the config is bad: after a manual rotation the operator expects a new file.
        log.reopen()

        let fresh: Settings
        do {
            fresh = try Settings.load(from: options.configPath)
        } catch {
            logger.error(
                "reload failed; keeping the running config",
                metadata: ["config": "\(options.configPath)", "error": "\(Settings.oneLine(error))"])
            return
        }
        let old = settings.configuration
        if fresh.configuration.stateDirectory != old.stateDirectory {
            logger.warning(
                "state_dir changed; it takes effect at the next restart",
                metadata: ["state_dir": "\(old.stateDirectory)"])
        }
        var kept = fresh.configuration
        kept.stateDirectory = old.stateDirectory
        settings = Settings(configuration: kept)
        // Rules may have changed: every feed's next document is matched again, unchanged or not.
        processedFingerprints.removeAll()
        logger.logLevel = options.logLevel ?? fresh.logLevel
        if fresh.configuration.fetch != old.fetch {
            loader = fresh.makeLoader()
        }
        if fresh.configuration.alertLog != log.path {
            log = AlertLog(path: fresh.configuration.alertLog)
            recoverAlertLog()
        }
        // A feed whose interval shrank should not wait out the old, longer one.
        for feed in settings.enabledFeeds {
            guard var state = feedStates[feed.url], let next = state.nextPoll, let last = state.lastAttempt else {
                continue
            }
            let earliest = last.addingTimeInterval(feed.interval.seconds)
            if state.failingStreak == 0, earliest < next {
                state.nextPoll = earliest
                feedStates[feed.url] = state
                unsavedFeeds.insert(feed.url)
            }
        }
        logger.info(
            "config reloaded",
            metadata: ["feeds": "\(settings.enabledFeeds.count)", "rules": "\(settings.rules.ruleNames.count)"])
    }
}
