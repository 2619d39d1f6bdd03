import FeedwatchConfig
import Foundation
import Testing

/// Configs that hung or blew up the loader under the config fuzz target (Fuzz/Sources/FuzzConfigLoading),
/// kept byte for byte in FuzzRegressions/.
@Suite struct ConfigFuzzRegressionTests {
    /// Each refused input as `line:column: message`; one that loads is an issue.
    private func refusal(of name: String) throws -> [String] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "FuzzRegressions"))
        do {
            _ = try Configuration.load(from: url.path, environment: [:])
            Issue.record("FuzzRegressions/\(name).toml loaded")
            return []
        } catch {
            return error.diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.message)" }
        }
    }

    /// A comment, then NUL bytes and mangled keys: toml++ stopped at the NUL and accepted the comment, the
    /// key locator read on and looped, growing to 2 GB. Now the NUL itself is the error.
    @Test(.timeLimit(.minutes(1)))
    func aNULByteIsRefusedWhereItIs() throws {
        #expect(try refusal(of: "nul-after-a-comment") == ["2:1: invalid TOML: a NUL character (byte 0) is not allowed"])
    }

    /// `[ /w_speed_time[ru)le]]ry"`: toml++ failed an assertion on a header name starting with '/' and aborted
    /// the process (`check`, start-up, or a running daemon's SIGHUP reload). Now it is a located error.
    @Test func aTableNameStartingWithASlashIsRefusedWhereItIs() throws {
        #expect(
            try refusal(of: "table-name-starting-with-a-slash") == [
                "1:3: invalid TOML: a table name must start with a letter, a digit, '_', '-' or a quote, not '/'"
            ])
    }

    /// `per_host_concurrency =1979-05-27 2` in a mutated sample config: toml++ read a date, a space and one digit as
    /// the start of a date-time and failed an assertion at the line's end, aborting the process.
    @Test func aDateThenOneDigitIsRefusedWhereItIs() throws {
        #expect(
            try refusal(of: "date-then-one-digit") == [
                "14:23: invalid TOML: a date followed by a space and one digit is neither a date nor a date-time"
                    + " (a time is HH:MM:SS)"
            ])
    }

    /// `"Belovezh*",} "Беловежск*"` in a mutated shipped rule list: toml++ read the `}` as the start of an array
    /// element and failed an assertion, aborting the process.
    @Test func aBraceWhereAnArrayElementStartsIsRefusedWhereItIs() throws {
        #expect(
            try refusal(of: "array-element-starting-with-a-brace") == [
                "30:74: invalid TOML: expected a value, ',' or ']' in the array, not '}'"
            ])
    }

    /// The array elements that reached that assertion: a `}`, or a Unicode line break toml++ neither skips nor reports.
    @Test(arguments: [
        ("a = [ } ]", "7: invalid TOML: expected a value, ',' or ']' in the array, not '}'"),
        ("a = [1,\u{2029} 2]", "8: invalid TOML: expected a value, ',' or ']' in the array, not U+2029"),
        ("a = [\u{2028}]", "6: invalid TOML: expected a value, ',' or ']' in the array, not U+2028"),
        ("a = [\u{85}]", "6: invalid TOML: expected a value, ',' or ']' in the array, not U+85"),
        ("a = { b = [}] }", "12: invalid TOML: expected a value, ',' or ']' in the array, not '}'"),
    ])
    func aBraceOrLineSeparatorStartingAnArrayElementIsRefused(line: String, error: String) throws {
        #expect(try ConfigFixture("alert_log = \"alerts.jsonl\"\n\(line)\n").errors() == ["2:\(error)"])
    }

    /// The value forms that reached that assertion, and the neighbours toml++ reports itself.
    @Test(arguments: [
        ("a = 2024-01-01 1", 5, true), ("a = [2024-01-01 1]", 6, true), ("a = { b = 2024-01-01 1 }", 11, true),
        ("a = 2024-01-01 1 # note", 5, true), ("a = 2024-01-01 12", 0, false), ("a = 2024-01-01 x", 0, false),
        ("a = '2024-01-01 1'", 0, false),
    ])
    func aDateThenOneDigitIsCaughtWhereverAValueGoes(line: String, column: Int, caught: Bool) throws {
        let errors = try ConfigFixture("alert_log = \"alerts.jsonl\"\n\(line)\n").errors()
        let message = "invalid TOML: a date followed by a space and one digit is neither a date nor a date-time (a time is HH:MM:SS)"
        if caught {
            #expect(errors == ["2:\(column): \(message)"])
        } else {
            #expect(!errors.isEmpty && errors.allSatisfy { !$0.contains(message) }, "\(errors)")
        }
    }

    /// Every header form that reached the assertion: after `[` or `[[`, with or without spaces, any
    /// character no key starts with, including the end of the line.
    @Test(arguments: [
        ("[.feed]", 2, "'.'"), ("[фиды]", 2, "'ф'"), ("[[ /x]]", 4, "'/'"), ("[ #x]", 3, "'#'"),
        ("[[ [x]]]", 4, "'['"), ("[", 2, "the end of the line"),
    ])
    func everyHeaderNameThatAbortedTomlPlusPlusIsRefused(header: String, column: Int, found: String) throws {
        let fixture = try ConfigFixture("alert_log = \"alerts.jsonl\"\n\(header)\n")
        #expect(
            fixture.errors() == [
                "2:\(column): invalid TOML: a table name must start with a letter, a digit, '_', '-' or a quote, not \(found)"
            ])
    }

    /// The check reads headers as toml++ does: lines inside strings and arrays are not headers, a fault
    /// before a bad header is reported first, and headers toml++ reports itself keep its message.
    @Test func onlyRealHeadersAreCheckedAndEarlierFaultsComeFirst() throws {
        let inString = try ConfigFixture(
            #"""
            alert_log = "alerts.jsonl"
            [[rule]]
            name = "r"
            description = """
            [/not a header]"""
            keywords = ["x"]
            """#)
        #expect(inString.errors() == [])
        let inArray = try ConfigFixture("[[rule]]\nname = \"r\"\nkeywords = [\n  [ +1 ],\n]\n")
        #expect(!inArray.errors().isEmpty)
        #expect(inArray.errors().allSatisfy { !$0.contains("a table name must start") }, "\(inArray.errors())")
        let earlier = try ConfigFixture("alert_log = = 1\n[/x]\n")
        #expect(earlier.errors().count == 1)
        #expect(earlier.errors().allSatisfy { $0.hasPrefix("1:") && !$0.contains("a table name must start") })
        let spaced = try ConfigFixture("[ [x]]\n")
        #expect(spaced.errors().count == 1)
        #expect(spaced.errors().allSatisfy { !$0.contains("a table name must start") }, "\(spaced.errors())")
    }

    /// Arrays nested past toml++'s limit are its error; the key locator, which now scans before toml++,
    /// stops there instead of recursing once per level.
    @Test func deepNestingIsTomlPlusPlussErrorNotAStackOverflow() throws {
        let fixture = try ConfigFixture("a = " + String(repeating: "[", count: 100_000) + "\n[/x]\n")
        let errors = fixture.errors()
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("1:") == true, "\(errors)")
    }
}
