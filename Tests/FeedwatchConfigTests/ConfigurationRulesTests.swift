import FeedwatchConfig
import FeedwatchCore
import FeedwatchRules
import Foundation
import Testing

@Suite struct ConfigurationRulesTests {
    private static let ruleFile = """
        [terms]
        capitals = ["Astana", "Душанбе*", "Bishkek"]

        [[rule]]
        name = "central-asia"
        description = "The five states"
        keywords = ["Kazakhstan", "Central Asia"]
        min_score = 3

        [[rule]]
        name = "capitals"
        query = '''
        @capitals AND
          (summit OR talks)'''
        exclude = "football"
        fields = ["title", "summary"]
        min_score = 1.5
        """

    @Test func rulesAndTermsFromTheConfigAndItsRuleFilesCompileIntoOneEngine() throws {
        let fixture = try ConfigFixture(
            """
            rule_files = ["rules/asia.toml"]
            fold_diacritics = false
            [terms]
            meetings = ["summit", "саммит*"]
            [[rule]]
            name = "meetings"
            query = "@meetings"
            [[feed]]
            url = "https://example.org/rss"
            rules = ["capitals", "meetings"]
            """,
            files: ["rules/asia.toml": Self.ruleFile])
        let configuration = try fixture.load()
        let rules = configuration.rules
        #expect(rules.names == ["meetings", "central-asia", "capitals"])
        #expect(rules.engine.ruleNames == ["meetings", "central-asia", "capitals"])
        #expect(rules.engine.options.foldDiacritics == false)
        #expect(rules.termLists.map(\.name.value) == ["meetings", "capitals"])
        #expect(configuration.ruleFiles == [fixture.file("rules/asia.toml")])
        #expect(configuration.feeds.first?.ruleNames == ["capitals", "meetings"])

        let ruleFile = fixture.file("rules/asia.toml")
        let asia = rules.definitions[1]
        #expect(asia.description == "The five states")
        #expect(asia.minScore?.value == 3.0)
        #expect(asia.name.location?.description == "\(ruleFile):5:9")
        #expect(asia.keywords.map { $0.location?.description } == ["\(ruleFile):7:14", "\(ruleFile):7:28"])
        let capitals = rules.definitions[2]
        #expect(capitals.query?.value == "@capitals AND\n  (summit OR talks)")
        #expect(capitals.query?.location?.description == "\(ruleFile):13:1")
        #expect(capitals.query?.location(ofOffset: 17)?.description == "\(ruleFile):14:4")
        #expect(capitals.fields?.map(\.value) == ["title", "summary"])
        #expect(capitals.minScore?.value == 1.5)
        let list = try #require(rules.termLists.last)
        #expect(list.name.location?.description == "\(ruleFile):2:1")
        #expect(list.terms[1].location?.description == "\(ruleFile):2:24")

        let item = FeedItem(id: "1", title: "Summit in Dushanbe", summary: "Leaders meet for talks in Душанбе.")
        #expect(rules.engine.match(item).map(\.rule).contains("meetings"))
    }

    @Test func aRuleThatDoesNotCompileIsShownInItsFileWithACaret() throws {
        let fixture = try ConfigFixture(
            #"rule_files = ["rules/bad.toml"]"#,
            files: [
                "rules/bad.toml": """
                [[rule]]
                name = "broken"
                query = '''
                Kazakhstan AND
                  (summit OR'''
                """
            ])
        #expect(throws: ConfigurationError.self) { try fixture.load() }
        do {
            _ = try fixture.load()
        } catch {
            let diagnostic = try #require(error.diagnostics.first)
            #expect(error.diagnostics.count == 1)
            #expect(diagnostic.location?.file == fixture.file("rules/bad.toml"))
            #expect(diagnostic.location?.line == 5)
            #expect(diagnostic.location?.column == 13)
            #expect(diagnostic.message == "rule 'broken': query: expected a term after OR")
            #expect(diagnostic.description.hasSuffix("\n  (summit OR'''\n            ^"))
        }
    }

    @Test func ruleFilesHoldOnlyTermsAndRulesAndEveryKeyIsChecked() throws {
        let fixture = try ConfigFixture(
            """
            rule_files = ["a.toml", "b.toml"]
            [[feed]]
            url = "https://example.org/rss"
            rules = ["centrl-asia"]
            """,
            files: [
                "a.toml": """
                alert_log = "/tmp/x"
                [terms]
                cities = ["Almaty"]
                [[rule]]
                name = "central-asia"
                keyword = ["Kazakhstan"]
                min_score = "high"
                """,
                "b.toml": """
                [terms]
                cities = ["Tashkent"]
                [[rule]]
                description = "no name"
                keywords = ["x"]
                [[rule]]
                name = "central-asia"
                keywords = ["Kyrgyzstan"]
                """,
            ])
        let a = fixture.file("a.toml")
        let b = fixture.file("b.toml")
        #expect(
            fixture.errors() == [
                "4:11: 'feed[0].rules' names the rule 'centrl-asia', which is not defined; did you mean 'central-asia'?",
                "\(a):1:1: unknown key 'alert_log'; a rule file holds only [terms] and [[rule]]",
                "\(a):5:9: rule 'central-asia' needs keywords or a query",
                "\(a):6:1: unknown key 'rule[0].keyword'; did you mean 'keywords'?",
                "\(a):7:14: 'rule[0].min_score' must be a number, not a string",
                "\(b):2:1: list 'cities' is defined twice",
                "\(b):3:3: missing required key 'rule[0].name'",
                "\(b):7:9: rule 'central-asia' is defined twice (first at \(a):5:9)",
            ])
    }
}
