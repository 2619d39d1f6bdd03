import FeedwatchCore
import Foundation
import Testing

@Suite("Poll scheduling")
struct PollPolicyTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let policy = PollPolicy(interval: 900)

    func delay(_ decision: PollDecision) -> TimeInterval { decision.nextPoll.timeIntervalSince(now) }

    @Test("A healthy feed waits its interval plus at most 10 % jitter")
    func interval() {
        let decision = policy.decide(
            feed: "https://a.example/feed", outcome: .success(PollHints()), failingStreak: 3, now: now)
        #expect(delay(decision) >= 900 && delay(decision) < 990)
        #expect(decision.failingStreak == 0)
        #expect(decision.reason == .interval)
    }

    @Test("Jitter is fixed per feed and spreads a thousand feeds over the window")
    func jitterSpreads() {
        let feeds = (0..<1000).map { "https://news\($0).example/rss" }
        let delays = feeds.map {
            delay(policy.decide(feed: $0, outcome: .success(PollHints()), failingStreak: 0, now: now))
        }
        let again = feeds.map {
            delay(policy.decide(feed: $0, outcome: .success(PollHints()), failingStreak: 0, now: now))
        }
        #expect(delays == again)
        let seconds = Dictionary(grouping: delays, by: { Int($0) })
        #expect(seconds.count > 80)  // 90 one-second slots in the window
        #expect((seconds.values.map(\.count).max() ?? 0) < 30)
    }

    @Test("Hints only lengthen the interval, and only up to the cap")
    func hints() {
        let feed = "https://b.example/feed"
        let ttl = PollHints(refreshHint: RefreshHint(timeToLive: 3600))
        let hinted = policy.decide(feed: feed, outcome: .success(ttl), failingStreak: 0, now: now)
        #expect(delay(hinted) >= 3600 && delay(hinted) <= 3600 + 300)
        #expect(hinted.reason == .feedHint)

        let short = PollHints(maxAge: 60)
        #expect(delay(policy.decide(feed: feed, outcome: .success(short), failingStreak: 0, now: now)) >= 900)

        let weekly = PollHints(refreshHint: RefreshHint(syndicationPeriod: 7 * 86400), expires: now + 86400)
        let capped = policy.decide(feed: feed, outcome: .success(weekly), failingStreak: 0, now: now)
        #expect(delay(capped) >= 6 * 3600 && delay(capped) <= 6 * 3600 + 300)

        let expires = PollHints(expires: now + 7200)
        #expect(delay(policy.decide(feed: feed, outcome: .success(expires), failingStreak: 0, now: now)) >= 7200)
    }

    @Test("Failures back off exponentially with jitter, up to the cap, for ever")
    func backoff() {
        let feed = "https://c.example/feed"
        var streak = 0
        var delays: [TimeInterval] = []
        for _ in 0..<20 {
            let decision = policy.decide(
                feed: feed, outcome: .failure(retryAfter: nil), failingStreak: streak, now: now)
            #expect(decision.reason == .backoff)
            streak = decision.failingStreak
            delays.append(delay(decision))
        }
        #expect(streak == 20)
        for (index, value) in delays.enumerated() {
            let full = min(60 * pow(2, Double(index)), 6 * 3600)
            #expect(value >= full / 2 && value <= full, "failure \(index + 1)")
        }
        #expect(delays.last ?? 0 >= 3 * 3600)
        let recovered = policy.decide(feed: feed, outcome: .success(PollHints()), failingStreak: streak, now: now)
        #expect(recovered.failingStreak == 0)
        #expect(delay(recovered) < 990)
    }

    @Test("A short interval shortens the first retry too, so fast test feeds retry fast")
    func shortInterval() {
        let fast = PollPolicy(interval: 2)
        let decision = fast.decide(feed: "f", outcome: .failure(retryAfter: nil), failingStreak: 0, now: now)
        #expect(delay(decision) >= 1 && delay(decision) <= 2)
    }

    @Test("Retry-After is honoured, capped, and never means an immediate retry")
    func retryAfter() {
        let feed = "https://d.example/feed"
        let asked = policy.decide(feed: feed, outcome: .failure(retryAfter: now + 7200), failingStreak: 0, now: now)
        #expect(delay(asked) == 7200)
        #expect(asked.reason == .retryAfter)

        let immediate = policy.decide(feed: feed, outcome: .failure(retryAfter: now), failingStreak: 0, now: now)
        #expect(delay(immediate) >= 30)
        #expect(immediate.reason == .backoff)

        let past = policy.decide(feed: feed, outcome: .failure(retryAfter: now - 500), failingStreak: 0, now: now)
        #expect(delay(past) >= 30)

        let month = policy.decide(
            feed: feed, outcome: .failure(retryAfter: now + 30 * 86400), failingStreak: 0, now: now)
        #expect(delay(month) == 86400)
    }
}
