import FeedwatchCore
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

@Suite struct StateStoreTests {
    static let feed = "https://news.example/rss"

    @Test func createsAVersionedSchemaAndReopensIt() throws {
        let directory = try TemporaryDirectory()
        let stateDirectory = directory.file("state/nested").path
        #expect(try StateStore(directory: stateDirectory).schemaVersions() == ["v1"])
        #expect(try StateStore(directory: stateDirectory).schemaVersions() == ["v1"])
        #expect(FileManager.default.fileExists(atPath: stateDirectory + "/state.sqlite"))
    }

    @Test func anUncreatableFolderIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("not a folder", to: "state")
        let error = #expect(throws: StoreError.self) { try StateStore(directory: file.path + "/inner") }
        #expect(error?.label == "directory")
        #expect(error?.description.contains(file.path) == true)
    }

    @Test func keepsFeedStateExactlyAsGiven() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        #expect(try store.feedState(url: Self.feed) == nil)
        let state = FeedState(
            url: Self.feed, etag: "W/\"5e1-abc\"", lastModified: "Sat, 28 Nov 2026 21:04:11 GMT",
            redirectURL: "https://news.example/feed.xml", failingStreak: 2,
            nextPoll: Samples.now.addingTimeInterval(900), lastAttempt: Samples.now,
            lastSuccess: Samples.now.addingTimeInterval(-3600), lastStatus: 503,
            lastError: "the server answered 503 Service Unavailable", fetches: 40, failures: 3)
        try store.save(state)
        #expect(try store.feedState(url: Self.feed) == state)
        var recovered = state
        recovered.failingStreak = 0
        recovered.lastError = nil
        try store.save(recovered)
        #expect(try store.feedStates() == [recovered])
    }

    @Test func recognisesItemsByIDThenLinkThenTitle() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.recordPoll(
            feedURL: Self.feed,
            items: [
                Samples.seen("guid-1", link: "https://news.example/1", title: "Astana summit opens", rules: ["cis"]),
                Samples.seen("guid-2", link: "https://news.example/2", title: "Weather"),
                Samples.seen("hash-3", title: "Almaty  marathon"),
            ])

        let index = try store.itemIndex(feedURL: Self.feed)
        #expect(index.count == 3)
        // Same id; an edited title keeps the link, so it is the same item.
        #expect(index.known(id: "guid-1", link: "https://news.example/1", title: "Edited")?.matchedRules == ["cis"])
        // A recycled id: new link and new title under an old id is a new article.
        #expect(index.known(id: "guid-2", link: "https://news.example/9", title: "Other") == nil)
        // A changed id with the same link is the same article.
        #expect(index.known(id: "new-guid", link: "https://news.example/2", title: "Weather")?.id == "guid-2")
        // Neither id nor link: the title decides, ignoring case and spacing.
        #expect(index.known(id: "hash-4", link: nil, title: "almaty marathon")?.id == "hash-3")
        #expect(index.known(id: "hash-5", link: nil, title: "Bishkek") == nil)
        // Any whitespace separates words: ASCII controls, CR LF, and Unicode spaces alike.
        #expect(index.known(id: "hash-6", link: nil, title: "\tAlmaty\r\n\u{2003}Marathon\u{A0}")?.id == "hash-3")
        #expect(index.known(id: "hash-7", link: nil, title: " ALMATY\t\r\n\u{0B}MARATHON\u{0C}")?.id == "hash-3")
        #expect(SeenItem.titleHash(" \t\r\n ") == nil)
        // ASCII titles take a shortcut; both ways hash the lowercased words joined by single spaces.
        #expect(SeenItem.titleHash("Almaty  Marathon ") == StableHash.hex("almaty marathon"))
        #expect(SeenItem.titleHash("\u{3000}Алматы \u{85}МАРАФОН") == StableHash.hex("алматы марафон"))
        // Items belong to their feed.
        #expect(try store.itemIndex(feedURL: "https://other.example/rss").count == 0)
    }

    @Test func replacingAnItemUnderANewIDKeepsOneRow() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.recordPoll(feedURL: Self.feed, items: [Samples.seen("old", link: "https://news.example/1")])
        try store.recordPoll(
            feedURL: Self.feed, items: [Samples.seen("new", link: "https://news.example/1", rules: ["cis"])],
            replacing: ["new": "old"])
        #expect(try store.seenItems(feedURL: Self.feed).map(\.id) == ["new"])
    }

    @Test func prunesOnlyItemsGoneLongerThanTheRetention() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        let old = Samples.now.addingTimeInterval(-40 * 86400)
        try store.recordPoll(feedURL: Self.feed, items: [Samples.seen("gone", at: old), Samples.seen("kept", at: old)])
        try store.recordPoll(feedURL: "https://other.example/rss", items: [Samples.seen("elsewhere", at: old)])
        var kept = Samples.seen("kept", at: old)
        kept.lastSeen = Samples.now
        let pruned = try store.recordPoll(
            feedURL: Self.feed, items: [kept], pruneGoneBefore: Samples.now.addingTimeInterval(-30 * 86400))
        #expect(pruned == 1)
        #expect(try store.seenItems(feedURL: Self.feed) == [kept])
        #expect(try store.seenItems(feedURL: "https://other.example/rss").count == 1)
    }

    @Test func recordsEachAlertIDOnce() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        #expect(try store.hasAlert(id: Samples.alert(1).id) == false)
        #expect(try store.recordAlerts([Samples.alert(1), Samples.alert(2)]) == 2)
        #expect(try store.recordAlerts([Samples.alert(2), Samples.alert(3)]) == 1)
        #expect(try store.hasAlert(id: Samples.alert(1).id))
        #expect(try store.alertCount(since: Samples.now) == 3)
        #expect(try store.alertCount(since: Samples.now.addingTimeInterval(1)) == 0)
    }

    @Test func summariesCountItemsAndAlertsPerFeed() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(directory: directory.path)
        try store.save(FeedState(url: Self.feed, lastStatus: 200))
        try store.save(FeedState(url: "https://quiet.example/rss"))
        try store.recordPoll(feedURL: Self.feed, items: [Samples.seen("a"), Samples.seen("b")])
        try store.recordAlerts([Samples.alert(1)])
        let summaries = try store.feedSummaries()
        #expect(summaries.map(\.state.url) == ["https://news.example/rss", "https://quiet.example/rss"])
        #expect(summaries.map(\.itemsSeen) == [2, 0])
        #expect(summaries.map(\.alerts) == [1, 0])
    }

    @Test func recoveryRecordsAlertsWrittenBeforeACrashAndRepairsATornLine() throws {
        let directory = try TemporaryDirectory()
        let logPath = directory.file("alerts.jsonl")
        do {
            // The run that crashed: three alerts reached the log, only the first reached the state,
            // and a power loss tore a fourth line.
            let store = try StateStore(directory: directory.path)
            let log = AlertLog(path: logPath.path)
            for number in 1...3 { try log.append(Samples.alert(number)) }
            try store.recordAlerts([Samples.alert(1)])
            let handle = try FileHandle(forWritingTo: logPath)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(Samples.alert(4).line.utf8.prefix(30)))
            try handle.close()
        }
        let store = try StateStore(directory: directory.path)
        let log = AlertLog(path: logPath.path)
        let report = try store.recover(from: log)
        #expect(report == RecoveryReport(tornBytesRemoved: 30, alertsRecorded: 2, unreadableLines: 0))
        for number in 1...3 { #expect(try store.hasAlert(id: Samples.alert(number).id)) }
        #expect(try store.hasAlert(id: Samples.alert(4).id) == false)
        #expect(try contents(of: logPath) == (1...3).map { Samples.alert($0).line }.joined())
        // A second start finds nothing left to do.
        #expect(
            try store.recover(from: log) == RecoveryReport(tornBytesRemoved: 0, alertsRecorded: 0, unreadableLines: 0))
    }

    @Test func readingNeedsAnExistingDatabase() throws {
        let directory = try TemporaryDirectory()
        #expect(try StateStore.openForReading(directory: directory.path) == nil)
        try StateStore(directory: directory.path).save(FeedState(url: Self.feed, lastStatus: 304))
        let reader = try #require(try StateStore.openForReading(directory: directory.path))
        #expect(try reader.feedState(url: Self.feed)?.lastStatus == 304)
        #expect(throws: StoreError.self) { try reader.save(FeedState(url: Self.feed)) }
    }

    @Test func aReaderSeesConsistentSnapshotsWhileTheDaemonWrites() async throws {
        let directory = try TemporaryDirectory()
        let writer = try StateStore(directory: directory.path)
        try writer.save(FeedState(url: Self.feed))
        let reader = try #require(try StateStore.openForReading(directory: directory.path))
        let polls = 150
        // The writer starts only after the reader's first snapshot, so the reader must come back for more.
        let readerStarted = Flag()

        let writing = Task.detached {
            while !readerStarted.isSet { await Task.yield() }
            for poll in 0..<polls {
                try writer.recordPoll(
                    feedURL: Self.feed, items: (0..<4).map { Samples.seen("item-\(poll)-\($0)") })
                try writer.recordAlerts([Samples.alert(poll)])
            }
        }
        let reading = Task.detached { () throws -> (reads: Int, sawPartialPoll: Bool, wentBackwards: Bool) in
            var reads = 0
            var last = 0
            var sawPartialPoll = false
            var wentBackwards = false
            let deadline = Date().addingTimeInterval(30)
            repeat {
                let summary = try #require(try reader.feedSummaries().first)
                // A poll's four items are one transaction: a reader sees all of them or none.
                sawPartialPoll = sawPartialPoll || summary.itemsSeen % 4 != 0
                wentBackwards = wentBackwards || summary.itemsSeen < last
                last = summary.itemsSeen
                reads += 1
                readerStarted.set()
            } while last < polls * 4 && Date() < deadline
            return (reads, sawPartialPoll, wentBackwards)
        }
        try await writing.value
        let result = try await reading.value
        #expect(result.reads > 1)
        #expect(result.sawPartialPoll == false)
        #expect(result.wentBackwards == false)
        #expect(try reader.feedSummaries().first?.alerts == polls)
    }
}

/// A one-way switch shared between tasks.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

extension StateStoreTests {
    @Test func onlyOneHolderOfTheStateLockAtATime() throws {
        let directory = try TemporaryDirectory()
        do {
            let held = try StateLock(directory: directory.path)
            let error = #expect(throws: StoreError.self) { try StateLock(directory: directory.path) }
            #expect(error?.label == "lock")
            #expect(error?.description.contains("process \(getpid()) is already running") == true)
            withExtendedLifetime(held) {}
        }
        // Released with its holder.
        _ = try StateLock(directory: directory.path)
    }
}
