import FeedwatchCore
import FeedwatchStore
import Foundation

/// Alerts and items for the store tests, with whole-second times so they survive a round trip.
enum Samples {
    static let now = Date(timeIntervalSince1970: 1_795_939_200)  // 2026-11-29T08:00:00Z

    static func alert(_ number: Int, rule: String = "central-asia", feedURL: String = "https://news.example/rss")
        -> Alert
    {
        Alert(
            detectedAt: now, rule: rule, terms: ["Kazakhstan"], feed: .init(url: feedURL, title: "Example News"),
            item: .init(
                id: "urn:example:\(number)", title: "Story \(number) about Kazakhstan",
                link: "https://news.example/story/\(number)", published: now, summary: "Summary \(number)."))
    }

    /// An item as the daemon records it, its title hashed.
    static func seen(
        _ id: String, link: String? = nil, title: String? = nil, at time: Date = now, rules: Set<String> = []
    ) -> SeenItem {
        SeenItem(
            id: id, link: link, titleHash: SeenItem.titleHash(title), firstSeen: time, lastSeen: time,
            matchedRules: rules)
    }
}

/// A file's text.
func contents(of url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}
