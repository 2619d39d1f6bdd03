import FeedwatchCore

/// A short excerpt around a rule's best evidence, with its terms marked, for people reading matches.
public struct MatchSnippet: Sendable, Equatable {
    /// A run of the excerpt: a matched term or the text between terms.
    public struct Part: Sendable, Equatable {
        public var text: String
        public var isTerm: Bool
    }

    public var field: ItemField
    /// The excerpt in order; it begins or ends with "…" where the field's text was cut.
    public var parts: [Part]

    /// The excerpt with each term passed through `mark`, such as an ANSI colour or brackets.
    public func rendered(marking mark: (String) -> String) -> String {
        parts.map { $0.isTerm ? mark($0.text) : $0.text }.joined()
    }

    /// The excerpt around the weightiest occurrence outside the title (the title is shown anyway), or in
    /// the title when that is all there is, with every occurrence inside the excerpt marked.
    ///
    /// - Parameter radius: how many characters to keep on each side of the chosen occurrence.
    public static func best(for match: RuleMatch, in item: FeedItem, radius: Int = 60) -> MatchSnippet? {
        let body = match.hits.filter { $0.field != .title }
        guard let anchor = (body.isEmpty ? match.hits : body).max(by: { $0.weight < $1.weight }),
            let text = text(of: anchor, in: item)
        else { return nil }
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        let start = text.index(index(anchor.utf8Range.lowerBound), offsetBy: -radius, limitedBy: text.startIndex)
        let end = text.index(index(anchor.utf8Range.upperBound), offsetBy: radius, limitedBy: text.endIndex)
        let anchorRange = index(anchor.utf8Range.lowerBound)..<index(anchor.utf8Range.upperBound)
        let words = wholeWords(in: text, from: start ?? text.startIndex, to: end ?? text.endIndex)
        let window = min(words.lowerBound, anchorRange.lowerBound)..<max(words.upperBound, anchorRange.upperBound)

        var parts: [Part] = []
        if window.lowerBound > text.startIndex { parts.append(Part(text: "…", isTerm: false)) }
        var cursor = window.lowerBound
        let terms = match.hits
            .filter { $0.field == anchor.field && $0.element == anchor.element }
            .map { index($0.utf8Range.lowerBound)..<index($0.utf8Range.upperBound) }
            .filter { window.contains($0.lowerBound) && $0.upperBound <= window.upperBound }
            .sorted { $0.lowerBound < $1.lowerBound }
        for term in terms where term.lowerBound >= cursor {
            if cursor < term.lowerBound { parts.append(Part(text: String(text[cursor..<term.lowerBound]), isTerm: false)) }
            parts.append(Part(text: String(text[term]), isTerm: true))
            cursor = term.upperBound
        }
        if cursor < window.upperBound { parts.append(Part(text: String(text[cursor..<window.upperBound]), isTerm: false)) }
        if window.upperBound < text.endIndex { parts.append(Part(text: "…", isTerm: false)) }
        return MatchSnippet(field: anchor.field, parts: parts)
    }

    /// The range narrowed to whole words where it cuts into the text, without spaces at its edges.
    private static func wholeWords(in text: String, from start: String.Index, to end: String.Index)
        -> Range<String.Index>
    {
        var lower = start
        if lower > text.startIndex, !text[text.index(before: lower)].isWhitespace {
            lower = text[lower..<end].firstIndex(where: \.isWhitespace) ?? lower
        }
        var upper = end
        if upper < text.endIndex, !text[upper].isWhitespace {
            upper = text[lower..<upper].lastIndex(where: \.isWhitespace) ?? upper
        }
        while lower < upper, text[lower].isWhitespace { lower = text.index(after: lower) }
        while upper > lower, text[text.index(before: upper)].isWhitespace { upper = text.index(before: upper) }
        return lower..<upper
    }

    private static func text(of hit: TermHit, in item: FeedItem) -> String? {
        switch hit.field {
        case .title: item.title
        case .summary: item.summary
        case .content: item.content
        case .categories: item.categories.indices.contains(hit.element) ? item.categories[hit.element] : nil
        case .link: item.link
        }
    }
}
