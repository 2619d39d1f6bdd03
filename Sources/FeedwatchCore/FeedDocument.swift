import Foundation

/// A feed as the parser understood it: the normalized shape every other module works with.
///
/// Text fields are plain text (entities decoded, markup removed, whitespace collapsed, trimmed);
/// a missing value is `nil`, never an empty string. See CONTRACT.md, "`feedwatch parse` output".
public struct FeedDocument: Sendable, Equatable {
    /// The feed dialect, spelled as the contract spells it.
    public enum Format: String, Sendable, CaseIterable {
        case rss09 = "rss0.9"
        case rss10 = "rss1.0"
        case rss20 = "rss2.0"
        case atom03 = "atom0.3"
        case atom10 = "atom1.0"
        case jsonFeed = "jsonfeed"
    }

    public var format: Format
    /// Lowercase IANA name of the encoding the bytes were decoded from; `nil` for JSON Feed.
    public var encoding: String?
    public var title: String?
    public var link: String?
    public var subtitle: String?
    public var language: String?
    public var updated: Date?
    public var items: [FeedItem]
    /// What the parser recovered from, each prefixed by its kind (`xml:`, `encoding:`, `date:`, `content-type:`, `limit:`).
    public var warnings: [String]
    /// The feed's own hints about how often to poll it (RSS `ttl`, `sy:updatePeriod`/`sy:updateFrequency`).
    /// Not part of the `parse` output; the scheduler reads it.
    public var refreshHint: RefreshHint?

    public init(
        format: Format, encoding: String? = nil, title: String? = nil, link: String? = nil,
        subtitle: String? = nil, language: String? = nil, updated: Date? = nil, items: [FeedItem] = [],
        warnings: [String] = [], refreshHint: RefreshHint? = nil
    ) {
        self.format = format
        self.encoding = encoding
        self.title = title
        self.link = link
        self.subtitle = subtitle
        self.language = language
        self.updated = updated
        self.items = items
        self.warnings = warnings
        self.refreshHint = refreshHint
    }
}

/// A feed's own polling hints, as seconds between polls.
public struct RefreshHint: Sendable, Equatable {
    /// RSS `<ttl>`, in seconds.
    public var timeToLive: Int?
    /// `sy:updatePeriod` divided by `sy:updateFrequency`, in seconds.
    public var syndicationPeriod: Int?

    public init(timeToLive: Int? = nil, syndicationPeriod: Int? = nil) {
        self.timeToLive = timeToLive
        self.syndicationPeriod = syndicationPeriod
    }
}

/// One entry of a feed.
public struct FeedItem: Sendable, Equatable {
    /// guid / atom:id / rdf:about / JSON Feed id as written; else the link; else a stable hash of title and date.
    public var id: String
    public var title: String?
    /// Absolute URL.
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var authors: [String]
    public var categories: [String]
    public var summary: String?
    public var content: String?

    public init(
        id: String, title: String? = nil, link: String? = nil, published: Date? = nil, updated: Date? = nil,
        authors: [String] = [], categories: [String] = [], summary: String? = nil, content: String? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.authors = authors
        self.categories = categories
        self.summary = summary
        self.content = content
    }
}
