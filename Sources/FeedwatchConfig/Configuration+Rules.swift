import FeedwatchCore
import FeedwatchRules

extension Configuration {
    /// The compiled rule set, with the definitions it came from (for `check`'s summary and `match --rule`).
    public struct Rules: Sendable {
        /// Every rule of the config and its rule files in one engine.
        public var engine: RuleEngine
        /// The `[[rule]]` tables: the main config's first, then each rule file's, in file order.
        public var definitions: [RuleDefinition]
        /// The `[terms]` lists, in the same order.
        public var termLists: [TermListDefinition]

        /// - Parameter engine: nil for an engine without rules.
        public init(engine: RuleEngine? = nil, definitions: [RuleDefinition] = [], termLists: [TermListDefinition] = [])
        {
            self.engine = engine ?? Self.emptyEngine
            self.definitions = definitions
            self.termLists = termLists
        }

        /// The rules' names, in definition order.
        public var names: [String] { definitions.map(\.name.value) }

        private static let emptyEngine: RuleEngine = {
            do {
                return try RuleCompiler.compile(rules: [], termLists: [])
            } catch {
                preconditionFailure("a rule set without rules always compiles: \(error)")
            }
        }()
    }
}
