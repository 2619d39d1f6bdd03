import FeedwatchCore

/// One `[[rule]]` as written in a rule file, before compilation.
///
/// The config module builds these from TOML, keeping each value's position so that a fault found while
/// compiling (a bad query, an unknown list) is reported at the right `file:line:column`.
public struct RuleDefinition: Sendable, Equatable {
    /// Unique, lowercase `[a-z0-9-]+`; it names the rule in alerts.
    public var name: Located<String>
    public var description: String?
    /// The simple form: any of these, case-insensitive, whole words; several words make a phrase.
    public var keywords: [Located<String>]
    /// A boolean query in the rule language (see the README, "Rules").
    public var query: Located<String>?
    /// A query that, when it matches, stops the rule from firing.
    public var exclude: Located<String>?
    /// The evidence a match needs; `nil` fires on any match.
    public var minScore: Located<Double>?
    /// The fields searched by terms without an explicit scope; `nil` means title, summary, content, categories.
    public var fields: [Located<String>]?

    public init(
        name: Located<String>, description: String? = nil, keywords: [Located<String>] = [],
        query: Located<String>? = nil, exclude: Located<String>? = nil, minScore: Located<Double>? = nil,
        fields: [Located<String>]? = nil
    ) {
        self.name = name
        self.description = description
        self.keywords = keywords
        self.query = query
        self.exclude = exclude
        self.minScore = minScore
        self.fields = fields
    }
}

/// A named list of terms under `[terms]`, referenced from queries as `@name`.
public struct TermListDefinition: Sendable, Equatable {
    public var name: Located<String>
    /// Each entry is one term in query syntax: `word`, `prefix*`, `"a phrase"`, `=CaseSensitive`.
    public var terms: [Located<String>]

    public init(name: Located<String>, terms: [Located<String>]) {
        self.name = name
        self.terms = terms
    }
}

/// Every fault found while compiling a rule set, so a user fixes them all in one pass.
public struct RuleCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Never empty; in the order the definitions were given.
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
