import FeedwatchCore
import Foundation

/// A compiled rule set: matches feed items against every rule with one scan of the item's text.
///
/// Build one with ``RuleCompiler/compile(rules:termLists:options:)``; it is immutable and safe to share.
public struct RuleEngine: Sendable {
    /// Text handling shared by all rules of an engine.
    public struct Options: Sendable, Equatable {
        /// Whether Latin letters match without their diacritics (Türkmenistan ≡ Turkmenistan, Özbekiston ≡
        /// Ozbekiston). Case-sensitive terms (`=Term`) always compare diacritics.
        public var foldDiacritics: Bool

        public init(foldDiacritics: Bool = true) {
            self.foldDiacritics = foldDiacritics
        }
    }

    public let options: Options
    let automaton: Automaton
    let patternIsPrefix: [Bool]
    /// How many words each pattern spans.
    private let patternWordCounts: [Int32]
    let rules: [CompiledRule]
    /// For each pattern, the rules it can make fire.
    private let rulesByPattern: [[Int32]]

    init(options: Options, patterns: [[UInt8]], patternIsPrefix: [Bool], rules: [CompiledRule]) {
        self.options = options
        automaton = Automaton(patterns: patterns)
        self.patternIsPrefix = patternIsPrefix
        // " a b " spans two words, and so does the prefix " a b".
        patternWordCounts = zip(patterns, patternIsPrefix).map { bytes, isPrefix in
            Int32(bytes.count { $0 == FoldedText.space } - (isPrefix ? 0 : 1))
        }
        searchPatterns = zip(patterns, patternIsPrefix).map { bytes, isPrefix in
            let words = FoldedEncoding.decode(bytes).trimmingCharacters(in: .whitespaces)
            return SearchPattern(words: words, isPrefix: isPrefix)
        }
        self.rules = rules
        var rulesByPattern = [[Int32]](repeating: [], count: patternIsPrefix.count)
        for (index, rule) in rules.enumerated() {
            for pattern in Set(rule.root.triggeringPatterns) { rulesByPattern[Int(pattern)].append(Int32(index)) }
        }
        self.rulesByPattern = rulesByPattern
    }

    /// The rules' names, in definition order.
    public var ruleNames: [String] { rules.map(\.name) }

    /// How many distinct search patterns all rules compiled to.
    public var patternCount: Int { patternIsPrefix.count }

    /// Every pattern of the automaton, for tools that compare the engine with other matchers.
    public let searchPatterns: [SearchPattern]

    /// The rules that match an item, in definition order, each with the evidence that made it match.
    public func match(_ item: FeedItem) -> [RuleMatch] {
        let text = fold(item)
        let hits = locatedHits(in: text)
        guard !hits.isEmpty else { return [] }

        var fires = [Bool](repeating: false, count: rules.count)
        var previous: Int32 = -1
        for hit in hits where hit.pattern != previous {
            previous = hit.pattern
            for rule in rulesByPattern[Int(hit.pattern)] { fires[Int(rule)] = true }
        }
        let evaluator = MatchEvaluator(text: text, hits: hits)
        return rules.indices.compactMap { fires[$0] ? evaluator.evaluate(rules[$0]) : nil }
    }

    /// The item's searchable fields folded into one buffer, in a fixed order.
    private func fold(_ item: FeedItem) -> FoldedText {
        var parts: [FoldedText.Part] = []
        parts.reserveCapacity(4 + item.categories.count)
        for (field, value) in [(ItemField.title, item.title), (.summary, item.summary), (.content, item.content)] {
            if let value { parts.append(FoldedText.Part(field: field, element: 0, text: value)) }
        }
        for (index, category) in item.categories.enumerated() {
            parts.append(FoldedText.Part(field: .categories, element: index, text: category))
        }
        if let link = item.link { parts.append(FoldedText.Part(field: .link, element: 0, text: link)) }
        return FoldedText(parts, foldDiacritics: options.foldDiacritics)
    }

    /// Every occurrence of a pattern as word positions, sorted by pattern then position.
    private func locatedHits(in text: FoldedText) -> [PatternHit] {
        var hits: [PatternHit] = []
        let words = text.words
        var last = 0
        automaton.scan(text.bytes) { pattern, end in
            // Occurrences arrive in text order, so the word holding each one's last byte (a word's range
            // runs up to the next word's start) is found by walking forward from the previous one.
            while last + 1 < words.count, Int(words[last + 1].start) < end { last += 1 }
            hits.append(
                PatternHit(
                    pattern: pattern, segment: words[last].segment,
                    first: Int32(last) - patternWordCounts[Int(pattern)] + 1, last: Int32(last)))
        }
        hits.sort { $0.pattern != $1.pattern ? $0.pattern < $1.pattern : $0.first < $1.first }
        return hits
    }
}

/// A pattern of the automaton: folded words (see the README, "Text handling") separated by single spaces.
public struct SearchPattern: Sendable, Equatable {
    public var words: String
    /// Whether the last word may continue (`Казахстан*`); otherwise the pattern matches whole words only.
    public var isPrefix: Bool
}

/// Where a pattern occurred: words `first...last` of segment `segment`.
struct PatternHit {
    var pattern: Int32
    var segment: Int32
    var first: Int32
    var last: Int32
}
