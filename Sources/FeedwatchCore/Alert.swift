import Foundation

/// One line of the alert log: an item that a rule matched, as CONTRACT.md ("The alert log") spells it.
///
/// The log is the product an analyst reads and de-duplicates by `id`, so the line is built with
/// ``JSONValue`` (fields in the documented order, always one line) and can be read back for
/// start-up recovery and for `feedwatch tail`.
public struct Alert: Sendable, Equatable {
    /// The feed the alert came through.
    public struct Feed: Sendable, Equatable {
        /// The configured URL (or file path) of the feed, not a redirect target, so it stays stable.
        public var url: String
        public var title: String?

        public init(url: String, title: String? = nil) {
            self.url = url
            self.title = title
        }
    }

    /// The article that matched.
    public struct Item: Sendable, Equatable {
        public var id: String
        public var title: String?
        public var link: String?
        public var published: Date?
        public var summary: String?

        public init(
            id: String, title: String? = nil, link: String? = nil, published: Date? = nil, summary: String? = nil
        ) {
            self.id = id
            self.title = title
            self.link = link
            self.published = published
            self.summary = summary
        }
    }

    /// Stable across restarts: see ``Alert/id(rule:articleKey:)``.
    public var id: String
    public var detectedAt: Date
    public var rule: String
    /// The words or phrases, as written in the text, that made the rule match.
    public var terms: [String]
    public var feed: Feed
    public var item: Item

    /// Makes an alert whose `id` is derived from the rule and the article, so it is the same on every run.
    public init(detectedAt: Date, rule: String, terms: [String], feed: Feed, item: Item) {
        self.init(
            id: Alert.id(rule: rule, articleKey: Alert.articleKey(feedURL: feed.url, itemID: item.id, link: item.link)),
            detectedAt: detectedAt, rule: rule, terms: terms, feed: feed, item: item)
    }

    public init(id: String, detectedAt: Date, rule: String, terms: [String], feed: Feed, item: Item) {
        self.id = id
        self.detectedAt = detectedAt
        self.rule = rule
        self.terms = terms
        self.feed = feed
        self.item = item
    }
}

// MARK: - Identity

extension Alert {
    /// The alert id for `rule` matching the article known by `articleKey`: 16 hex digits of ``StableHash``.
    public static func id(rule: String, articleKey: String) -> String {
        StableHash.hex(rule, articleKey)
    }

    /// What makes two items the same article, wherever they were found.
    ///
    /// The canonical link comes first, so the same article reached through two feeds, or wire copy
    /// republished by several feeds under one link, gives one key and so one alert per rule. An item
    /// without a usable link falls back to its feed URL and item id, which only that feed can repeat.
    public static func articleKey(feedURL: String, itemID: String, link: String?) -> String {
        if let link, let canonical = canonicalLink(link) {
            return canonical
        }
        return "feed:\(feedURL)\u{1F}\(itemID)"
    }

    /// A link reduced to the form that identifies an article, or `nil` when it is not an absolute http(s) URL.
    ///
    /// - scheme and host are lowercased (they are case-insensitive), and a trailing dot on the host is dropped;
    /// - the port is dropped when it is the scheme's default (80, 443);
    /// - the fragment is dropped (it names a place in the page, not another page);
    /// - an empty path becomes `/`;
    /// - `utm_*` query parameters are dropped: feeds add them per channel (`utm_source=rss`), so two feeds'
    ///   copies of one article differ only there. Other parameters keep their order, as they may select the article.
    ///
    /// The path and the rest of the query stay as written: servers may treat them case-sensitively.
    public static func canonicalLink(_ link: String) -> String? {
        guard var components = URLComponents(string: link.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        if host.hasSuffix(".") { host.removeLast() }
        components.scheme = scheme
        components.host = host
        if components.port == (scheme == "http" ? 80 : 443) { components.port = nil }
        components.fragment = nil
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        if let query = components.percentEncodedQueryItems {
            let kept = query.filter { !$0.name.lowercased().hasPrefix("utm_") }
            components.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        return components.string
    }
}

// MARK: - The log line

extension Alert {
    /// The alert as CONTRACT.md orders its fields.
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("detected_at", .date(detectedAt)),
            ("rule", .string(rule)),
            ("terms", .strings(terms)),
            ("feed", .object([("url", .string(feed.url)), ("title", .string(feed.title))])),
            (
                "item",
                .object([
                    ("id", .string(item.id)),
                    ("title", .string(item.title)),
                    ("link", .string(item.link)),
                    ("published", .date(item.published)),
                    ("summary", .string(item.summary)),
                ])
            ),
        ])
    }

    /// One whole log line, newline included.
    public var line: String { json.serialized() + "\n" }

    /// Why a log line could not be read back as an alert.
    public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads an alert back from one log line (with or without its newline).
    ///
    /// Fields added by later versions are ignored, as CONTRACT.md allows them.
    /// - Throws: ``LineError`` naming the first field that is missing or has the wrong type.
    public init(line: some StringProtocol) throws {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw LineError(description: "the line is not a JSON object")
            }
            object = parsed
        } catch let error as LineError {
            throw error
        } catch {
            throw LineError(description: "the line is not valid JSON")
        }
        let feed = try Alert.field("feed", of: object, as: [String: Any].self)
        let item = try Alert.field("item", of: object, as: [String: Any].self)
        self.init(
            id: try Alert.field("id", of: object, as: String.self),
            detectedAt: try Alert.requiredDate("detected_at", of: object),
            rule: try Alert.field("rule", of: object, as: String.self),
            terms: try Alert.field("terms", of: object, as: [String].self),
            feed: Feed(
                url: try Alert.field("url", of: feed, as: String.self), title: try Alert.optional("title", of: feed)),
            item: Item(
                id: try Alert.field("id", of: item, as: String.self),
                title: try Alert.optional("title", of: item),
                link: try Alert.optional("link", of: item),
                published: try Alert.date("published", of: item),
                summary: try Alert.optional("summary", of: item)))
    }

    private static func field<Value>(_ name: String, of object: [String: Any], as type: Value.Type) throws -> Value {
        guard let value = object[name] as? Value else {
            throw LineError(description: "field '\(name)' is missing or not a \(Alert.jsonTypeName(type))")
        }
        return value
    }

    private static func optional(_ name: String, of object: [String: Any]) throws -> String? {
        switch object[name] {
        case nil, is NSNull: return nil
        case let value as String: return value
        default: throw LineError(description: "field '\(name)' is not a string")
        }
    }

    private static func date(_ name: String, of object: [String: Any]) throws -> Date? {
        guard let text = try optional(name, of: object) else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw LineError(description: "field '\(name)' is not an RFC 3339 time: \(text)")
        }
        return date
    }

    private static func requiredDate(_ name: String, of object: [String: Any]) throws -> Date {
        guard let date = try date(name, of: object) else {
            throw LineError(description: "field '\(name)' is missing")
        }
        return date
    }

    private static func jsonTypeName<Value>(_ type: Value.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is [String].Type: return "list of strings"
        default: return "object"
        }
    }
}
