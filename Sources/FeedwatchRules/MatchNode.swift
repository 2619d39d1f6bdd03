/// A compiled query: terms are resolved to automaton patterns and field scopes pushed down to them.
indirect enum MatchNode: Sendable {
    /// A word or phrase, found by one pattern.
    case term(TermMatcher)
    /// A phrase with a wildcard before its last word: one pattern per word, in consecutive words.
    case sequence([TermMatcher])
    /// Both sides within `distance` words of each other, in either order, in the same field.
    case near(MatchNode, MatchNode, distance: Int)
    /// Any of many terms, keyed by pattern, so evaluation visits only the patterns an item contains
    /// (a rule of 1,000 keywords costs what its hits cost, not 1,000 look-ups).
    case anyTerm([Int32: [TermMatcher]])
    case any([MatchNode])
    case all([MatchNode])
    case not(MatchNode)

    /// The OR of `nodes`, with nested ORs flattened and plain terms gathered into one ``anyTerm``.
    static func either(_ nodes: [MatchNode]) -> MatchNode {
        var terms: [Int32: [TermMatcher]] = [:]
        var others: [MatchNode] = []
        func gather(_ node: MatchNode) {
            switch node {
            case .term(let term): terms[term.pattern, default: []].append(term)
            case .anyTerm(let byPattern): terms.merge(byPattern, uniquingKeysWith: +)
            case .any(let children): children.forEach(gather)
            default: others.append(node)
            }
        }
        nodes.forEach(gather)
        if terms.count == 1, let only = terms.first, only.value.count == 1, others.isEmpty { return .term(only.value[0]) }
        if !terms.isEmpty { others.insert(.anyTerm(terms), at: 0) }
        return others.count == 1 ? others[0] : .any(others)
    }

    /// Whether the node reports where it matched (and so may stand beside NEAR).
    var isPositional: Bool {
        switch self {
        case .term, .sequence, .near, .anyTerm: true
        case .any(let children): children.allSatisfy(\.isPositional)
        case .all, .not: false
        }
    }

    /// Whether the node can only hold when at least one of its patterns occurs. Rules are evaluated only
    /// for items where one of their patterns occurred, so a query must have this property.
    var needsAHit: Bool {
        switch self {
        case .term, .sequence, .near, .anyTerm: true
        case .all(let children): children.contains(where: \.needsAHit)
        case .any(let children): children.allSatisfy(\.needsAHit)
        case .not: false
        }
    }

    /// The patterns whose occurrence can make the node hold (those not under NOT).
    var triggeringPatterns: [Int32] {
        switch self {
        case .term(let term): [term.pattern]
        case .sequence(let terms): terms.map(\.pattern)
        case .anyTerm(let byPattern): Array(byPattern.keys)
        case .near(let left, let right, _): left.triggeringPatterns + right.triggeringPatterns
        case .any(let children), .all(let children): children.flatMap(\.triggeringPatterns)
        case .not: []
        }
    }
}

/// One pattern with the conditions a hit must also meet.
struct TermMatcher: Sendable {
    var pattern: Int32
    var fields: FieldSet
    /// For a case-sensitive term: each word as it must be written (after NFKC); the last one is a prefix
    /// when `lastWordIsPrefix`.
    var exactWords: [String]?
    var lastWordIsPrefix: Bool
}
