import FeedwatchCore
import FeedwatchRules
import Foundation

/// The baseline the rules engine is measured against: one regular expression per term, each run over the
/// whole text of every item — what a quick script does, and what the engine must beat by 10x.
///
/// It finds terms only; the boolean structure of a full rule (AND, NOT, NEAR, scores) is not evaluated,
/// which flatters the baseline.
struct NaiveRegexMatcher {
    /// A term as words in order; the last word may continue when `isPrefix` (`Казахстан*`).
    struct Term {
        var words: [String]
        var isPrefix: Bool
    }

    private let expressions: [NSRegularExpression]

    /// Case-insensitive, whole-word expressions; a word edge is any letter or digit of any script, so
    /// Cyrillic terms get the same treatment as Latin ones, and the words of a phrase may be separated by
    /// any run of other characters, as the engine allows.
    init(terms: [Term]) throws {
        let edge = "[\\p{L}\\p{N}]"
        expressions = try terms.map { term in
            let body = term.words.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "[^\\p{L}\\p{N}]+")
            let pattern = "(?<!\(edge))" + body + (term.isPrefix ? "" : "(?!\(edge))")
            return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }
    }

    /// Plain keywords: whole words, any of them.
    static func terms(keywords: [String]) -> [Term] {
        keywords.map { Term(words: $0.split(whereSeparator: \.isWhitespace).map(String.init), isPrefix: false) }
    }

    /// Every search pattern a compiled rule set holds (folded: lowercase, ё as е, Latin diacritics removed).
    static func terms(of engine: RuleEngine) -> [Term] {
        engine.searchPatterns.map { Term(words: $0.words.split(separator: " ").map(String.init), isPrefix: $0.isPrefix) }
    }

    /// How many of the terms occur in the item's title, summary, content or categories.
    func matchingTermCount(in item: FeedItem) -> Int {
        let text = [item.title, item.summary, item.content, item.categories.joined(separator: " ")]
            .compactMap { $0 }
            .joined(separator: "\n")
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        var count = 0
        for expression in expressions where expression.firstMatch(in: text, range: range) != nil {
            count += 1
        }
        return count
    }
}
