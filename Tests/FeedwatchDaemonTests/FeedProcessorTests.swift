import FeedwatchCore
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchDaemon

@Suite struct FeedProcessorTests {
    static let now = Date(timeIntervalSince1970: 1_795_939_200)
    static let feed = Alert.Feed(url: "https://news.example/rss", title: "Example News")

    /// A keyword rule: the item matches `rule` when its title contains `word`.
    static func matcher(_ rules: [String: String]) -> (FeedItem) -> [RuleHit] {
        { item in
            rules.keys.sorted().compactMap { rule in
                let word = rules[rule] ?? ""
                return item.title?.contains(word) == true ? RuleHit(rule: rule, terms: [word]) : nil
            }
        }
    }

    static func item(_ number: Int, title: String, published: Date? = now, link: String? = nil) -> FeedItem {
        FeedItem(
            id: "urn:item:\(number)", title: title, link: link ?? "https://news.example/\(number)",
            published: published)
    }

    struct Fixture {
        let directory: TemporaryDirectory
        let store: StateStore
        let log: AlertLog
        var processor: FeedProcessor { FeedProcessor(store: store, log: log, retention: .seconds(30 * 86400)) }

        init(logPath: String? = nil) throws {
            directory = try TemporaryDirectory()
            store = try StateStore(directory: directory.path)
            log = AlertLog(path: logPath ?? directory.file("alerts.jsonl").path)
        }

        func loggedIDs() throws -> [String] {
            var ids: [String] = []
            _ = try AlertLog.scan(path: log.path) { ids += $0.map(\.id) }
            return ids
        }
    }

    @Test func alertsOnceForNewMatchingItemsAndRemembersTheRest() throws {
        let fixture = try Fixture()
        var unrecorded: [String: Alert] = [:]
        let items = [Self.item(2, title: "Astana summit"), Self.item(1, title: "Weather in Oslo")]
        let match = Self.matcher(["central-asia": "Astana"])

        let first = try fixture.processor.process(
            feed: Self.feed, items: items, firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(first.alerts.map(\.item.id) == ["urn:item:2"])
        #expect(first.newItems == 2)
        let again = try fixture.processor.process(
            feed: Self.feed, items: items, firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(again.alerts.isEmpty)
        #expect(again.newItems == 0)
        #expect(try fixture.loggedIDs().count == 1)
        #expect(try fixture.store.seenItems(feedURL: Self.feed.url).count == 2)
    }

    @Test func anEditedItemAlertsOnlyForANewlyMatchingRule() throws {
        let fixture = try Fixture()
        var unrecorded: [String: Alert] = [:]
        let match = Self.matcher(["central-asia": "Astana", "cis": "CIS"])
        _ = try fixture.processor.process(
            feed: Self.feed, items: [Self.item(1, title: "Astana summit")], firstPollAdmits: nil, match: match,
            unrecorded: &unrecorded, now: Self.now)
        let edited = try fixture.processor.process(
            feed: Self.feed, items: [Self.item(1, title: "Astana summit of the CIS (updated)")], firstPollAdmits: nil,
            match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(edited.alerts.map(\.rule) == ["cis"])
        #expect(try fixture.loggedIDs().count == 2)
    }

    @Test func theFirstPollAlertsOnlyWithinTheBackfillWindowButRemembersEverything() throws {
        let fixture = try Fixture()
        var unrecorded: [String: Alert] = [:]
        let old = Self.now.addingTimeInterval(-3 * 86400)
        let items = [
            Self.item(3, title: "Astana today"), Self.item(2, title: "Astana undated", published: nil),
            Self.item(1, title: "Astana last week", published: old),
        ]
        let match = Self.matcher(["central-asia": "Astana"])
        let report = try fixture.processor.process(
            feed: Self.feed, items: items,
            firstPollAdmits: { item in item.published.map { Self.now.timeIntervalSince($0) <= 86400 } ?? true },
            match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(report.alerts.map(\.item.id) == ["urn:item:2", "urn:item:3"])
        // The old item was matched and remembered with its rule, so a later poll does not alert on it.
        let later = try fixture.processor.process(
            feed: Self.feed, items: items, firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(later.alerts.isEmpty)
    }

    @Test func theSameArticleThroughTwoFeedsAlertsOnce() throws {
        let fixture = try Fixture()
        var unrecorded: [String: Alert] = [:]
        let match = Self.matcher(["central-asia": "Astana"])
        _ = try fixture.processor.process(
            feed: Self.feed, items: [Self.item(1, title: "Astana summit", link: "https://wire.example/story")],
            firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        let syndicated = try fixture.processor.process(
            feed: Alert.Feed(url: "https://aggregator.example/feed", title: nil),
            items: [Self.item(77, title: "Astana summit", link: "https://WIRE.example/story#top")],
            firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(syndicated.alerts.isEmpty)
        #expect(syndicated.newItems == 1)
        #expect(try fixture.loggedIDs().count == 1)
    }

    @Test func aFailedWriteLeavesTheItemUnseenForTheNextCycle() throws {
        let fixture = try Fixture(logPath: "/dev/full")
        var unrecorded: [String: Alert] = [:]
        let match = Self.matcher(["central-asia": "Astana"])
        let items = [Self.item(2, title: "Astana summit"), Self.item(1, title: "Weather")]
        let failed = try fixture.processor.process(
            feed: Self.feed, items: items, firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(failed.writeFailure?.errno == ENOSPC)
        #expect(failed.alerts.isEmpty)
        // The non-matching item is recorded; the one whose alert failed is not.
        #expect(try fixture.store.seenItems(feedURL: Self.feed.url).map(\.id) == ["urn:item:1"])

        // The disk has room again: the next cycle writes the alert.
        let healed = FeedProcessor(
            store: fixture.store, log: AlertLog(path: fixture.directory.file("alerts.jsonl").path),
            retention: .seconds(86400))
        let retried = try healed.process(
            feed: Self.feed, items: items, firstPollAdmits: nil, match: match, unrecorded: &unrecorded, now: Self.now)
        #expect(retried.alerts.map(\.item.id) == ["urn:item:2"])
        #expect(try fixture.store.seenItems(feedURL: Self.feed.url).count == 2)
    }
}
