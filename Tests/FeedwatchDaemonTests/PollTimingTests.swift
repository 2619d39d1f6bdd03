import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct PollTimingTests {
    static let now = Date(timeIntervalSince1970: 1_795_939_200)

    static func wait(
        interval: Int = 900, max: Int = 21600, streak: Int = 0, retryAfter: Double? = nil, freshFor: Double? = nil,
        pending: Bool = false
    ) -> Double {
        PollTiming.nextPoll(
            after: now, interval: .seconds(interval), maxInterval: .seconds(max), failingStreak: streak,
            retryAfter: retryAfter.map { now.addingTimeInterval($0) }, freshFor: freshFor, alertsPending: pending
        ).timeIntervalSince(now)
    }

    @Test func aHealthyFeedWaitsItsInterval() {
        #expect(Self.wait() == 900)
    }

    @Test func failuresDoubleTheWaitUpToTheMaximum() {
        #expect([1, 2, 3, 4, 5, 6].map { Self.wait(streak: $0) } == [900, 1800, 3600, 7200, 14400, 21600])
        #expect(Self.wait(streak: 500) == 21600)
        // A feed configured slower than max_interval keeps its own interval.
        #expect(Self.wait(interval: 86400, streak: 3) == 86400)
    }

    @Test func theServersRetryAfterIsHonouredWithinTheMaximum() {
        #expect(Self.wait(retryAfter: 3000) == 3000)
        #expect(Self.wait(retryAfter: 100) == 900)
        #expect(Self.wait(retryAfter: 999_999) == 21600)
    }

    @Test func aFeedThatSaysItChangesRarelyIsPolledLessWithinTheMaximum() {
        #expect(Self.wait(freshFor: 3600) == 3600)
        #expect(Self.wait(freshFor: 60) == 900)
        #expect(Self.wait(freshFor: 86400) == 21600)
    }

    @Test func pendingAlertsAreRetriedWithinAMinute() {
        #expect(Self.wait(streak: 4, pending: true) == 60)
        #expect(Self.wait(interval: 5, pending: true) == 5)
    }
}
