import Foundation

/// When a feed is polled next: the policy's numbers in one place.
enum PollTiming {
    /// Retry delay after alerts could not be written: the disk may have room again soon, and
    /// the analyst is waiting for those alerts.
    static let alertRetry: Duration = .seconds(60)
    /// Failures double the wait up to 2^10 intervals, then `maxInterval` caps it anyway.
    static let maxBackoffDoublings = 10

    /// - Parameters:
    ///   - interval: the feed's configured interval.
    ///   - maxInterval: the longest any feed waits (backoff and server hints included), unless its own interval is longer.
    ///   - failingStreak: failed polls in a row, this one included; 0 after a success.
    ///   - retryAfter: when the server asked us to come back (`Retry-After`), if it did.
    ///   - freshFor: how long the feed says it stays unchanged (RSS `ttl`, `sy:updatePeriod`,
    ///     `Cache-Control: max-age`), in seconds; polling sooner would only fetch the same document.
    ///   - alertsPending: alerts of this feed could not be written and are waiting to be retried.
    static func nextPoll(
        after now: Date, interval: Duration, maxInterval: Duration, failingStreak: Int, retryAfter: Date?,
        freshFor: Double? = nil, alertsPending: Bool
    ) -> Date {
        var wait = interval.seconds
        if failingStreak > 0 {
            wait *= Double(1 << min(failingStreak - 1, maxBackoffDoublings))
        }
        if let retryAfter { wait = max(wait, retryAfter.timeIntervalSince(now)) }
        if let freshFor { wait = max(wait, freshFor) }
        wait = min(wait, max(maxInterval.seconds, interval.seconds))
        if alertsPending { wait = min(wait, alertRetry.seconds) }
        return now.addingTimeInterval(wait)
    }
}
