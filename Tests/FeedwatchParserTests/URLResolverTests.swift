import FeedwatchTestSupport
import Testing

@testable import FeedwatchParser

@Suite struct URLResolverTests {
    static let base = "https://news.example.kz/world/asia/story.html?id=7#top"

    /// Reference resolution in the manner of RFC 3986 section 5.4, against `base`.
    static let cases: [(String, String)] = [
        ("other.html", "https://news.example.kz/world/asia/other.html"),
        ("./other.html", "https://news.example.kz/world/asia/other.html"),
        ("other/", "https://news.example.kz/world/asia/other/"),
        ("../europe/item", "https://news.example.kz/world/europe/item"),
        ("../../../../top", "https://news.example.kz/top"),
        ("/about", "https://news.example.kz/about"),
        ("/./a/../b/.", "https://news.example.kz/b/"),
        ("//cdn.example.org/img/../a.png", "https://cdn.example.org/a.png"),
        ("?id=8", "https://news.example.kz/world/asia/story.html?id=8"),
        ("#comments", "https://news.example.kz/world/asia/story.html?id=7#comments"),
        ("", "https://news.example.kz/world/asia/story.html?id=7"),
        (".", "https://news.example.kz/world/asia/"),
        ("./", "https://news.example.kz/world/asia/"),
        ("..", "https://news.example.kz/world/"),
        ("../", "https://news.example.kz/world/"),
        ("../..", "https://news.example.kz/"),
        ("sub/./page/../final", "https://news.example.kz/world/asia/sub/final"),
        ("g;x=1/../y", "https://news.example.kz/world/asia/y"),
        ("g?q=1#f", "https://news.example.kz/world/asia/g?q=1#f"),
        ("...x", "https://news.example.kz/world/asia/...x"),
        ("x..", "https://news.example.kz/world/asia/x.."),
        ("a//b/../c", "https://news.example.kz/world/asia/a//c"),
        ("новости/1", "https://news.example.kz/world/asia/новости/1"),
        ("  spaced.html \n", "https://news.example.kz/world/asia/spaced.html"),
        ("wrapped\n-link.html", "https://news.example.kz/world/asia/wrapped-link.html"),
        ("a:b/c", "a:b/c"),
        ("./a:b", "https://news.example.kz/world/asia/a:b"),
        // Absolute references.
        ("http://other.example/x", "http://other.example/x"),
        ("HTTPS://Example.org/a/../b", "HTTPS://Example.org/b"),
        ("https://example.kz", "https://example.kz"),
        ("https://example.kz?q", "https://example.kz?q"),
        ("mailto:desk@example.kz", "mailto:desk@example.kz"),
        ("tag:example.kz,2025:item/../7", "tag:example.kz,2025:item/../7"),
    ]

    @Test(arguments: cases)
    func resolvesAgainstTheBase(reference: String, expected: String) {
        #expect(URLResolver.resolve(reference, against: URLResolverTests.base) == expected)
    }

    @Test func mergesWithAnEmptyBasePath() {
        #expect(URLResolver.resolve("item", against: "https://example.kz") == "https://example.kz/item")
        #expect(URLResolver.resolve("item", against: "https://example.kz/dir/") == "https://example.kz/dir/item")
        #expect(URLResolver.resolve("?q", against: "https://example.kz/dir/") == "https://example.kz/dir/?q")
    }

    @Test func needsAnAbsoluteBaseForARelativeReference() {
        #expect(URLResolver.resolve("item", against: nil) == nil)
        #expect(URLResolver.resolve("item", against: "relative/base") == nil)
        #expect(URLResolver.resolve("item", against: "") == nil)
        #expect(URLResolver.resolve("https://a.example/x", against: nil) == "https://a.example/x")
        #expect(URLResolver.resolve(" https://a.example/x ", against: "not a url") == "https://a.example/x")
    }

    @Test func survivesRandomReferences() {
        var random = SeededRandom(seed: 0x0A11)
        let pieces = ["/", ".", "..", "?", "#", "a", "б", "%", "//", " ", "\n", "@", "[", "]", "\u{0000}", "x:"]
        for _ in 0..<5_000 {
            let reference = random.string(from: pieces, maxLength: 20)
            let resolved = URLResolver.resolve(reference, against: URLResolverTests.base)
            if !reference.utf8.contains(UInt8(ascii: ":")) {
                #expect(resolved?.hasPrefix("https:") == true, "\(Array(reference.unicodeScalars))")
            }
        }
    }
}
