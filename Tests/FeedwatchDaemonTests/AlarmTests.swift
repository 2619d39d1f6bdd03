import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct AlarmTests {
    @Test func sleepsUntilItsDeadline() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        await alarm.sleep(for: .milliseconds(100))
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test func aWakeEndsTheSleepAtOnce() async {
        let alarm = Alarm()
        let start = ContinuousClock.now
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            await alarm.wake()
        }
        // Generous bounds: other suites running in parallel can hold the pool's threads for seconds,
        // delaying the waking task; only a wake that never arrives lets the sleep run its full length.
        await alarm.sleep(for: .seconds(120))
        #expect(ContinuousClock.now - start < .seconds(90))
    }

    @Test func aWakeWhileAwakeEndsTheNextSleep() async {
        let alarm = Alarm()
        await alarm.wake()
        let start = ContinuousClock.now
        await alarm.sleep(for: .seconds(30))
        #expect(ContinuousClock.now - start < .seconds(10))
        // Only once: the sleep after that lasts.
        let second = ContinuousClock.now
        await alarm.sleep(for: .milliseconds(100))
        #expect(ContinuousClock.now - second >= .milliseconds(100))
    }
}
