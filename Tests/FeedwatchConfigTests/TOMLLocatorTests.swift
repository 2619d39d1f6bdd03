import Testing

@testable import FeedwatchConfig

@Suite struct TOMLLocatorTests {
    private static let text = """
        # comment with = and [brackets] and "quotes"
        alert_log = "/tmp/a.jsonl"   # trailing
        fetch.timeout = '30s'
        rule_files = [
          "one.toml",  # first
          'two.toml',
        ]

        [terms]
        capitals = ["Astana", "Душанбе*", "Bishkek"]
        "quoted key" = []

        [[feed]]
        url = "https://a.example/rss"

        [[feed]]
        url = "https://b.example/rss"
        headers = { "X-Key" = "v", Auth = { value_env = "TOKEN" } }
        [feed.auth]
        username = "u"

        [[rule]]
        name = "r"
        query = '''
        Kazakhstan AND
          summit'''
        exclude = \"\"\"x \\" y\"\"\"
        min_score = 2.5
        """

    private func position(_ path: String, in locator: TOMLLocator, value: Bool = true) -> String? {
        let table = value ? locator.values : locator.keys
        return table.first { $0.key.description == path }.map { "\($0.value.line):\($0.value.column)" }
    }

    @Test func findsKeysAndValuesAcrossEveryConstruct() {
        let locator = TOMLLocator(scanning: Self.text)
        #expect(position("alert_log", in: locator, value: false) == "2:1")
        #expect(position("alert_log", in: locator) == "2:14")
        #expect(position("fetch.timeout", in: locator, value: false) == "3:7")
        #expect(position("fetch.timeout", in: locator) == "3:18")
        #expect(position("rule_files", in: locator) == "4:14")
        #expect(position("rule_files[0]", in: locator) == "5:4")
        #expect(position("rule_files[1]", in: locator) == "6:4")
        #expect(position("terms.capitals[1]", in: locator) == "10:24")
        #expect(position("terms.capitals[2]", in: locator) == "10:36")
        #expect(position("terms.\"quoted key\"", in: locator, value: false) == "11:1")
    }

    @Test func numbersArraysOfTablesAndResolvesSubtablesToTheLatestElement() {
        let locator = TOMLLocator(scanning: Self.text)
        #expect(position("feed[0]", in: locator, value: false) == "13:3")
        #expect(position("feed[0].url", in: locator) == "14:8")
        #expect(position("feed[1].url", in: locator) == "17:8")
        #expect(position("feed[1].headers", in: locator) == "18:11")
        #expect(position("feed[1].headers.X-Key", in: locator) == "18:24")
        #expect(position("feed[1].headers.Auth.value_env", in: locator) == "18:50")
        #expect(position("feed[1].auth", in: locator, value: false) == "19:7")
        #expect(position("feed[1].auth.username", in: locator) == "20:13")
    }

    @Test func pointsInsideMultilineStringsAfterTheTrimmedNewline() {
        let locator = TOMLLocator(scanning: Self.text)
        #expect(position("rule[0].query", in: locator) == "25:1")
        #expect(position("rule[0].exclude", in: locator) == "27:14")
        #expect(position("rule[0].min_score", in: locator) == "28:13")
    }

    @Test func pathsReadTheWayTheReadmeWritesThem() {
        let path = TOMLPath.root.appending("terms").appending("capitals").appending(index: 3)
        #expect(path.description == "terms.capitals[3]")
        #expect(TOMLPath.root.appending("headers").appending("X Key").description == "headers.\"X Key\"")
        #expect(path.parent?.description == "terms.capitals")
    }
}
