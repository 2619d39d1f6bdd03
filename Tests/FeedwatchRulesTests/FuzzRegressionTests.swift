import FeedwatchCore
import FeedwatchRules
import Foundation
import Testing

/// Queries that overflowed the stack or stalled the compiler when run through the fuzz target
/// (Fuzz/Sources/FuzzRuleCompiler), kept as files in FuzzRegressions/ exactly as they were run.
@Suite struct FuzzRegressionTests {
    private static func query(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "query", subdirectory: "FuzzRegressions"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// 10,000 parentheses, 20,000 NOTs, a 20,000-long NEAR chain: each once a stack overflow while
    /// parsing or compiling. 10,000 `title:` scopes: once minutes of rescanning the run before the overflow.
    @Test(
        .timeLimit(.minutes(1)),
        arguments: ["deep-parentheses", "deep-not", "long-near-chain", "deep-scopes"])
    func aQueryNestedTooDeeplyIsRefused(name: String) throws {
        let found = diagnostics([rule("r", query: try Self.query(name))])
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("rule 'r': query: the query nests more than 100 levels deep") == true)
        #expect(found.first?.location != nil)
    }

    @Test func nestingUpToTheLimitStillCompilesAndMatches() throws {
        let depth = 100
        let nested = String(repeating: "(", count: depth) + "Astana" + String(repeating: ")", count: depth)
        #expect(try terms(query: nested, in: item(title: "Astana summit")) == ["Astana"])
        let tooDeep = "(" + nested + ")"
        #expect(diagnostics([rule("r", query: tooDeep)]).first?.location?.column == depth + 1)
    }
}
