import FeedwatchCore
import Foundation

/// The baseline the rules engine is measured against: one regular expression per keyword, each run
/// over the whole text of every item — what a quick script does, and what the engine must beat by 10x.
struct NaiveRegexMatcher {
    private let expressions: [NSRegularExpression]

    /// Case-insensitive, whole-word expressions; a "word" edge is any letter or digit of any script,
    /// so Cyrillic keywords get the same treatment as Latin ones.
    init(keywords: [String]) throws {
        expressions = try keywords.map { keyword in
            let pattern = "(?<![\\p{L}\\p{N}])" + NSRegularExpression.escapedPattern(for: keyword) + "(?![\\p{L}\\p{N}])"
            return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }
    }

    /// How many of the keywords occur in the item's title, summary, content or categories.
    func matchingKeywordCount(in item: FeedItem) -> Int {
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
