import FeedwatchCore
import FeedwatchTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `feedwatch run` as a long-running process: polling, signals, systemd notify, crashes.
@Suite struct DaemonLifecycleTests {
    @Test func pollsChangedFeedsAndStopsOnSIGTERM() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a"])
        try await workspace.withDaemon { daemon in
            #expect(
                await eventually(timeout: 30) { (try? workspace.alerts().count) == 1 }, "\(daemon.standardErrorSoFar())"
            )

            try workspace.writeFeed("a", items: [Workspace.item(2), Workspace.item(1)])
            #expect(
                await eventually(timeout: 30) { (try? workspace.alerts().count) == 2 }, "\(daemon.standardErrorSoFar())"
            )

            daemon.send(SIGTERM)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
            #expect(daemon.standardErrorSoFar().contains("stopped"))
        }
    }

    @Test func reloadsAGoodConfigAndKeepsTheOldOneWhenBroken() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeFeed("b", items: [Workspace.item(1, feed: "b")])
        try workspace.writeConfig(feeds: ["a"])
        try await workspace.withDaemon { daemon in
            #expect(await eventually(timeout: 30) { (try? workspace.alerts().count) == 1 })

            // A good config adds feed b.
            try workspace.writeConfig(feeds: ["a", "b"])
            daemon.send(SIGHUP)
            #expect(
                await eventually(timeout: 30) { (try? workspace.alerts().map(\.item.id).contains("urn:b:1")) == true })

            // A broken one is reported, and the daemon goes on with feeds a and b.
            try Data("[[feed]]\nurl = \n".utf8).write(to: workspace.directory.file("feedwatch.toml"))
            daemon.send(SIGHUP)
            #expect(await eventually(timeout: 30) { daemon.standardErrorSoFar().contains("reload failed") })
            try workspace.writeFeed("b", items: [Workspace.item(2, feed: "b"), Workspace.item(1, feed: "b")])
            #expect(
                await eventually(timeout: 30) { (try? workspace.alerts().map(\.item.id).contains("urn:b:2")) == true })

            daemon.send(SIGINT)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
        }
    }

    @Test func speaksSystemdsNotifyProtocol() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a"])
        let socket = try NotifySocket(path: workspace.directory.file("notify.sock").path)
        try await workspace.withDaemon(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"]) {
            daemon in
            // WATCHDOG_PID is not set, so the watchdog applies to the daemon (as with systemd's own launch).
            // Generous: the first poll syncs an alert to disk, which a busy disk (a parallel test writing a
            // large file) can hold up for seconds.
            let start = await socket.receive(until: "WATCHDOG=1", timeout: 30)
            #expect(start.first?.hasPrefix("READY=1\nSTATUS=1 feeds, 0 failing") == true, "\(start)")
            #expect(start.last == "WATCHDOG=1")

            daemon.send(SIGHUP)
            let reload = await socket.receive(until: "READY=1", timeout: 30)
            let reloading = try #require(reload.first { $0.hasPrefix("RELOADING=1") })
            #expect(reloading.contains("\nMONOTONIC_USEC="))
            #expect(reload.last?.hasPrefix("READY=1") == true)

            daemon.send(SIGTERM)
            #expect(await socket.receive(until: "STOPPING=1", timeout: 30).last == "STOPPING=1")
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
        }
    }

    /// Twenty kill -9 at random moments while the daemon writes alerts, then one clean run:
    /// the log must hold every matching item exactly once, with no torn line.
    @Test func survivesRepeatedKill9WithoutTornDuplicateOrLostAlerts() async throws {
        let workspace = try Workspace()
        try workspace.writeConfig(feeds: ["a", "b"])
        var generator = SystemRandomNumberGenerator()
        var itemsA: [Workspace.Item] = []
        var itemsB: [Workspace.Item] = []
        for round in 0..<20 {
            // Each round publishes more stories, some of them in both feeds under one link.
            for number in (round * 15)..<(round * 15 + 15) {
                itemsA.insert(Workspace.item(number, matching: number % 5 != 0), at: 0)
                if number % 3 == 0 {
                    var copy = Workspace.item(number, matching: number % 5 != 0)
                    copy.id = "urn:b:copy-\(number)"
                    itemsB.insert(copy, at: 0)
                }
            }
            try workspace.writeFeed("a", items: itemsA)
            try workspace.writeFeed("b", items: itemsB)
            let daemon = try workspace.startDaemon()
            // Start-up takes a few hundred milliseconds; the kill lands before, during or after the writes.
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...700, using: &generator)))
            daemon.send(SIGKILL)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.signal == SIGKILL)
        }
        // The killed runs did write (so the kills met real work), and left no torn line behind.
        #expect(try workspace.alerts().count > 0)
        let final = try await workspace.runOnce()
        #expect(final.exitCode == 0, "\(final)")

        let alerts = try workspace.alerts()
        let expected = Set(itemsA.filter { $0.title.contains("Astana") }.map(\.link))
        #expect(Set(alerts.compactMap(\.item.link)) == expected)
        #expect(alerts.count == expected.count)
        #expect(Set(alerts.map(\.id)).count == alerts.count)
    }
}

extension DaemonLifecycleTests {
    /// logrotate's two modes under a running daemon, with no signal: rename then create, and copytruncate.
    @Test func keepsWritingWholeLinesThroughBothRotationModes() async throws {
        let workspace = try Workspace()
        try workspace.writeFeed("a", items: [Workspace.item(1)])
        try workspace.writeConfig(feeds: ["a"])
        let rotated = workspace.directory.file("alerts.jsonl.1")
        let copied = workspace.directory.file("alerts.jsonl.2")
        try await workspace.withDaemon { daemon in
            #expect(await eventually(timeout: 30) { (try? workspace.alerts().count) == 1 })

            // create: rename away, make a new empty file.
            try FileManager.default.moveItem(at: workspace.alertLog, to: rotated)
            #expect(FileManager.default.createFile(atPath: workspace.alertLog.path, contents: nil))
            try workspace.writeFeed("a", items: [Workspace.item(2), Workspace.item(1)])
            #expect(await eventually(timeout: 30) { (try? workspace.alerts().map(\.item.id)) == ["urn:a:2"] })

            // copytruncate: copy, then cut the original to zero in place.
            try FileManager.default.copyItem(at: workspace.alertLog, to: copied)
            let handle = try FileHandle(forWritingTo: workspace.alertLog)
            try handle.truncate(atOffset: 0)
            try handle.close()
            try workspace.writeFeed("a", items: [Workspace.item(3), Workspace.item(2), Workspace.item(1)])
            #expect(await eventually(timeout: 30) { (try? workspace.alerts().map(\.item.id)) == ["urn:a:3"] })

            daemon.send(SIGTERM)
            let exit = try await daemon.waitForExit(timeout: .seconds(5))
            #expect(exit.exitCode == 0)
        }
        #expect(try String(contentsOf: rotated, encoding: .utf8).split(separator: "\n").count == 1)
        #expect(try String(contentsOf: copied, encoding: .utf8).split(separator: "\n").count == 1)
        // No hole of zeros before the line written after the truncation.
        #expect(try Data(contentsOf: workspace.alertLog).first == UInt8(ascii: "{"))
    }
}
