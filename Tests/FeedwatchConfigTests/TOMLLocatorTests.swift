import Foundation
import TOMLKit
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

    @Test func textTOMLKitWouldRefuseStillEndsTheScan() {
        // Each of these once held a loop in place: a delimiter that closes nothing the scanner opened.
        for text in ["a = [ } ]\nb = 1\n", "a = { ] }\nb = 1\n", "a = [ 1, } , 2 ]\nb = 1\n"] {
            let locator = TOMLLocator(scanning: text)
            #expect(position("a", in: locator) == "1:5", "\(text)")
            #expect(locator.values.count < 10, "\(text)")
        }
    }

    @Test func pathsReadTheWayTheReadmeWritesThem() {
        let path = TOMLPath.root.appending("terms").appending("capitals").appending(index: 3)
        #expect(path.description == "terms.capitals[3]")
        #expect(TOMLPath.root.appending("headers").appending("X Key").description == "headers.\"X Key\"")
        #expect(path.parent?.description == "terms.capitals")
    }
}

/// The locator checked against TOMLKit on real files: every value TOMLKit returns has a position,
/// and each string's position holds its first character.
@Suite struct TOMLLocatorAgreementTests {
    private static let configFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config")

    @Test(arguments: ["feedwatch.toml", "rules/central-asia.toml", "rules/cis-meetings.toml"])
    func everyValueOfTheShippedFilesIsLocated(name: String) throws {
        let text = try String(contentsOf: Self.configFolder.appendingPathComponent(name), encoding: .utf8)
        let document = try TOMLDocument(path: name, text: text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        var checked = 0
        func visit(_ value: any TOMLValueConvertible, at path: TOMLPath) {
            if let table = value.table {
                for key in table.keys {
                    if let child = table[key] { visit(child, at: path.appending(key)) }
                }
            } else if let array = value.array {
                for (index, element) in array.enumerated() { visit(element, at: path.appending(index: index)) }
            } else {
                let location = document.valueLocation(path)
                #expect(location != nil, "no position for \(path)")
                guard let location, let string = value.string, let first = string.first else { return }
                let written = lines[location.line - 1][location.column - 1]
                #expect(written == first || written == "\\", "\(path) at \(location) reads '\(written)'")
                checked += 1
            }
        }
        visit(document.root, at: .root)
        #expect(checked > 0)
    }
}
