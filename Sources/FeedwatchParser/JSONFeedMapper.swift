import FeedwatchCore
import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) mapped onto the contract's feed shape.
///
/// JSON Feed is already structured, so there is no encoding to report (`encoding` is `nil`); the work
/// is choosing among its fields as the contract orders them and turning `content_html` into text.
enum JSONFeedMapper {
    /// The feed in `bytes`, which must be UTF-8 JSON whose `version` names JSON Feed.
    ///
    /// - Parameters:
    ///   - bytes: the document (a UTF-8 byte-order mark is allowed).
    ///   - baseURL: the document's own URL or `--base-url`, for relative links; without it, the feed's `feed_url`.
    /// - Throws: ``FeedParseError/notAFeed(_:)`` for malformed JSON or JSON that is not a JSON Feed.
    static func map(_ bytes: [UInt8], baseURL: String?) throws(FeedParseError) -> FeedDocument {
        let root: [String: JSONNode]
        do {
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
            guard case .object(let object) = try JSONDecoder().decode(JSONNode.self, from: Data(body)) else {
                throw FeedParseError.notAFeed("the JSON document is not an object")
            }
            root = object
        } catch let error as FeedParseError {
            throw error
        } catch {
            throw FeedParseError.notAFeed("the input is not well-formed JSON")
        }
        guard let version = root["version"]?.string, isJSONFeedVersion(version) else {
            throw FeedParseError.notAFeed("the JSON has no \"version\" naming JSON Feed")
        }

        var mapper = ItemMapper(
            base: baseURL ?? root["feed_url"]?.string.flatMap { URLResolver.resolve($0, against: nil) },
            feedAuthors: ItemMapper.authors(in: root))
        let items = (root["items"]?.array ?? []).enumerated().compactMap { index, node in
            node.object.map { mapper.item($0, number: index + 1) }
        }
        return FeedDocument(
            format: .jsonFeed, encoding: nil, title: ItemMapper.text(root["title"]),
            link: mapper.link(root["home_page_url"]), subtitle: ItemMapper.text(root["description"]),
            language: ItemMapper.text(root["language"]), updated: nil, items: items, warnings: mapper.warnings)
    }

    /// `https://jsonfeed.org/version/1`, `…/1.1` and later minor versions; `http:` as some old feeds write it.
    private static func isJSONFeedVersion(_ version: String) -> Bool {
        let trimmed = version.lowercased().drop { $0.isWhitespace }
        return trimmed.hasPrefix("https://jsonfeed.org/version/") || trimmed.hasPrefix("http://jsonfeed.org/version/")
    }
}

/// Turns item objects into ``FeedItem``s, collecting warnings on the way.
private struct ItemMapper {
    let base: String?
    /// The top-level authors, which JSON Feed says belong to every item that names none.
    let feedAuthors: [String]
    var warnings: [String] = []

    mutating func item(_ object: [String: JSONNode], number: Int) -> FeedItem {
        let title = ItemMapper.text(object["title"])
        let link = self.link(object["url"]) ?? self.link(object["external_url"])
        let published = date(object["date_published"], field: "date_published", item: number)
        let updated = date(object["date_modified"], field: "date_modified", item: number)
        let id =
            object["id"]?.identifier ?? link
            ?? StableHash.hex(title ?? "", (published ?? updated).map(RFC3339.format) ?? "")
        let authors = ItemMapper.authors(in: object)
        var categories: [String] = []
        for tag in object["tags"]?.array ?? [] {
            if let tag = ItemMapper.text(tag), !categories.contains(tag) { categories.append(tag) }
        }
        let content =
            object["content_html"]?.string.flatMap(HTMLText.plainText(fromHTML:))
            ?? ItemMapper.text(object["content_text"])
        return FeedItem(
            id: id, title: title, link: link, published: published, updated: updated,
            authors: authors.isEmpty ? feedAuthors : authors, categories: categories,
            summary: ItemMapper.text(object["summary"]), content: content)
    }

    /// JSON Feed 1.1 `authors`, else 1.0 `author`: each one's name, else an e-mail address from a `mailto:` url.
    static func authors(in object: [String: JSONNode]) -> [String] {
        let people = object["authors"]?.array ?? object["author"].map { [$0] } ?? []
        var names: [String] = []
        for person in people {
            guard let person = person.object else { continue }
            let name =
                text(person["name"])
                ?? person["url"]?.string.flatMap { url in
                    url.lowercased().hasPrefix("mailto:") ? PlainText.collapse(String(url.dropFirst(7))) : nil
                }
            if let name, !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func text(_ node: JSONNode?) -> String? {
        node?.string.flatMap(PlainText.collapse)
    }

    func link(_ node: JSONNode?) -> String? {
        node?.string.flatMap { URLResolver.resolve($0, against: base) }
    }

    mutating func date(_ node: JSONNode?, field: String, item number: Int) -> Date? {
        guard let node, node != .null else { return nil }
        guard let text = node.string else {
            warnings.append("date: \(field) of item \(number) is not a string")
            return nil
        }
        if let date = FeedDate.parse(text) { return date }
        warnings.append("date: cannot read \(field) \"\(text.prefix(80))\" of item \(number)")
        return nil
    }
}

/// A JSON value as read; a number keeps its decimal digits, so an id such as `123` becomes "123", not 123.0.
private enum JSONNode: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONNode].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONNode].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else {
            self = .number("\(try container.decode(Decimal.self))")
        }
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var array: [JSONNode]? {
        if case .array(let value) = self { value } else { nil }
    }

    var object: [String: JSONNode]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// An item `id` as written: a non-blank string, or a number's digits (JSON Feed 1.0 feeds often use numbers).
    var identifier: String? {
        switch self {
        case .string(let value): value.allSatisfy(\.isWhitespace) ? nil : value
        case .number(let value): value
        default: nil
        }
    }
}
