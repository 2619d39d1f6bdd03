/// A query as written, before lists and terms are resolved. Offsets count characters from the start of
/// the query text, for ``Located/location(ofOffset:)``.
struct QueryExpression: Equatable {
    indirect enum Kind: Equatable {
        case term(TermSyntax)
        case list(String)
        case and([QueryExpression])
        case or([QueryExpression])
        case not(QueryExpression)
        case near(QueryExpression, QueryExpression, distance: Int)
        case scope(FieldSet, QueryExpression)
    }

    var kind: Kind
    var offset: Int
}

/// One term as written: a word (possibly ending in `*`), or the inside of a quoted phrase.
struct TermSyntax: Equatable {
    var text: String
    var caseSensitive: Bool
    /// Where `text` starts in the query, in characters.
    var offset: Int
}

/// A fault in a query, at a character offset.
struct QuerySyntaxError: Error, Equatable {
    var message: String
    var offset: Int
}

/// The fields a term is searched in.
struct FieldSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let title = FieldSet(rawValue: 1)
    static let summary = FieldSet(rawValue: 2)
    static let content = FieldSet(rawValue: 4)
    static let categories = FieldSet(rawValue: 8)
    static let link = FieldSet(rawValue: 16)
    /// What unscoped terms search unless a rule says otherwise; the link is left out because its slug
    /// repeats the title.
    static let standard: FieldSet = [.title, .summary, .content, .categories]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ field: ItemField) {
        switch field {
        case .title: self = .title
        case .summary: self = .summary
        case .content: self = .content
        case .categories: self = .categories
        case .link: self = .link
        }
    }

    static let names = ItemField.allCases.map(\.rawValue).joined(separator: ", ")
}

/// Recursive descent over the query grammar (README, "Rules"):
///
///     query   = either ;
///     either  = both { "OR" both } ;
///     both    = negated { "AND" negated } ;
///     negated = "NOT" negated | near ;
///     near    = primary { "NEAR/" digits primary } ;
///     primary = "(" either ")" | field ":" primary | term | "@" name ;
///     term    = [ "=" ] ( word [ "*" ] | '"' words '"' ) ;
///
/// Operators are upper case, so `and` is an ordinary word. Two terms side by side are an error rather
/// than a silent AND or phrase, because users mean both and cannot tell which one they got.
struct QueryParser {
    private enum Token: Equatable {
        case open, close, and, or, not
        case near(Int)
        case field(FieldSet)
        case list(String)
        case term(TermSyntax)
        case end

        var spelling: String {
            switch self {
            case .open: "'('"
            case .close: "')'"
            case .and: "'AND'"
            case .or: "'OR'"
            case .not: "'NOT'"
            case .near(let distance): "'NEAR/\(distance)'"
            case .field: "a field scope"
            case .list(let name): "'@\(name)'"
            case .term: "a term"
            case .end: "the end of the query"
            }
        }
    }

    static let maximumNearDistance = 100

    /// How deeply parentheses, `NOT`, field scopes and `NEAR` chains may nest. Parsing, compiling and
    /// matching each recurse once per level, so a query nested tens of thousands deep (found with the
    /// fuzz target, Fuzz/Sources/FuzzRuleCompiler) overflowed the stack; real queries nest a few levels.
    static let maximumNesting = 100

    private let characters: [Character]
    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0
    /// Levels open around the current token, against ``maximumNesting``.
    private var nesting = 0

    /// Parses a whole query.
    static func parse(_ text: String) throws(QuerySyntaxError) -> QueryExpression {
        var parser = QueryParser(text)
        try parser.tokenize()
        guard parser.current != .end else { throw QuerySyntaxError(message: "the query is empty", offset: 0) }
        let expression = try parser.parseEither()
        switch parser.current {
        case .end: return expression
        case .close: throw parser.error("this ')' has no matching '('")
        default: throw parser.error("expected AND, OR or NEAR/n before \(parser.current.spelling)")
        }
    }

    /// Parses a list entry, which must be exactly one term.
    static func parseTerm(_ text: String) throws(QuerySyntaxError) -> TermSyntax {
        var parser = QueryParser(text)
        try parser.tokenize()
        guard case .term(let term) = parser.current else {
            throw parser.error("a list entry must be one term: a word, word*, \"a phrase\" or =Word")
        }
        parser.position += 1
        guard parser.current == .end else {
            throw parser.error("a list entry must be one term; put several words in quotes to make a phrase")
        }
        return term
    }

    private init(_ text: String) {
        characters = Array(text)
    }

    private var current: Token { tokens[position].token }

    private func error(_ message: String) -> QuerySyntaxError {
        QuerySyntaxError(message: message, offset: tokens[position].offset)
    }

    /// Counts one more level of nesting at the current token; balanced by `nesting -= 1` when it closes.
    private mutating func enterNesting() throws(QuerySyntaxError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw error("the query nests more than \(Self.maximumNesting) levels deep (parentheses, NOT, scopes, NEAR)")
        }
    }

    // MARK: Grammar

    private mutating func parseEither() throws(QuerySyntaxError) -> QueryExpression {
        var operands = [try parseBoth()]
        while current == .or {
            position += 1
            operands.append(try parseBoth(after: "OR"))
        }
        return operands.count == 1 ? operands[0] : QueryExpression(kind: .or(operands), offset: operands[0].offset)
    }

    private mutating func parseBoth(after operatorName: String? = nil) throws(QuerySyntaxError) -> QueryExpression {
        var operands = [try parseNegated(after: operatorName)]
        while true {
            switch current {
            case .and:
                position += 1
                operands.append(try parseNegated(after: "AND"))
            case .term, .list, .open, .field, .not:
                throw error(
                    "expected AND, OR or NEAR/n between terms; to match words side by side, quote them as a phrase")
            default:
                return operands.count == 1
                    ? operands[0] : QueryExpression(kind: .and(operands), offset: operands[0].offset)
            }
        }
    }

    private mutating func parseNegated(after operatorName: String?) throws(QuerySyntaxError) -> QueryExpression {
        guard current == .not else { return try parseNear(after: operatorName) }
        let offset = tokens[position].offset
        try enterNesting()
        defer { nesting -= 1 }
        position += 1
        return QueryExpression(kind: .not(try parseNegated(after: "NOT")), offset: offset)
    }

    private mutating func parseNear(after operatorName: String?) throws(QuerySyntaxError) -> QueryExpression {
        var left = try parsePrimary(after: operatorName)
        // Each NEAR wraps the chain so far: a chain is as deep as it is long.
        let outerNesting = nesting
        defer { nesting = outerNesting }
        while case .near(let distance) = current {
            try enterNesting()
            position += 1
            let right = try parsePrimary(after: "NEAR/\(distance)")
            left = QueryExpression(kind: .near(left, right, distance: distance), offset: left.offset)
        }
        return left
    }

    private mutating func parsePrimary(after operatorName: String?) throws(QuerySyntaxError) -> QueryExpression {
        let offset = tokens[position].offset
        switch current {
        case .term(let term):
            position += 1
            return QueryExpression(kind: .term(term), offset: offset)
        case .list(let name):
            position += 1
            return QueryExpression(kind: .list(name), offset: offset)
        case .field(let fields):
            try enterNesting()
            defer { nesting -= 1 }
            position += 1
            let scoped = try parsePrimary(after: "':'")
            return QueryExpression(kind: .scope(fields, scoped), offset: offset)
        case .open:
            try enterNesting()
            defer { nesting -= 1 }
            position += 1
            if current == .close { throw error("empty parentheses") }
            let inner = try parseEither()
            guard current == .close else {
                if current == .end {
                    throw QuerySyntaxError(message: "this '(' is never closed", offset: offset)
                }
                throw error("expected ')' before \(current.spelling)")
            }
            position += 1
            return QueryExpression(kind: inner.kind, offset: inner.offset)
        default:
            if let operatorName { throw error("expected a term after \(operatorName)") }
            throw error("expected a term before \(current.spelling)")
        }
    }

    // MARK: Tokens

    private mutating func tokenize() throws(QuerySyntaxError) {
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            switch character {
            case "(":
                tokens.append((.open, index))
                index += 1
            case ")":
                tokens.append((.close, index))
                index += 1
            case "@":
                let start = index + 1
                var end = start
                while end < characters.count, Self.isListNameCharacter(characters[end]) { end += 1 }
                guard end > start else {
                    throw QuerySyntaxError(message: "expected a list name after '@'", offset: index)
                }
                tokens.append((.list(String(characters[start..<end])), index))
                index = end
            case "=":
                guard index + 1 < characters.count, !characters[index + 1].isWhitespace,
                    characters[index + 1] != "(", characters[index + 1] != ")"
                else {
                    throw QuerySyntaxError(message: "'=' must be followed by a term to match case-sensitively",
                        offset: index)
                }
                index = try lexTerm(from: index + 1, caseSensitive: true)
            default:
                index = try lexTerm(from: index, caseSensitive: false)
            }
        }
        tokens.append((.end, characters.count))
    }

    /// Lexes a quoted phrase, an operator, a field scope or a bare word starting at `start`.
    private mutating func lexTerm(from start: Int, caseSensitive: Bool) throws(QuerySyntaxError) -> Int {
        let tokenStart = caseSensitive ? start - 1 : start
        if characters[start] == "\"" {
            guard let close = characters[(start + 1)...].firstIndex(of: "\"") else {
                throw QuerySyntaxError(message: "this phrase has no closing '\"'", offset: start)
            }
            let text = String(characters[(start + 1)..<close])
            if text.allSatisfy(\.isWhitespace) {
                throw QuerySyntaxError(message: "empty phrase", offset: start)
            }
            tokens.append((.term(TermSyntax(text: text, caseSensitive: caseSensitive, offset: start + 1)), tokenStart))
            return close + 1
        }
        var end = start
        // A field scope ends at its colon: stopping there keeps `title:title:…` linear, where reading the
        // whole run for each scope was quadratic (minutes for a long run, found with the fuzz target).
        while end < characters.count, !characters[end].isWhitespace, !"()\":".contains(characters[end]) { end += 1 }
        if end < characters.count, characters[end] == ":" { end += 1 }
        let word = String(characters[start..<end])
        if !caseSensitive {
            switch word {
            case "AND": tokens.append((.and, start)); return end
            case "OR": tokens.append((.or, start)); return end
            case "NOT": tokens.append((.not, start)); return end
            default: break
            }
            if word == "NEAR" || word.hasPrefix("NEAR/") {
                guard let distance = Int(word.dropFirst(5)), distance >= 0,
                    distance <= Self.maximumNearDistance
                else {
                    throw QuerySyntaxError(
                        message: "NEAR needs a distance in words from 0 to \(Self.maximumNearDistance), as in NEAR/5",
                        offset: start)
                }
                tokens.append((.near(distance), start))
                return end
            }
        }
        if let colon = word.firstIndex(of: ":") {
            let name = String(word[..<colon])
            guard !caseSensitive, let field = ItemField(rawValue: name) else {
                throw QuerySyntaxError(
                    message: "unknown field '\(name)'; fields are \(FieldSet.names) (quote a term that contains ':')",
                    offset: start)
            }
            tokens.append((.field(FieldSet(field)), start))
            return start + name.count + 1
        }
        tokens.append((.term(TermSyntax(text: word, caseSensitive: caseSensitive, offset: start)), tokenStart))
        return end
    }

    static func isListNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }
}
