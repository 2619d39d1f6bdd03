import FeedwatchTestSupport
import Foundation
import Testing

@testable import FeedwatchCore
@testable import FeedwatchParser

@Suite struct JSONFeedTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/jsonfeed/\(name)")
        return try [UInt8](Data(contentsOf: url))
    }

    /// Each sample beside its expected `feedwatch parse` output.
    @Test(arguments: ["steppe-wire-1.1", "caravan-1.0"])
    func mapsTheSampleAsExpected(name: String) throws {
        let document = try JSONFeedMapper.map(Self.fixture("\(name).json"), baseURL: nil)
        let expected = try String(decoding: Self.fixture("\(name).expected.json"), as: UTF8.self)
        #expect(document.json.prettySerialized() + "\n" == expected)
    }
}

extension JSONFeedTests {
    static func map(_ json: String, baseURL: String? = nil) throws(FeedParseError) -> FeedDocument {
        try JSONFeedMapper.map(Array(json.utf8), baseURL: baseURL)
    }

    @Test func prefersTheDocumentURLOverFeedURLForRelativeLinks() throws {
        let document = try Self.map(
            """
            {"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://mirror.example.org/feed.json",
             "home_page_url": "/", "items": [{"url": "story/5"}]}
            """, baseURL: "https://origin.example.kz/news/feed.json")
        #expect(document.link == "https://origin.example.kz/")
        #expect(document.items.first?.link == "https://origin.example.kz/news/story/5")
        #expect(document.items.first?.id == "https://origin.example.kz/news/story/5")
    }

    @Test func leavesUnresolvableLinksOut() throws {
        let document = try Self.map(
            #"{"version": "https://jsonfeed.org/version/1", "items": [{"id": "a", "url": "relative/only"}]}"#)
        #expect(document.items.first?.link == nil)
        #expect(document.items.first?.id == "a")
    }

    @Test func acceptsByteOrderMarkAndOldVersionSpellings() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(#"{"version": "http://jsonfeed.org/version/1", "items": []}"#.utf8)
        let document = try JSONFeedMapper.map(bytes, baseURL: nil)
        #expect(document.format == .jsonFeed && document.encoding == nil && document.items.isEmpty)
    }

    @Test(arguments: [
        (#"{"title": "no version", "items": []}"#, "not a feed: the JSON has no \"version\" naming JSON Feed"),
        (
            #"{"version": "https://example.org/version/1", "items": []}"#,
            "not a feed: the JSON has no \"version\" naming JSON Feed"
        ),
        (#"{"version": 1.1}"#, "not a feed: the JSON has no \"version\" naming JSON Feed"),
        (#"[{"version": "https://jsonfeed.org/version/1.1"}]"#, "not a feed: the JSON document is not an object"),
        (#""https://jsonfeed.org/version/1.1""#, "not a feed: the JSON document is not an object"),
        (
            #"{"version": "https://jsonfeed.org/version/1.1", "items": ["#,
            "not a feed: the input is not well-formed JSON"
        ),
        ("", "not a feed: the input is not well-formed JSON"),
        ("<rss version=\"2.0\"/>", "not a feed: the input is not well-formed JSON"),
    ])
    func rejectsJSONThatIsNotAJSONFeed(json: String, message: String) {
        #expect(throws: FeedParseError.self) { try Self.map(json) }
        do {
            _ = try Self.map(json)
        } catch {
            #expect(error.description == message)
            #expect(error.kind == "not-a-feed")
        }
    }

    @Test func survivesDeepNesting() {
        let depth = 100_000
        let json =
            #"{"version": "https://jsonfeed.org/version/1.1", "items": "#
            + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        // Either the decoder refuses the depth or the odd `items` is ignored; it must not crash.
        let document = try? Self.map(json)
        #expect(document == nil || document?.items.isEmpty == true)
    }

    @Test func survivesRandomInput() {
        var random = SeededRandom(seed: 0x15_0F)
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"", #""id""#, #""url""#, #""title""#, #""date_published""#, "1", "-2.5e3",
            #""content_html""#, #""<p>x</p>""#, "null", "true", " ", "\\u0000", "\\", #""authors""#, #""tags""#,
            #"{"id": 7}"#, #"{"title": "t", "date_published": "Fri, 10 Oct 2025"}"#, #"{"url": "../x"}"#,
        ]
        var feeds = 0
        for round in 0..<3_000 {
            let middle = random.string(from: pieces, maxLength: 30)
            // Every other round wraps the noise in a valid envelope, so the item mapping is reached too.
            let json =
                round.isMultiple(of: 2)
                ? middle : #"{"version": "https://jsonfeed.org/version/1.1", "items": ["# + middle + "]}"
            guard let document = try? Self.map(json, baseURL: "https://example.kz/feed.json") else { continue }
            feeds += 1
            #expect(document.items.allSatisfy { !$0.id.isEmpty && $0.link?.hasPrefix("https://") != false })
        }
        #expect(feeds > 0)
    }
}
