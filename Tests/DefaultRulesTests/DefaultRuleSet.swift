import FeedwatchConfig
import FeedwatchCore
import FeedwatchRules
import Foundation

/// The shipped rule set, loaded the way the daemon loads it: through `config/feedwatch.toml`.
enum DefaultRuleSet {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> RuleEngine {
        let path = repositoryRoot.appendingPathComponent("config/feedwatch.toml").path
        return try Configuration.load(from: path, environment: [:]).rules.engine
    }

    /// The rules that fire on an item.
    static func rules(_ engine: RuleEngine, _ item: FeedItem) -> Set<String> {
        Set(engine.match(item).map(\.rule))
    }
}

/// One line of `Labelled/examples.jsonl`.
struct LabelledExample: Decodable {
    var id: String
    var lang: String
    var title: String
    var summary: String?
    var content: String?
    var categories: [String]
    var labels: [String]
    var note: String

    var item: FeedItem {
        FeedItem(id: id, title: title, categories: categories, summary: summary, content: content)
    }

    static func all() throws -> [LabelledExample] {
        guard let url = Bundle.module.url(forResource: "examples", withExtension: "jsonl", subdirectory: "Labelled")
        else { throw CocoaError(.fileNoSuchFile) }
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(LabelledExample.self, from: Data($0.utf8))
        }
    }
}
