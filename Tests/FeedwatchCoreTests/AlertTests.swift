import Foundation
import Testing

@testable import FeedwatchCore

@Suite struct AlertTests {
    static let detected = Date(timeIntervalSince1970: 1_795_939_200)  // 2026-11-29T08:00:00Z

    static func sample(feedURL: String = "https://news.example/rss", link: String? = "https://news.example/a/1")
        -> Alert
    {
        Alert(
            detectedAt: detected, rule: "central-asia", terms: ["Kazakhstan", "Астана"],
            feed: .init(url: feedURL, title: "Example \"News\""),
            item: .init(
                id: "urn:item:1", title: "Summit in Astana\nopens", link: link,
                published: Date(timeIntervalSince1970: 1_795_935_600), summary: nil))
    }

    @Test func writesOneLineInContractOrder() {
        let line = Self.sample().line
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        let keys = ["\"id\"", "\"detected_at\"", "\"rule\"", "\"terms\"", "\"feed\"", "\"item\""]
        let positions = keys.map { line.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(line.contains("\"detected_at\":\"2026-11-29T08:00:00Z\""))
        #expect(line.contains("\"summary\":null"))
    }

    @Test func readsBackWhatItWrote() throws {
        let alert = Self.sample()
        #expect(try Alert(line: alert.line) == alert)
    }

    @Test func ignoresFieldsAddedLater() throws {
        let line =
            #"{"id":"x","detected_at":"2026-11-29T08:00:00Z","rule":"r","terms":[],"feed":{"url":"u","title":null},"item":{"id":"i","title":null,"link":null,"published":null,"summary":null},"score":3}"#
        let alert = try Alert(line: line)
        #expect(alert.id == "x")
        #expect(alert.item.link == nil)
    }

    @Test func namesTheBrokenField() {
        let line = #"{"id":"x","detected_at":"yesterday","rule":"r","terms":[],"feed":{"url":"u"},"item":{"id":"i"}}"#
        #expect(throws: Alert.LineError.self) { try Alert(line: line) }
        do {
            _ = try Alert(line: line)
        } catch {
            #expect(String(describing: error).contains("detected_at"))
        }
        #expect(throws: Alert.LineError.self) { try Alert(line: #"{"id":"x""#) }
    }

    @Test func sameArticleThroughTwoFeedsHasOneID() {
        let direct = Self.sample(feedURL: "https://news.example/rss", link: "https://news.example/a/1")
        let syndicated = Self.sample(
            feedURL: "https://aggregator.example/world.xml",
            link: "HTTPS://News.Example:443/a/1?utm_source=rss&utm_medium=feed#comments")
        #expect(direct.id == syndicated.id)
        #expect(direct.id.count == 16)
    }

    @Test func idDependsOnRuleAndArticle() {
        let alert = Self.sample()
        var otherRule = alert
        otherRule.rule = "cis-summits"
        let rebuilt = Alert(
            detectedAt: Date(), rule: otherRule.rule, terms: [], feed: alert.feed, item: alert.item)
        #expect(rebuilt.id != alert.id)
        #expect(Self.sample(link: "https://news.example/a/2").id != alert.id)
    }

    @Test func itemsWithoutLinksAreKeyedByFeedAndID() {
        let one = Self.sample(feedURL: "https://one.example/rss", link: nil)
        let other = Self.sample(feedURL: "https://two.example/rss", link: nil)
        #expect(one.id != other.id)
        #expect(one.id == Self.sample(feedURL: "https://one.example/rss", link: "not a url").id)
    }

    @Test func canonicalLinkNormalizesOnlyWhatDoesNotChangeThePage() {
        #expect(Alert.canonicalLink("HTTP://Example.ORG:80") == "http://example.org/")
        #expect(
            Alert.canonicalLink("https://example.org.:8443/A/b?id=7&utm_campaign=x#top")
                == "https://example.org:8443/A/b?id=7")
        #expect(Alert.canonicalLink("https://example.org/news?utm_source=rss") == "https://example.org/news")
        #expect(Alert.canonicalLink("https://example.org/Path?b=2&a=1") == "https://example.org/Path?b=2&a=1")
        #expect(Alert.canonicalLink("ftp://example.org/file") == nil)
        #expect(Alert.canonicalLink("/relative/path") == nil)
    }
}
