import ArgumentParser
import FeedwatchConfig
import FeedwatchCore
import FeedwatchRules
import Foundation

/// `feedwatch-bench match`: items per second of a matcher over ~2 KB items, on one thread.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match JSON-lines items against keywords or a config's rules and print items/s as one JSON line."
    )

    enum Engine: String, ExpressibleByArgument, CaseIterable {
        /// feedwatch's rules engine: every rule compiled into one automaton, one scan per item.
        case feedwatch
        /// One NSRegularExpression per keyword.
        case naive
    }

    @Option(help: "JSON lines of items (bench/gen_corpus.py --items).")
    var items: String

    @Option(help: "Keywords, one per line (bench/gen_corpus.py --keywords): one rule, any of them.")
    var keywords: String?

    @Option(help: "A feedwatch config whose rules to use (config/feedwatch.toml for the default rules).")
    var config: String?

    @Option(help: "Which matcher: \(Engine.allCases.map(\.rawValue).joined(separator: ", ")).")
    var engine: Engine

    @Option(help: "Read at most this many items.")
    var limit: Int?

    func validate() throws {
        guard (keywords == nil) != (config == nil) else { throw ValidationError("give one of --keywords and --config") }
    }

    func run() throws {
        let loaded = try ItemFile.load(path: items, limit: limit)
        let keywordList = try keywords.map(ItemFile.keywords(path:))
        let compileClock = PhaseClock()
        let (termsFound, termCount) = try compile(keywords: keywordList)
        let compiled = compileClock.elapsed()

        let matchClock = PhaseClock()
        var matchedItems = 0
        var termHits = 0
        for item in loaded {
            let hits = termsFound(item)
            termHits += hits
            if hits > 0 { matchedItems += 1 }
        }
        let matched = matchClock.elapsed()
        let textBytes = loaded.reduce(0) { total, item in
            total + [item.title, item.summary, item.content].compactMap { $0?.utf8.count }.reduce(0, +)
        }
        let line: JSONValue = .object([
            ("engine", .string(engine.rawValue)),
            ("rules", .string(config ?? "keywords")),
            ("terms", .int(termCount)),
            ("items", .int(loaded.count)),
            ("text_bytes", .int(textBytes)),
            ("matched_items", .int(matchedItems)),
            ("term_hits", .int(termHits)),
            ("compile_seconds", .double(compiled.wall)),
            ("match_seconds", .double(matched.wall)),
            ("match_cpu_seconds", .double(matched.cpu)),
            ("items_per_cpu_second", .double(Double(loaded.count) / matched.cpu)),
        ])
        print(line.serialized())
    }

    /// The chosen matcher, as a function from an item to how many terms it found there, and how many
    /// terms (keywords, or the rule set's search patterns) it holds.
    private func compile(keywords: [String]?) throws -> ((FeedItem) -> Int, Int) {
        let rules: RuleEngine
        if let keywords {
            // The contract's simple form: one rule, any of the keywords, case-insensitive, whole words.
            let rule = RuleDefinition(name: Located("keywords"), keywords: keywords.map { Located($0) })
            rules = try RuleCompiler.compile(rules: [rule], termLists: [])
        } else if let config {
            rules = try Configuration.load(from: config).rules.engine
        } else {
            preconditionFailure("validate() lets no run through without --keywords or --config")
        }
        switch engine {
        case .feedwatch:
            return ({ item in rules.match(item).reduce(0) { $0 + $1.terms.count } }, rules.patternCount)
        case .naive:
            let terms = keywords.map(NaiveRegexMatcher.terms(keywords:)) ?? NaiveRegexMatcher.terms(of: rules)
            let matcher = try NaiveRegexMatcher(terms: terms)
            return (matcher.matchingTermCount(in:), terms.count)
        }
    }
}
