import Testing

@testable import FeedwatchCore

@Suite struct SourceLocationTests {
    @Test func offsetsWalkAcrossLinesOfAMultilineString() {
        let query = Located("Kazakhstan\n  AND ", at: SourceLocation(file: "r.toml", line: 3, column: 10))
        #expect(query.location(ofOffset: 0)?.description == "r.toml:3:10")
        #expect(query.location(ofOffset: 4)?.description == "r.toml:3:14")
        #expect(query.location(ofOffset: 13)?.description == "r.toml:4:3")
    }

    @Test func diagnosticPutsACaretUnderTheFault() {
        let diagnostic = Diagnostic(
            "expected a term after 'AND'", at: SourceLocation(file: "r.toml", line: 4, column: 9),
            sourceLine: "query = \"x AND\"")
        #expect(diagnostic.description == "r.toml:4:9: error: expected a term after 'AND'\nquery = \"x AND\"\n        ^")
    }
}
