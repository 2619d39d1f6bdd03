import FeedwatchCore
import FeedwatchRules
import FuzzSupport

/// The rule language: compile a rule from the input, print its diagnostics as `feedwatch check` does
/// (caret under the column), and when it compiles, match it against an item made from the input too.
///
/// Input, by lines: the query; the exclude query (empty for none); the entries of the term list
/// `@fuzz`, separated by tabs; the item's title; its summary; the rest is its content.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleCompiler(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let lines = LibFuzzer.text(data, size).split(separator: "\n", maxSplits: 5, omittingEmptySubsequences: false)
        .map(String.init)
    func line(_ index: Int) -> String? { index < lines.count && !lines[index].isEmpty ? lines[index] : nil }

    // Where `query = "` and `exclude = "` would leave these strings in a rule file, so that faults are
    // located inside them.
    let query = Located(lines[0], at: SourceLocation(file: "fuzz.toml", line: 3, column: 10))
    let exclude = line(1).map { Located($0, at: SourceLocation(file: "fuzz.toml", line: 4, column: 12)) }
    let terms = (line(2) ?? "").split(separator: "\t").map { Located(String($0)) }
    let rule = RuleDefinition(name: Located("fuzz"), query: query, exclude: exclude)
    let list = TermListDefinition(name: Located("fuzz"), terms: terms)

    let engine: RuleEngine
    do {
        engine = try RuleCompiler.compile(rules: [rule], termLists: [list])
    } catch {
        for var diagnostic in error.diagnostics {
            diagnostic.sourceLine = diagnostic.location?.line == 4 ? "exclude = \"\(lines[1])\"" : "query = \"\(lines[0])\""
            _ = diagnostic.description
        }
        return 0
    }
    let item = FeedItem(
        id: "fuzz", title: line(3), link: "https://example.org/\(line(3) ?? "")", categories: terms.map(\.value),
        summary: line(4), content: line(5))
    _ = engine.match(item)
    return 0
}

@main
enum FuzzRuleCompilerMain {
    static func main() { LibFuzzer.run(fuzzRuleCompiler) }
}
