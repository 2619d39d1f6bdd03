import FeedwatchCore
import Foundation

/// Turns rule definitions into one ``RuleEngine``: every term of every rule becomes a pattern of a single
/// automaton, and each rule keeps its boolean structure over those patterns.
public enum RuleCompiler {
    /// Compiles a rule set, reporting every fault at once.
    ///
    /// - Parameters:
    ///   - rules: the `[[rule]]` tables, in file order; alerts follow this order.
    ///   - termLists: the `[terms]` entries of every rule file; one namespace shared by all rules.
    ///   - options: text handling shared by all rules.
    /// - Throws: ``RuleCompileError`` with one diagnostic per fault, located inside the offending string.
    public static func compile(
        rules: [RuleDefinition], termLists: [TermListDefinition], options: RuleEngine.Options = .init()
    ) throws(RuleCompileError) -> RuleEngine {
        var builder = RuleSetBuilder(options: options)
        for list in termLists { builder.add(list) }
        for rule in rules { builder.add(rule) }
        if !builder.diagnostics.isEmpty { throw RuleCompileError(diagnostics: builder.diagnostics) }
        return RuleEngine(
            options: options, patterns: builder.patterns,
            patternIsPrefix: builder.patternIsPrefix, rules: builder.rules)
    }
}

/// A folded word of a term, with what the case-sensitive form must read.
struct TermWord {
    var folded: [UInt8]
    var exact: String
    var isPrefix: Bool
}

/// The state of one compilation: the shared pattern table, the lists, and the faults found so far.
struct RuleSetBuilder {
    /// Fewer letters before a `*` would match a large share of all words.
    static let minimumPrefixLength = 3

    let options: RuleEngine.Options
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var patterns: [[UInt8]] = []
    private(set) var patternIsPrefix: [Bool] = []
    private(set) var rules: [CompiledRule] = []
    private var patternIndex: [[UInt8]: Int32] = [:]
    /// Each list's entries, already checked; `nil` for a list with a faulty entry (reported once).
    private var lists: [String: [(words: [TermWord], caseSensitive: Bool)]?] = [:]
    private var ruleLocations: [String: SourceLocation?] = [:]

    init(options: RuleEngine.Options) {
        self.options = options
    }

    mutating func add(_ list: TermListDefinition) {
        let name = list.name.value
        guard !name.isEmpty, name.allSatisfy(QueryParser.isListNameCharacter) else {
            report("list name '\(name)' must be letters, digits, '_' or '-'", at: list.name.location)
            return
        }
        guard lists[name] == nil else {
            report("list '\(name)' is defined twice", at: list.name.location)
            return
        }
        if list.terms.isEmpty { report("list '\(name)' is empty", at: list.name.location) }
        var entries: [(words: [TermWord], caseSensitive: Bool)] = []
        var faulty = list.terms.isEmpty
        for entry in list.terms {
            do throws(QuerySyntaxError) {
                let syntax = try QueryParser.parseTerm(entry.value)
                entries.append((try termWords(syntax), syntax.caseSensitive))
            } catch {
                report("list '\(name)': \(error.message)", at: entry.location(ofOffset: error.offset))
                faulty = true
            }
        }
        if faulty {
            lists[name] = .some(nil)
        } else {
            lists[name] = entries
        }
    }

    mutating func add(_ rule: RuleDefinition) {
        let name = rule.name.value
        let context = "rule '\(name)'"
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            report("rule name '\(name)' must be lowercase letters, digits and '-'", at: rule.name.location)
            return
        }
        if let first = ruleLocations[name] {
            report("\(context) is defined twice" + (first.map { " (first at \($0))" } ?? ""), at: rule.name.location)
            return
        }
        ruleLocations[name] = rule.name.location
        let faultsBefore = diagnostics.count

        var fields = FieldSet.standard
        if let names = rule.fields {
            fields = []
            for field in names {
                guard let known = ItemField(rawValue: field.value) else {
                    report("\(context): unknown field '\(field.value)'; fields are \(FieldSet.names)", at: field.location)
                    continue
                }
                fields.insert(FieldSet(known))
            }
            if names.isEmpty { report("\(context): fields must name at least one field", at: rule.name.location) }
        }

        var alternatives: [MatchNode] = []
        var keywordNodes: [MatchNode] = []
        for keyword in rule.keywords {
            let words = keywordWords(keyword.value)
            guard !words.isEmpty else {
                report("\(context): keyword '\(keyword.value)' has no letters or digits", at: keyword.location)
                continue
            }
            keywordNodes.append(node(for: words, caseSensitive: false, fields: fields))
        }
        if !keywordNodes.isEmpty { alternatives.append(.either(keywordNodes)) }
        if let query = rule.query, let node = compileQuery(query, fields: fields, context: "\(context): query") {
            if node.needsAHit {
                alternatives.append(node)
            } else {
                report(
                    "\(context): the query can match an item that contains none of its terms; add a term that must be present",
                    at: query.location)
            }
        }
        if rule.keywords.isEmpty, rule.query == nil {
            report("\(context) needs keywords or a query", at: rule.name.location)
        }
        let exclusion = rule.exclude.flatMap { compileQuery($0, fields: fields, context: "\(context): exclude") }
        if let minScore = rule.minScore, !(minScore.value.isFinite && minScore.value >= 0) {
            report("\(context): min_score must be a number of 0 or more", at: minScore.location)
        }
        guard diagnostics.count == faultsBefore, !alternatives.isEmpty else { return }
        rules.append(
            CompiledRule(
                name: name, root: .either(alternatives),
                exclusion: exclusion, minimumScore: rule.minScore?.value))
    }

    // MARK: Queries

    private mutating func compileQuery(_ query: Located<String>, fields: FieldSet, context: String) -> MatchNode? {
        do throws(QuerySyntaxError) {
            return try resolve(try QueryParser.parse(query.value), fields: fields)
        } catch {
            report("\(context): \(error.message)", at: query.location(ofOffset: error.offset))
            return nil
        }
    }

    private mutating func resolve(_ expression: QueryExpression, fields: FieldSet) throws(QuerySyntaxError)
        -> MatchNode
    {
        switch expression.kind {
        case .term(let syntax):
            return node(for: try termWords(syntax), caseSensitive: syntax.caseSensitive, fields: fields)
        case .list(let name):
            guard let entries = lists[name] else {
                throw QuerySyntaxError(message: "unknown list '@\(name)'", offset: expression.offset)
            }
            guard let entries else {
                throw QuerySyntaxError(message: "list '@\(name)' has faults (reported above)", offset: expression.offset)
            }
            return .either(entries.map { node(for: $0.words, caseSensitive: $0.caseSensitive, fields: fields) })
        case .and(let operands):
            var nodes: [MatchNode] = []
            for operand in operands { nodes.append(try resolve(operand, fields: fields)) }
            return .all(nodes)
        case .or(let operands):
            var nodes: [MatchNode] = []
            for operand in operands { nodes.append(try resolve(operand, fields: fields)) }
            return .either(nodes)
        case .not(let operand):
            return .not(try resolve(operand, fields: fields))
        case .near(let left, let right, let distance):
            let sides = (try resolve(left, fields: fields), try resolve(right, fields: fields))
            for (side, node) in [(left, sides.0), (right, sides.1)] where !node.isPositional {
                throw QuerySyntaxError(
                    message: "NEAR joins words, phrases, lists or OR-groups of them, not AND or NOT",
                    offset: side.offset)
            }
            return .near(sides.0, sides.1, distance: distance)
        case .scope(let scope, let inner):
            return try resolve(inner, fields: scope)
        }
    }

    // MARK: Terms

    /// Splits a term into folded words, with their wildcards and case-sensitive forms.
    private func termWords(_ syntax: TermSyntax) throws(QuerySyntaxError) -> [TermWord] {
        var words: [TermWord] = []
        var offset = syntax.offset
        var starOffset = offset
        for piece in syntax.text.split(omittingEmptySubsequences: false, whereSeparator: \.isWhitespace) {
            defer { offset += piece.count + 1 }
            guard !piece.isEmpty else { continue }
            let isPrefix = piece.hasSuffix("*")
            let body = isPrefix ? piece.dropLast() : piece
            if let star = body.firstIndex(of: "*") {
                throw QuerySyntaxError(
                    message: "a '*' wildcard may only end a word", offset: offset + body.distance(from: body.startIndex, to: star))
            }
            let folded = FoldedText.words(of: String(body), foldDiacritics: options.foldDiacritics)
            guard !folded.words.isEmpty else {
                throw QuerySyntaxError(message: "'\(piece)' has no letters or digits to match", offset: offset)
            }
            for index in folded.words.indices {
                let isLast = index == folded.words.count - 1
                let exact = folded.sourceText(segment: 0, words: index...index)
                words.append(
                    TermWord(
                        folded: Array(folded.word(index)),
                        exact: String(exact).precomposedStringWithCompatibilityMapping,
                        isPrefix: isPrefix && isLast))
            }
            if isPrefix { starOffset = offset + piece.count - 1 }
        }
        // In a phrase the other words narrow a short prefix down; alone it would match too much.
        if words.count == 1, words[0].isPrefix,
            FoldedEncoding.decode(words[0].folded).count < Self.minimumPrefixLength
        {
            throw QuerySyntaxError(
                message: "a '*' wildcard on a single word needs at least \(Self.minimumPrefixLength) letters before it",
                offset: starOffset)
        }
        return words
    }

    /// The words of a `keywords` entry, which is literal text: no wildcards, no case sensitivity.
    private func keywordWords(_ keyword: String) -> [TermWord] {
        let folded = FoldedText.words(of: keyword, foldDiacritics: options.foldDiacritics)
        return folded.words.indices.map { TermWord(folded: Array(folded.word($0)), exact: "", isPrefix: false) }
    }

    /// One pattern for the whole term when only its last word may be a prefix; otherwise one per word.
    private mutating func node(for words: [TermWord], caseSensitive: Bool, fields: FieldSet) -> MatchNode {
        if words.dropLast().allSatisfy({ !$0.isPrefix }) {
            return .term(matcher(for: words, caseSensitive: caseSensitive, fields: fields))
        }
        return .sequence(words.map { matcher(for: [$0], caseSensitive: caseSensitive, fields: fields) })
    }

    private mutating func matcher(for words: [TermWord], caseSensitive: Bool, fields: FieldSet) -> TermMatcher {
        let isPrefix = words.last?.isPrefix ?? false
        var bytes: [UInt8] = [0x20]
        for (index, word) in words.enumerated() {
            if index > 0 { bytes.append(0x20) }
            bytes += word.folded
        }
        if !isPrefix { bytes.append(0x20) }
        let pattern: Int32
        if let known = patternIndex[bytes] {
            pattern = known
        } else {
            pattern = Int32(patterns.count)
            patternIndex[bytes] = pattern
            patterns.append(bytes)
            patternIsPrefix.append(isPrefix)
        }
        return TermMatcher(
            pattern: pattern, fields: fields, exactWords: caseSensitive ? words.map(\.exact) : nil,
            lastWordIsPrefix: isPrefix)
    }

    private mutating func report(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(message, at: location))
    }
}

/// A rule ready to evaluate.
struct CompiledRule: Sendable {
    var name: String
    var root: MatchNode
    var exclusion: MatchNode?
    var minimumScore: Double?
}
