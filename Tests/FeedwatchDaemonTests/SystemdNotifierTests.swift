import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct SystemdNotifierTests {
    @Test func sendsNothingWithoutANotifySocket() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]) == nil)
    }

    @Test(arguments: [false, true]) func deliversEachMessageAsOneDatagram(abstract: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = abstract ? "@feedwatch-test-\(UUID().uuidString)" : directory.file("notify").path
        let socket = try NotifySocket(path: path)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]))

        notifier.ready(status: "3 feeds, 0 failing\nsecond line")
        #expect(await socket.receive(timeout: 2) == "READY=1\nSTATUS=3 feeds, 0 failing second line")
        notifier.watchdog()
        #expect(await socket.receive(timeout: 2) == "WATCHDOG=1")
        notifier.reloading()
        let reloading = try #require(await socket.receive(timeout: 2)).split(separator: "\n")
        #expect(reloading.first == "RELOADING=1")
        #expect(reloading.last?.hasPrefix("MONOTONIC_USEC=") == true)
        #expect(Int(reloading.last?.dropFirst("MONOTONIC_USEC=".count) ?? "") ?? 0 > 0)
        notifier.stopping()
        #expect(await socket.receive(timeout: 2) == "STOPPING=1")
    }

    @Test func readsTheWatchdogIntervalMeantForThisProcess() async throws {
        let own = String(getpid())
        let base = ["NOTIFY_SOCKET": "/run/notify"]
        #expect(SystemdNotifier(environment: base)?.watchdogTimeout == nil)
        let mine = SystemdNotifier(
            environment: base.merging(["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": own]) { $1 })
        #expect(mine?.watchdogTimeout == .seconds(20))
        let other = SystemdNotifier(
            environment: base.merging(["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"]) { $1 })
        #expect(other?.watchdogTimeout == nil)
    }
}
