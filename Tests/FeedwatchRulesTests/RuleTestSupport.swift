import FeedwatchCore
import FeedwatchRules

/// A rule built in code; query and exclude strings are located at line 1, column 1 of `rules.toml`
/// so tests can check where diagnostics point.
func rule(
    _ name: String, keywords: [String] = [], query: String? = nil, exclude: String? = nil, minScore: Double? = nil,
    fields: [String]? = nil
) -> RuleDefinition {
    let start = SourceLocation(file: "rules.toml", line: 1, column: 1)
    return RuleDefinition(
        name: Located(name, at: start), keywords: keywords.map { Located($0, at: start) },
        query: query.map { Located($0, at: start) }, exclude: exclude.map { Located($0, at: start) },
        minScore: minScore.map { Located($0, at: start) }, fields: fields?.map { Located($0, at: start) })
}

func list(_ name: String, _ terms: [String]) -> TermListDefinition {
    let start = SourceLocation(file: "rules.toml", line: 1, column: 1)
    return TermListDefinition(name: Located(name, at: start), terms: terms.map { Located($0, at: start) })
}

func item(
    title: String? = nil, summary: String? = nil, content: String? = nil, categories: [String] = [],
    link: String? = nil
) -> FeedItem {
    FeedItem(id: "test", title: title, link: link, categories: categories, summary: summary, content: content)
}

/// Compiles one query rule named `q` and returns the terms it found in `item`, or nil when it did not match.
func terms(
    query: String, in item: FeedItem, lists: [TermListDefinition] = [], options: RuleEngine.Options = .init()
) throws -> [String]? {
    let engine = try RuleCompiler.compile(rules: [rule("q", query: query)], termLists: lists, options: options)
    return engine.match(item).first?.terms
}

/// The diagnostics a broken rule set produces.
func diagnostics(_ rules: [RuleDefinition], lists: [TermListDefinition] = []) -> [Diagnostic] {
    do {
        _ = try RuleCompiler.compile(rules: rules, termLists: lists)
        return []
    } catch {
        return error.diagnostics
    }
}
