import Testing

@testable import FeedwatchConfig

/// The byte-level check for ASCII URLs and the Unicode one for the rest find the same places.
@Suite struct FeedURLSpaceTests {
    @Test func findsTheFirstSpaceOrLineBreakInCharacters() {
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://example.org/rss") == nil)
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://example.org/a b") == 21)
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://example.org/\tx") == 20)
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://example.org/\r\nx") == 20)
        // Outside ASCII: a no-break space after Cyrillic, counted in characters, not bytes.
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://президент.рф/a\u{A0}b") == 22)
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://президент.рф/новости") == nil)
        // Control characters that are not white space stay for the URL parser to judge.
        #expect(ConfigurationLoader.firstSpaceOrLineBreak(in: "https://example.org/\u{1F}") == nil)
    }
}
