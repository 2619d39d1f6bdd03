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
    let rules: [CompiledRule]
    /// For each pattern, the rules it can make fire.
    private let rulesByPattern: [[Int32]]

    init(options: Options, patterns: [[UInt8]], patternIsPrefix: [Bool], rules: [CompiledRule]) {
        self.options = options
        automaton = Automaton(patterns: patterns)
        self.patternIsPrefix = patternIsPrefix
        searchPatterns = zip(patterns, patternIsPrefix).map { bytes, isPrefix in
            let words = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
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
        var rawHits: [(pattern: Int32, end: Int)] = []
        automaton.scan(text.folded) { pattern, end in rawHits.append((pattern, end)) }
        guard !rawHits.isEmpty else { return [] }

        var candidates: [Int32] = []
        for hit in rawHits { candidates += rulesByPattern[Int(hit.pattern)] }
        guard !candidates.isEmpty else { return [] }
        candidates.sort()

        let evaluator = MatchEvaluator(text: text, hits: locate(rawHits, in: text))
        var previous: Int32 = -1
        return candidates.compactMap { rule in
            defer { previous = rule }
            return rule == previous ? nil : evaluator.evaluate(rules[Int(rule)])
        }
    }

    /// The item's searchable fields folded into one buffer, in a fixed order.
    private func fold(_ item: FeedItem) -> FoldedText {
        var parts: [(ItemField, Int, String)] = []
        for (field, value) in [(ItemField.title, item.title), (.summary, item.summary), (.content, item.content)] {
            if let value { parts.append((field, 0, value)) }
        }
        for (index, category) in item.categories.enumerated() { parts.append((.categories, index, category)) }
        if let link = item.link { parts.append((.link, 0, link)) }
        let size = parts.reduce(0) { $0 + $1.2.utf8.count + 2 }
        var text = FoldedText(foldDiacritics: options.foldDiacritics, capacity: size)
        for (field, element, value) in parts { text.append(value, field: field, element: element) }
        return text
    }

    /// Turns automaton hits (pattern, end byte) into word positions, sorted by pattern then position.
    private func locate(_ rawHits: [(pattern: Int32, end: Int)], in text: FoldedText) -> [PatternHit] {
        var hits = rawHits.map { raw -> PatternHit in
            let length = Int(automaton.patternLengths[Int(raw.pattern)])
            let first = text.wordIndex(containing: raw.end - length + 1)
            // A whole-word pattern ends with the space after its last word; a prefix ends inside it.
            let last = text.wordIndex(containing: patternIsPrefix[Int(raw.pattern)] ? raw.end - 1 : raw.end - 2)
            let segment = text.segmentIndex(ofWord: first)
            return PatternHit(pattern: raw.pattern, segment: Int32(segment), first: Int32(first), last: Int32(last))
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
