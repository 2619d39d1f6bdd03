import FeedwatchCore
import FeedwatchRules
import FeedwatchTestSupport
import Testing

@Suite struct RuleEngineTests {
    @Test func keywordsMatchAnyWholeWordIgnoringCase() throws {
        let engine = try RuleCompiler.compile(
            rules: [rule("ca", keywords: ["Kazakhstan", "Central Asia"])], termLists: [])
        let matched = try #require(engine.match(item(title: "KAZAKHSTAN and central  asia")).first)
        #expect(matched.rule == "ca")
        #expect(matched.terms == ["KAZAKHSTAN", "central  asia"])
        #expect(engine.match(item(title: "Kazakhstani and Asian")).isEmpty)
    }

    @Test func booleanOperatorsAndGrouping() throws {
        let query = "(summit OR talks) AND (Dushanbe OR Astana) AND NOT ASEAN"
        #expect(try terms(query: query, in: item(title: "Summit in Dushanbe")) == ["Summit", "Dushanbe"])
        #expect(try terms(query: query, in: item(title: "Talks", summary: "Held in Astana")) == ["Talks", "Astana"])
        #expect(try terms(query: query, in: item(title: "Summit in Jakarta")) == nil)
        #expect(try terms(query: query, in: item(title: "ASEAN summit with Astana guests")) == nil)
        // AND binds tighter than OR.
        #expect(try terms(query: "Dushanbe OR summit AND Astana", in: item(title: "summit")) == nil)
    }

    @Test func onlySatisfiedBranchesAreReported() throws {
        let query = "(Bishkek AND summit) OR Astana"
        #expect(try terms(query: query, in: item(title: "Bishkek and Astana")) == ["Astana"])
    }

    @Test func phrasesNeedTheirWordsInOrder() throws {
        let query = #""council of heads of state""#
        #expect(try terms(query: query, in: item(summary: "The Council of Heads of State met")) == ["Council of Heads of State"])
        #expect(try terms(query: query, in: item(summary: "heads of state council")) == nil)
    }

    @Test func wildcardsInsideAPhrase() throws {
        let query = #""совет* глав* государств*""#
        #expect(try terms(query: query, in: item(title: "На заседании Совета глав государств")) == ["Совета глав государств"])
        #expect(try terms(query: query, in: item(title: "Совет министров глав")) == nil)
        // A short prefix is allowed when other words of the phrase narrow it down.
        #expect(try terms(query: #""Алма Ат*""#, in: item(title: "жители Алма-Аты")) == ["Алма-Аты"])
    }

    @Test func proximityCountsWordsInEitherOrder() throws {
        let query = "summit NEAR/3 Dushanbe"
        #expect(try terms(query: query, in: item(summary: "The summit was held in Dushanbe")) == ["summit", "Dushanbe"])
        #expect(try terms(query: query, in: item(summary: "Dushanbe hosts a summit")) == ["Dushanbe", "summit"])
        #expect(try terms(query: query, in: item(summary: "The summit, long delayed and much debated, came to Dushanbe")) == nil)
        // Never across fields.
        #expect(try terms(query: query, in: item(title: "A summit", summary: "Dushanbe")) == nil)
        #expect(try terms(query: "(summit OR talks) NEAR/0 @cities", in: item(title: "Talks Dushanbe"), lists: [list("cities", ["Dushanbe"])]) == ["Talks", "Dushanbe"])
    }

    @Test func fieldScopesRestrictWhereTermsCount() throws {
        let scoped = item(title: "Oil prices", summary: "Dushanbe", categories: ["Tajikistan"], link: "https://example.org/astana-news")
        #expect(try terms(query: "title:Dushanbe", in: scoped) == nil)
        #expect(try terms(query: "summary:Dushanbe", in: scoped) == ["Dushanbe"])
        #expect(try terms(query: "categories:(Tajikistan OR Kyrgyzstan)", in: scoped) == ["Tajikistan"])
        #expect(try terms(query: "Astana", in: scoped) == nil)
        #expect(try terms(query: "link:Astana", in: scoped) == ["astana"])
        let engine = try RuleCompiler.compile(rules: [rule("r", keywords: ["Dushanbe"], fields: ["title"])], termLists: [])
        #expect(engine.match(scoped).isEmpty)
    }

    @Test func caseSensitiveTermsKeepAcronymsApart() throws {
        #expect(try terms(query: "=CIS", in: item(title: "CIS summit")) == ["CIS"])
        #expect(try terms(query: "=CIS", in: item(title: "a cis isomer")) == nil)
        #expect(try terms(query: "=СНГ", in: item(title: "саммит СНГ")) == ["СНГ"])
        #expect(try terms(query: "=СНГ", in: item(title: "сНГ")) == nil)
        #expect(try terms(query: #"="Oliy Majlis""#, in: item(title: "the oliy majlis")) == nil)
        #expect(try terms(query: "=EAEU*", in: item(title: "EAEUs and eaeu")) == ["EAEUs"])
    }

    @Test func namedListsAreSharedAcrossRules() throws {
        let capitals = list("capitals", ["Astana", "Душанбе*", "\"Nur-Sultan\"", "=OSH"])
        let engine = try RuleCompiler.compile(
            rules: [rule("a", query: "@capitals"), rule("b", query: "summit AND @capitals")], termLists: [capitals])
        #expect(engine.match(item(title: "Nur Sultan summit")).map(\.rule) == ["a", "b"])
        #expect(engine.match(item(title: "В Душанбе")).map(\.rule) == ["a"])
        #expect(engine.match(item(title: "osh summit")).isEmpty)
    }

    @Test func exclusionStopsARule() throws {
        let engine = try RuleCompiler.compile(
            rules: [rule("ca", keywords: ["Astana"], exclude: #""Astana format" AND Syria*"#)], termLists: [])
        #expect(engine.match(item(title: "Astana format talks on Syria")).isEmpty)
        #expect(engine.match(item(title: "Astana format", summary: "Kazakh capital")).map(\.rule) == ["ca"])
    }

    @Test func evidenceWeighsWhereAndHowOften() throws {
        let engine = try RuleCompiler.compile(
            rules: [rule("ca", keywords: ["Dushanbe"], minScore: 3)], termLists: [])
        let deep = String(repeating: "filler words about the weather ", count: 30)
        // A headline naming only the capital fires.
        let headline = try #require(engine.match(item(title: "Dushanbe", content: deep)).first)
        #expect(headline.score == EvidenceWeights.title)
        // A passing mention deep in the body does not.
        #expect(engine.match(item(title: "Weather", content: deep + "Dushanbe was mentioned once.")).isEmpty)
        // A story that keeps coming back to it does.
        let repeated = item(title: "Weather", content: deep + "Dushanbe, Dushanbe, and Dushanbe again, and Dushanbe, Dushanbe, Dushanbe.")
        #expect(try #require(engine.match(repeated).first).score == 6 * EvidenceWeights.contentBody)
        // Without min_score, any mention fires.
        let plain = try RuleCompiler.compile(rules: [rule("ca", keywords: ["Dushanbe"])], termLists: [])
        #expect(plain.match(item(content: deep + "Dushanbe")).count == 1)
    }

    @Test func hitsSayWhereTheTermIsWritten() throws {
        let engine = try RuleCompiler.compile(rules: [rule("ca", query: "Бишкек* OR Astana")], termLists: [])
        let found = try #require(
            engine.match(item(title: "Saw Astana", summary: "«Бишкеке» ok", categories: ["news", "ASTANA"])).first)
        #expect(found.hits.map(\.text) == ["Astana", "Бишкеке", "ASTANA"])
        #expect(found.hits.map(\.field) == [.title, .summary, .categories])
        #expect(found.hits[1].utf8Range == 2..<16)
        #expect(found.hits[2].element == 1)
        #expect(found.terms == ["Astana", "Бишкеке", "ASTANA"])
    }

    @Test func keywordsAndQueryEitherMayFire() throws {
        let engine = try RuleCompiler.compile(
            rules: [rule("r", keywords: ["Bishkek"], query: "summit AND Astana")], termLists: [])
        #expect(engine.match(item(title: "Bishkek")).count == 1)
        #expect(engine.match(item(title: "summit Astana")).count == 1)
        #expect(engine.match(item(title: "Astana")).isEmpty)
    }

    @Test func manyKeywordsCompileToOneAutomaton() throws {
        let keywords = (0..<1000).map { "keyword\($0)" }
        let engine = try RuleCompiler.compile(rules: [rule("many", keywords: keywords)], termLists: [])
        #expect(engine.patternCount == 1000)
        #expect(try #require(engine.match(item(content: "a keyword999 and keyword5")).first).terms == ["keyword999", "keyword5"])
        #expect(engine.match(item(content: "keyword1000")).isEmpty)
    }
}

@Suite struct MatchSnippetTests {
    @Test func excerptCentresOnTheBodyAndMarksEveryTermInIt() throws {
        let engine = try RuleCompiler.compile(rules: [rule("r", query: "Astana OR Almaty")], termLists: [])
        let text = String(repeating: "word ", count: 30) + "from Astana to Almaty" + String(repeating: " more", count: 30)
        let news = item(title: "Astana", content: text)
        let found = try #require(engine.match(news).first)
        let snippet = try #require(MatchSnippet.best(for: found, in: news, radius: 12))
        #expect(snippet.field == .content)
        #expect(snippet.rendered { "[\($0)]" } == "…word from [Astana] to [Almaty]…")
    }

    @Test func titleOnlyMatchesQuoteTheTitle() throws {
        let engine = try RuleCompiler.compile(rules: [rule("r", keywords: ["Bishkek"])], termLists: [])
        let news = item(title: "Smog in Bishkek")
        let found = try #require(engine.match(news).first)
        let snippet = try #require(MatchSnippet.best(for: found, in: news))
        #expect(snippet.parts.map(\.text) == ["Smog in ", "Bishkek"])
        #expect(snippet.parts.map(\.isTerm) == [false, true])
    }
}

@Suite struct AutomatonAgreementTests {
    /// Words over a tiny alphabet share prefixes and suffixes everywhere, which drives the automaton
    /// through dense rows, sparse edges and long failure chains; a plain word-list search is the referee.
    @Test func findsExactlyWhatAWordByWordSearchFinds() throws {
        var generator = SeededRandom(seed: 2026)
        func word() -> String {
            String((0..<Int.random(in: 1...5, using: &generator)).map { _ in "abcd".randomElement(using: &generator) ?? "a" })
        }
        let keywords = Array(Set((0..<400).map { _ in Bool.random(using: &generator) ? word() : "\(word()) \(word())" }))
        let engine = try RuleCompiler.compile(
            rules: keywords.enumerated().map { rule("k\($0.offset)", keywords: [$0.element]) }, termLists: [])
        for _ in 0..<200 {
            let words = (0..<40).map { _ in word() }
            let text = words.joined(separator: [" ", ", ", "-", " "].randomElement(using: &generator) ?? " ")
            let expected = Set(keywords.enumerated().compactMap { index, keyword -> String? in
                let parts = keyword.split(separator: " ").map(String.init)
                let found = (0...(words.count - parts.count)).contains { Array(words[$0..<$0 + parts.count]) == parts }
                return found ? "k\(index)" : nil
            })
            #expect(Set(engine.match(item(content: text)).map(\.rule)) == expected, "\(text)")
        }
    }
}
