import FeedwatchCore
import Foundation

/// What is known about one item (or the feed's channel) while its element is still open.
///
/// Feeds say the same thing in several ways (`pubDate` or `dc:date`, `<link>` or a permalink `<guid>`); the draft
/// keeps each source apart and applies the contract's order of preference once the element ends.
struct ItemDraft {
    var guid: String?
    var guidIsPermaLink = true
    var atomID: String?
    var rdfAbout: String?
    var title: String?
    var mediaTitle: String?
    var link: String?
    var alternateLink: String?
    var guidLink: String?
    var summary: String?
    var mediaDescription: String?
    var content: String?
    var pubDate: Date?
    var dcDate: Date?
    var published: Date?
    var updated: Date?
    var authors: [String] = []
    var categories: [String] = []

    /// The finished item. Atom entries without an author take the feed's (RFC 4287, section 4.2.1).
    func item(inheritingAuthors feedAuthors: [String]) -> FeedItem {
        let published = pubDate ?? dcDate ?? self.published
        let title = title ?? mediaTitle
        let link = link ?? guidLink ?? alternateLink
        let id =
            guid ?? atomID ?? rdfAbout ?? link
            ?? StableHash.hex(title ?? "", (published ?? updated).map(RFC3339.format) ?? "")
        return FeedItem(
            id: id, title: title, link: link, published: published, updated: updated,
            authors: authors.isEmpty ? feedAuthors : authors, categories: categories,
            summary: summary ?? mediaDescription, content: content)
    }

    mutating func addAuthor(_ name: String) {
        if !authors.contains(name) { authors.append(name) }
    }

    mutating func addCategory(_ name: String) {
        if !categories.contains(name) { categories.append(name) }
    }

    /// The person in an RSS `<author>` or `<managingEditor>`: the name when one is given beside the address
    /// (`jane@example.org (Jane Roe)`, `Jane Roe <jane@example.org>`), else the text as written.
    static func personName(fromAddress text: String) -> String {
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let inside = text[text.index(after: open)..<close].trimmingWhitespace()
            if !inside.isEmpty { return inside }
        }
        if let open = text.firstIndex(of: "<"), text.last == ">" {
            let before = text[..<open].trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if !before.isEmpty { return before }
        }
        return text
    }
}

/// What is known about the feed itself while its document is read.
struct ChannelDraft {
    var title: String?
    var link: String?
    var alternateLink: String?
    var subtitle: String?
    var language: String?
    var lastBuildDate: Date?
    var pubDate: Date?
    var dcDate: Date?
    var atomUpdated: Date?
    var authors: [String] = []
    var timeToLiveMinutes: Int?
    var updatePeriod: String?
    var updateFrequency: Int?

    /// `lastBuildDate`, else `pubDate`, else `dc:date` or `atom:updated` (CONTRACT.md, "Feed `updated`").
    var updated: Date? { lastBuildDate ?? pubDate ?? dcDate ?? atomUpdated }

    /// The feed's polling hints in seconds: RSS `ttl` is minutes; `sy:updatePeriod` divided by
    /// `sy:updateFrequency` (default 1, RSS 1.0 syndication module).
    var refreshHint: RefreshHint? {
        let periodSeconds: Int? =
            // The syndication module's default period is daily.
            switch updatePeriod?.lowercased() ?? (updateFrequency == nil ? nil : "daily") {
            case "hourly": 3600
            case "daily": 86400
            case "weekly": 7 * 86400
            case "monthly": 30 * 86400
            case "yearly": 365 * 86400
            default: nil
            }
        let frequency = max(1, updateFrequency ?? 1)
        let syndication = periodSeconds.map { $0 / frequency }
        let timeToLive = timeToLiveMinutes.map { $0 * 60 }
        guard syndication != nil || timeToLive != nil else { return nil }
        return RefreshHint(timeToLive: timeToLive, syndicationPeriod: syndication)
    }
}

extension Substring {
    func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
