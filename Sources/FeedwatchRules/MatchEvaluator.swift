import Foundation

/// Evaluates compiled rules against one item's hits.
struct MatchEvaluator {
    /// Words `first...last` of one segment: one occurrence of a term.
    struct Occurrence: Hashable, Comparable {
        var segment: Int32
        var first: Int32
        var last: Int32

        init(segment: Int32, first: Int32, last: Int32) {
            self.segment = segment
            self.first = first
            self.last = last
        }

        init(_ hit: PatternHit) {
            self.init(segment: hit.segment, first: hit.first, last: hit.last)
        }

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.segment, lhs.first, lhs.last) < (rhs.segment, rhs.first, rhs.last)
        }
    }

    /// Where a positional node matched: the span it covers and the term occurrences inside it.
    struct Placement {
        var span: Occurrence
        var parts: [Occurrence]
    }

    let text: FoldedText
    /// Sorted by pattern, then position.
    let hits: [PatternHit]
    /// The distinct patterns among `hits`, ascending.
    let hitPatterns: [Int32]

    init(text: FoldedText, hits: [PatternHit]) {
        self.text = text
        self.hits = hits
        var patterns: [Int32] = []
        for hit in hits where patterns.last != hit.pattern { patterns.append(hit.pattern) }
        hitPatterns = patterns
    }

    func evaluate(_ rule: CompiledRule) -> RuleMatch? {
        var evidence: [Occurrence] = []
        guard holds(rule.root, evidence: &evidence) else { return nil }
        if let exclusion = rule.exclusion {
            var ignored: [Occurrence] = []
            if holds(exclusion, evidence: &ignored) { return nil }
        }
        evidence.sort()
        var occurrences: [Occurrence] = []
        occurrences.reserveCapacity(evidence.count)
        for occurrence in evidence where occurrences.last != occurrence { occurrences.append(occurrence) }
        let weights = occurrences.map { occurrence in
            let segment = text.segments[Int(occurrence.segment)]
            return EvidenceWeights.weight(
                field: segment.field, wordOffset: Int(occurrence.first) - segment.words.lowerBound)
        }
        let score = weights.reduce(0, +)
        // The terms as written cost string copies: only for rules that pass their threshold.
        if let minimum = rule.minimumScore, score < minimum { return nil }
        var terms: [String] = []
        var termHits: [TermHit] = []
        termHits.reserveCapacity(occurrences.count)
        for (occurrence, weight) in zip(occurrences, weights) {
            let segment = text.segments[Int(occurrence.segment)]
            let words = Int(occurrence.first)...Int(occurrence.last)
            let written = String(text.sourceText(segment: Int(occurrence.segment), words: words))
            if !terms.contains(written) { terms.append(written) }
            termHits.append(
                TermHit(
                    text: written, field: segment.field, element: segment.element,
                    utf8Range: text.sourceRange(words: words), weight: weight))
        }
        return RuleMatch(rule: rule.name, score: score, terms: terms, hits: termHits)
    }

    /// Whether `node` holds; when it does, appends the occurrences that made it hold.
    private func holds(_ node: MatchNode, evidence: inout [Occurrence]) -> Bool {
        switch node {
        case .term(let term):
            let before = evidence.count
            forEachHit(of: term) { evidence.append(Occurrence($0)) }
            return evidence.count > before
        case .anyTerm(let byPattern):
            let before = evidence.count
            forEachTerm(in: byPattern) { term in forEachHit(of: term) { evidence.append(Occurrence($0)) } }
            return evidence.count > before
        case .sequence, .near:
            let placements = placements(of: node)
            for placement in placements { evidence += placement.parts }
            return !placements.isEmpty
        case .any(let children):
            var any = false
            for child in children where holds(child, evidence: &evidence) { any = true }
            return any
        case .all(let children):
            let before = evidence.count
            for child in children where !holds(child, evidence: &evidence) {
                evidence.removeSubrange(before...)
                return false
            }
            return true
        case .not(let child):
            var ignored: [Occurrence] = []
            return !holds(child, evidence: &ignored)
        }
    }

    /// Where a positional node matched.
    private func placements(of node: MatchNode) -> [Placement] {
        switch node {
        case .term(let term):
            return occurrences(of: term).map { Placement(span: $0, parts: [$0]) }
        case .sequence(let terms):
            var spans = occurrences(of: terms[0])
            for term in terms.dropFirst() {
                let next = Set(occurrences(of: term))
                spans = spans.compactMap { span in
                    let following = Occurrence(segment: span.segment, first: span.last + 1, last: span.last + 1)
                    return next.contains(following) ? Occurrence(segment: span.segment, first: span.first, last: span.last + 1) : nil
                }
            }
            return spans.map { Placement(span: $0, parts: [$0]) }
        case .near(let left, let right, let distance):
            let rights = placements(of: right)
            var result: [Placement] = []
            for leftPlacement in placements(of: left) {
                for rightPlacement in rights where Self.gap(leftPlacement.span, rightPlacement.span) <= distance {
                    let span = Occurrence(
                        segment: leftPlacement.span.segment, first: min(leftPlacement.span.first, rightPlacement.span.first),
                        last: max(leftPlacement.span.last, rightPlacement.span.last))
                    result.append(Placement(span: span, parts: leftPlacement.parts + rightPlacement.parts))
                }
            }
            return result
        case .anyTerm(let byPattern):
            var result: [Placement] = []
            forEachTerm(in: byPattern) { term in result += placements(of: .term(term)) }
            return result
        case .any(let children):
            return children.flatMap { placements(of: $0) }
        case .all, .not:
            // The compiler admits only positional nodes under NEAR (``MatchNode/isPositional``).
            return []
        }
    }

    /// Visits the terms of an ``MatchNode/anyTerm`` whose pattern occurs in the item, walking whichever
    /// side is shorter: the item's distinct patterns or the node's.
    private func forEachTerm(in byPattern: [Int32: [TermMatcher]], _ body: (TermMatcher) -> Void) {
        if hitPatterns.count <= byPattern.count {
            for pattern in hitPatterns { byPattern[pattern]?.forEach(body) }
        } else {
            for (pattern, terms) in byPattern where hitPatterns.contains(pattern) { terms.forEach(body) }
        }
    }

    /// The words between two spans of the same segment; `Int.max` across segments.
    private static func gap(_ a: Occurrence, _ b: Occurrence) -> Int {
        guard a.segment == b.segment else { return Int.max }
        if b.first > a.last { return Int(b.first - a.last - 1) }
        if a.first > b.last { return Int(a.first - b.last - 1) }
        return 0
    }

    /// Calls `body` with each hit of a term's pattern that lies in its fields and, for a case-sensitive
    /// term, is written as the term is.
    private func forEachHit(of term: TermMatcher, _ body: (PatternHit) -> Void) {
        var low = 0
        var high = hits.count
        while low < high {
            let middle = (low + high) / 2
            if hits[middle].pattern < term.pattern { low = middle + 1 } else { high = middle }
        }
        var index = low
        while index < hits.count, hits[index].pattern == term.pattern {
            let hit = hits[index]
            index += 1
            guard term.fields.contains(FieldSet(text.segments[Int(hit.segment)].field)) else { continue }
            if let exact = term.exactWords, !isWritten(hit, as: exact, lastIsPrefix: term.lastWordIsPrefix) { continue }
            body(hit)
        }
    }

    private func occurrences(of term: TermMatcher) -> [Occurrence] {
        var result: [Occurrence] = []
        forEachHit(of: term) { result.append(Occurrence($0)) }
        return result
    }

    private func isWritten(_ hit: PatternHit, as exact: [String], lastIsPrefix: Bool) -> Bool {
        let count = Int(hit.last - hit.first) + 1
        guard count == exact.count else { return false }
        for offset in 0..<count {
            let word = Int(hit.first) + offset
            var written = String(text.sourceText(segment: Int(hit.segment), words: word...word))
            if !written.utf8.allSatisfy({ $0 < 0x80 }) { written = written.precomposedStringWithCompatibilityMapping }
            let matches = lastIsPrefix && offset == count - 1 ? written.hasPrefix(exact[offset]) : written == exact[offset]
            if !matches { return false }
        }
        return true
    }
}
