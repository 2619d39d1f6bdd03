import FeedwatchCore
import FeedwatchRules
import Testing

@Suite struct QueryLanguageTests {
    /// The column (1-based) a query diagnostic points at, with its message.
    private func fault(_ query: String) -> (column: Int, message: String)? {
        guard let diagnostic = diagnostics([rule("r", query: query)]).first, let location = diagnostic.location
        else { return nil }
        return (location.column, diagnostic.message)
    }

    @Test func danglingOperatorPointsAtTheEnd() throws {
        let found = try #require(fault("Kazakhstan AND"))
        #expect(found.column == 15)
        #expect(found.message == "rule 'r': query: expected a term after AND")
    }

    @Test func termsSideBySideAskForAnOperator() throws {
        let found = try #require(fault("Central Asia"))
        #expect(found.column == 9)
        #expect(found.message.contains("expected AND, OR or NEAR/n between terms"))
    }

    @Test func unclosedParenthesisPointsAtIt() throws {
        let found = try #require(fault("Astana AND (summit OR talks"))
        #expect(found.column == 12)
        #expect(found.message.hasSuffix("this '(' is never closed"))
    }

    @Test func strayClosingParenthesis() throws {
        #expect(try #require(fault("Astana)")).column == 7)
    }

    @Test func unterminatedPhrasePointsAtTheQuote() throws {
        let found = try #require(fault(#"summit AND "Central Asia"#))
        #expect(found.column == 12)
        #expect(found.message.hasSuffix("this phrase has no closing '\"'"))
    }

    @Test func nearNeedsADistance() throws {
        #expect(try #require(fault("summit NEAR Dushanbe")).column == 8)
        #expect(try #require(fault("summit NEAR/x Dushanbe")).message.contains("NEAR/5"))
        #expect(try #require(fault("summit NEAR/500 Dushanbe")).column == 8)
    }

    @Test func nearRefusesBooleanOperands() throws {
        let found = try #require(fault("summit NEAR/5 (Dushanbe AND Astana)"))
        #expect(found.column == 16)
        #expect(found.message.contains("NEAR joins words"))
    }

    @Test func unknownFieldAndList() throws {
        #expect(try #require(fault("headline:Astana")).message.contains("unknown field 'headline'"))
        let list = try #require(fault("summit AND @capitols"))
        #expect(list.column == 12)
        #expect(list.message.hasSuffix("unknown list '@capitols'"))
    }

    @Test func wildcardsNeedLettersAndMustEndAWord() throws {
        #expect(try #require(fault("Ka*")).message.contains("at least 3 letters"))
        let middle = try #require(fault("Ka*zakh"))
        #expect(middle.column == 3)
        #expect(middle.message.contains("may only end a word"))
    }

    @Test func queryThatMatchesWithoutTermsIsRefused() throws {
        #expect(try #require(fault("NOT cisgender")).message.contains("contains none of its terms"))
    }

    @Test func faultInAMultiLineQueryIsLocatedOnItsLine() throws {
        let query = Located("Astana\nOR (Bishkek AND)", at: SourceLocation(file: "ca.toml", line: 7, column: 11))
        let found = diagnostics([RuleDefinition(name: Located("r"), query: query)])
        let location = try #require(found.first?.location)
        #expect(location == SourceLocation(file: "ca.toml", line: 8, column: 16))
    }

    @Test func caretIsDrawnUnderTheFaultOnceTheLineIsKnown() throws {
        let line = #"query = "Kazakhstan AND""#
        var diagnostic = try #require(
            diagnostics([
                RuleDefinition(
                    name: Located("r"), query: Located("Kazakhstan AND", at: SourceLocation(file: "x.toml", line: 3, column: 10))
                )
            ]).first)
        diagnostic.sourceLine = line
        #expect(
            diagnostic.description
                == "x.toml:3:24: error: rule 'r': query: expected a term after AND\n\(line)\n" + String(repeating: " ", count: 23) + "^")
    }

    @Test func ruleDefinitionFaultsAreAllReported() {
        let found = diagnostics(
            [
                rule("Bad Name", keywords: ["x"]), rule("ok"), rule("dup", keywords: ["x"]), rule("dup", keywords: ["y"]),
                rule("fields", keywords: ["x"], fields: ["body"]), rule("score", keywords: ["x"], minScore: -1),
                rule("kw", keywords: ["--"]), rule("lists", query: "@broken"),
            ], lists: [list("broken", ["two words"]), list("broken", ["x"])])
        let messages = found.map(\.message)
        #expect(messages.contains { $0.contains("list 'broken': a list entry must be one term") })
        #expect(messages.contains("list 'broken' is defined twice"))
        #expect(messages.contains("rule name 'Bad Name' must be lowercase letters, digits and '-'"))
        #expect(messages.contains("rule 'ok' needs keywords or a query"))
        #expect(messages.contains { $0.hasPrefix("rule 'dup' is defined twice (first at rules.toml:1:1)") })
        #expect(messages.contains { $0.hasPrefix("rule 'fields': unknown field 'body'") })
        #expect(messages.contains("rule 'score': min_score must be a number of 0 or more"))
        #expect(messages.contains("rule 'kw': keyword '--' has no letters or digits"))
        #expect(messages.contains { $0.contains("list '@broken' has faults") })
        #expect(found.count == 9)
    }
}
