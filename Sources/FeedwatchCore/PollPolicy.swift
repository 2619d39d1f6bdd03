import Foundation

/// When to poll a feed next: a pure decision from the last outcome, the feed's hints and the clock.
///
/// The daemon keeps a feed's ``PollDecision/failingStreak`` and next poll time; after every poll it
/// calls ``decide(feed:outcome:failingStreak:now:)`` and stores what comes back. Nothing here sleeps or
/// reads a clock, so tests pass `now` and check the answer.
///
/// The policy, with the defaults:
/// - **Success** (a 200 or a 304): wait the feed's interval (the config's default, or the feed's own).
///   The feed's hints — RSS `ttl`, `sy:updatePeriod`/`sy:updateFrequency`, `Cache-Control: max-age`,
///   `Expires` — can only lengthen that wait, and never beyond ``hintCap`` (6 h): a feed may ask to be
///   polled less often, not make us miss news for a day.
/// - **Jitter**: each feed waits up to 10 % of its delay longer (at most 5 min), by a fraction fixed
///   for that feed (a stable hash of its URL). A thousand feeds loaded at once drift apart after their
///   first poll and stay apart, and the schedule is reproducible.
/// - **Failure**: exponential backoff. The *n*-th failure in a row waits `base × 2^(n−1)`, where `base`
///   is ``backoffBase`` (1 min) or the interval if shorter, capped at ``backoffCap`` (6 h), then
///   scaled by a per-feed, per-attempt factor between 0.5 and 1 so failing feeds do not retry in step.
///   A failing feed is retried for ever at the cap; it is never given up. Success resets the streak.
/// - **Retry-After** (sent with a 429 or 503): the next poll is no earlier than the server asked (up to
///   ``retryAfterCap``, 24 h, against a server asking for a month) and no earlier than the backoff: a
///   `Retry-After: 0` never causes an immediate retry.
public struct PollPolicy: Sendable, Equatable {
    /// Seconds between polls of a healthy feed.
    public var interval: TimeInterval
    /// The longest a feed's own hints may stretch the interval.
    public var hintCap: TimeInterval
    /// The largest extra share of a delay added as jitter, and its absolute ceiling.
    public var jitterFraction: Double
    public var jitterCap: TimeInterval
    /// The first retry delay after a failure (or the interval, if that is shorter).
    public var backoffBase: TimeInterval
    /// The longest delay between retries of a failing feed.
    public var backoffCap: TimeInterval
    /// The longest `Retry-After` honoured.
    public var retryAfterCap: TimeInterval

    public init(
        interval: TimeInterval = 15 * 60, hintCap: TimeInterval = 6 * 3600, jitterFraction: Double = 0.1,
        jitterCap: TimeInterval = 300, backoffBase: TimeInterval = 60, backoffCap: TimeInterval = 6 * 3600,
        retryAfterCap: TimeInterval = 24 * 3600
    ) {
        self.interval = max(1, interval)
        self.hintCap = hintCap
        self.jitterFraction = jitterFraction
        self.jitterCap = jitterCap
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
        self.retryAfterCap = retryAfterCap
    }

    /// Decides when to poll `feed` next.
    ///
    /// - Parameters:
    ///   - feed: a stable key for the feed (its configured URL); it fixes the feed's jitter.
    ///   - outcome: how the poll that just ended went.
    ///   - failingStreak: failures in a row before this poll.
    ///   - now: when the poll ended.
    /// - Returns: the next poll time, the new streak and why.
    public func decide(feed: String, outcome: PollOutcome, failingStreak: Int, now: Date) -> PollDecision {
        switch outcome {
        case .success(let hints):
            let hinted = min(hints.longestDelay(now: now) ?? 0, hintCap)
            let delay = max(interval, hinted)
            let jitter = min(delay * jitterFraction, jitterCap) * Self.fraction(feed)
            return PollDecision(
                nextPoll: now.addingTimeInterval(delay + jitter), failingStreak: 0,
                reason: hinted > interval ? .feedHint : .interval)
        case .failure(let retryAfter):
            let streak = failingStreak + 1
            let base = min(backoffBase, interval)
            let exponential = min(base * pow(2, Double(min(streak - 1, 62))), backoffCap)
            let backoff = exponential * (0.5 + 0.5 * Self.fraction(feed, String(streak)))
            let asked = retryAfter.map { min(max(0, $0.timeIntervalSince(now)), retryAfterCap) } ?? 0
            return PollDecision(
                nextPoll: now.addingTimeInterval(max(backoff, asked)), failingStreak: streak,
                reason: asked > backoff ? .retryAfter : .backoff)
        }
    }

    /// A number in [0, 1) fixed by `parts`, from the stable hash.
    private static func fraction(_ parts: String...) -> Double {
        let hash = UInt64(StableHash.hex(parts), radix: 16) ?? 0
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }
}

/// How a poll ended, as far as scheduling cares.
public enum PollOutcome: Sendable, Equatable {
    /// A 200 (parsed) or a 304, with whatever hints came with it.
    case success(PollHints)
    /// Any failure; `retryAfter` is the time a 429 or 503 asked us to wait for.
    case failure(retryAfter: Date?)
}

/// A feed's own say in how often it is polled.
public struct PollHints: Sendable, Equatable {
    /// From the last parsed document (RSS `ttl`, `sy:updatePeriod`).
    public var refreshHint: RefreshHint?
    /// `Cache-Control: max-age`, in seconds.
    public var maxAge: Int?
    /// The `Expires` header.
    public var expires: Date?

    public init(refreshHint: RefreshHint? = nil, maxAge: Int? = nil, expires: Date? = nil) {
        self.refreshHint = refreshHint
        self.maxAge = maxAge
        self.expires = expires
    }

    /// The longest wait any hint asks for, in seconds; `nil` when there is none.
    func longestDelay(now: Date) -> TimeInterval? {
        let asked: [TimeInterval?] = [
            refreshHint?.timeToLive.map(TimeInterval.init), refreshHint?.syndicationPeriod.map(TimeInterval.init),
            maxAge.map(TimeInterval.init), expires.map { $0.timeIntervalSince(now) },
        ]
        return asked.compactMap { $0 }.max()
    }
}

/// What ``PollPolicy`` decided.
public struct PollDecision: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// The configured interval.
        case interval
        /// A feed hint lengthened the interval.
        case feedHint = "feed_hint"
        /// Exponential backoff after a failure.
        case backoff
        /// The server's `Retry-After`.
        case retryAfter = "retry_after"
    }

    public var nextPoll: Date
    /// Failures in a row, including this poll; 0 after a success.
    public var failingStreak: Int
    public var reason: Reason
}
