/// A rule that matched an item, and why.
public struct RuleMatch: Sendable, Equatable {
    public var rule: String
    /// The evidence, summed over ``hits`` (see ``EvidenceWeights``).
    public var score: Double
    /// The words and phrases that made the rule match, as written in the item, each once, in reading order
    /// (title, summary, content, categories, link).
    public var terms: [String]
    /// Every occurrence behind ``terms``.
    public var hits: [TermHit]

    public init(rule: String, score: Double, terms: [String], hits: [TermHit]) {
        self.rule = rule
        self.score = score
        self.terms = terms
        self.hits = hits
    }
}

/// One occurrence of a matched term in an item.
public struct TermHit: Sendable, Equatable {
    /// The term as written in the item.
    public var text: String
    public var field: ItemField
    /// The index among the item's categories; 0 for other fields.
    public var element: Int
    /// Where `text` lies in the field's string, in UTF-8 code units.
    public var utf8Range: Range<Int>
    /// What this occurrence adds to the score.
    public var weight: Double

    public init(text: String, field: ItemField, element: Int, utf8Range: Range<Int>, weight: Double) {
        self.text = text
        self.field = field
        self.element = element
        self.utf8Range = utf8Range
        self.weight = weight
    }
}

/// How much one occurrence of a term counts towards a rule's `min_score`, by where it appears.
///
/// A headline names what a story is about, so one mention there is enough for a threshold of 3; a lead
/// (the summary, or the first ``leadWords`` words of the content) counts less, and a mention deep in the
/// body least, so a story about something else that names a place in passing stays below the threshold
/// unless it keeps coming back to it.
public enum EvidenceWeights {
    public static let title = 3.0
    public static let category = 2.0
    public static let summary = 2.0
    public static let contentLead = 1.0
    public static let contentBody = 0.5
    public static let link = 1.0
    /// How many words of the content count as its lead.
    public static let leadWords = 80

    /// The weight of an occurrence that starts `wordOffset` words into `field`.
    public static func weight(field: ItemField, wordOffset: Int) -> Double {
        switch field {
        case .title: title
        case .summary: summary
        case .content: wordOffset < leadWords ? contentLead : contentBody
        case .categories: category
        case .link: link
        }
    }
}
