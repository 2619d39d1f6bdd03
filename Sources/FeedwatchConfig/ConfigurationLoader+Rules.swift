import FeedwatchCore
import FeedwatchRules

/// `[terms]` and `[[rule]]`, from the main config and from each rule file, compiled into one engine.
extension ConfigurationLoader {
    /// What one file contributes to the rule set.
    struct RuleSource {
        var termLists: [TermListDefinition] = []
        var rules: [RuleDefinition] = []
    }

    /// Reads the `[terms]` and `[[rule]]` of one file's root table.
    func readRuleSource(_ root: TableReader) -> RuleSource {
        RuleSource(
            termLists: root.table("terms").map(readTermLists) ?? [], rules: root.tables("rule").compactMap(readRule))
    }

    /// Reads a rule file named by `rule_files`, which may hold nothing but `[terms]` and `[[rule]]`.
    func readRuleFile(_ document: TOMLDocument) -> RuleSource {
        let root = TableReader(table: document.root, path: .root, document: document, context: context)
        let source = readRuleSource(root)
        root.rejectUnknownKeys(hint: "a rule file holds only [terms] and [[rule]]")
        return source
    }

    /// Compiles every rule of every file; the compiler's diagnostics get their source lines here.
    func compile(_ sources: [RuleSource], options: RuleEngine.Options) -> Configuration.Rules {
        let termLists = sources.flatMap(\.termLists)
        let rules = sources.flatMap(\.rules)
        do {
            let engine = try RuleCompiler.compile(rules: rules, termLists: termLists, options: options)
            return Configuration.Rules(engine: engine, definitions: rules, termLists: termLists)
        } catch {
            let documents = [document] + ruleDocuments
            for diagnostic in error.diagnostics {
                let owner = documents.first { $0.path == diagnostic.location?.file }
                context.report(owner?.withSourceLine(diagnostic) ?? diagnostic)
            }
            return Configuration.Rules(engine: nil, definitions: rules, termLists: termLists)
        }
    }

    /// Checks each feed's `rules` list against the rules that exist.
    func checkRuleNames(of feeds: [FeedRuleNames], against known: [String]) {
        for feed in feeds {
            for name in feed.names where !known.contains(name.value) {
                var message = "'\(feed.reader.name("rules"))' names the rule '\(name.value)', which is not defined"
                if let suggestion = Spelling.closest(to: name.value, among: known) {
                    message += "; did you mean '\(suggestion)'?"
                }
                feed.reader.report(message, at: name.location)
            }
        }
    }

    /// `capitals = ["Astana", "Душанбе*"]`: one list per key, named where the key is written.
    private func readTermLists(_ reader: TableReader) -> [TermListDefinition] {
        reader.freeFormKeys().compactMap { key in
            reader.strings(key).map { TermListDefinition(name: Located(key, at: reader.keyLocation(key)), terms: $0) }
        }
    }

    private func readRule(_ reader: TableReader) -> RuleDefinition? {
        let name = reader.required("name") { reader.string($0) }
        let definition = RuleDefinition(
            name: name ?? Located(""),
            description: reader.string("description")?.value,
            keywords: reader.strings("keywords") ?? [],
            query: reader.string("query"),
            exclude: reader.string("exclude"),
            minScore: reader.number("min_score"),
            fields: reader.strings("fields"))
        reader.rejectUnknownKeys()
        return name == nil ? nil : definition
    }
}

/// A feed's `rules` list as written, kept until the rule names are known.
struct FeedRuleNames {
    let reader: TableReader
    let names: [Located<String>]
}
