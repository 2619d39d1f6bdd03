import FeedwatchConfig
import FeedwatchCore
import Foundation
import Testing

/// Each kind of mistake, at the exact line and column a person would look.
@Suite struct ConfigurationErrorTests {
    @Test func unknownKeysAreNamedWithASuggestionWhenOneIsClose() throws {
        let fixture = try ConfigFixture(
            """
            intervall = "5m"
            colour = "red"
            [fetch]
            timout = "5s"
            [[feed]]
            url = "https://example.org/rss"
            nmae = "Example"
            """)
        #expect(
            fixture.errors() == [
                "1:1: unknown key 'intervall'; did you mean 'interval'?",
                "2:1: unknown key 'colour'",
                "4:1: unknown key 'fetch.timout'; did you mean 'timeout'?",
                "7:1: unknown key 'feed[0].nmae'; did you mean 'name'?",
            ])
    }

    @Test func wrongTypesPointAtTheValue() throws {
        let fixture = try ConfigFixture(
            """
            interval = 15
            rule_files = "rules.toml"
            [fetch]
            concurrency = "many"
            allow_private_redirects = "yes"
            [[feed]]
            url = "https://example.org/rss"
            rules = ["a", 2]
            """)
        #expect(
            fixture.errors() == [
                "1:12: 'interval' must be a duration such as \"15m\", not an integer",
                "2:15: 'rule_files' must be an array of strings, not a string",
                "4:16: 'fetch.concurrency' must be a whole number, not a string",
                "5:28: 'fetch.allow_private_redirects' must be true or false, not a string",
                "8:11: 'feed[0].rules' names the rule 'a', which is not defined",
                "8:15: 'feed[0].rules[1]' must be a string, not an integer",
            ])
    }

    @Test func badDurationsAndSizesPointAtTheFaultInsideTheString() throws {
        let fixture = try ConfigFixture(
            """
            backfill = "forever"
            retention = "30 d"
            [fetch]
            max_body_size = "20TB"
            timeout = "0"
            [[feed]]
            url = "https://example.org/rss"
            interval = "1h5x"
            """)
        #expect(
            fixture.errors() == [
                "1:13: invalid duration for 'backfill': expected a number at 'forever' in \"forever\"; "
                    + "write it like \"30s\", \"15m\", \"2h\", \"1d\" or \"1h30m\"",
                "2:16: invalid duration for 'retention': unknown unit ' ' in \"30 d\"; "
                    + "use s (seconds), m (minutes), h (hours) or d (days)",
                "4:20: invalid size for 'fetch.max_body_size': unknown unit 'TB' in \"20TB\"; use B, KB, MB or GB",
                "5:12: 'fetch.timeout' must be at least 1s, not \"0\"",
                "8:16: invalid duration for 'feed[0].interval': unknown unit 'x' in \"1h5x\"; "
                    + "use s (seconds), m (minutes), h (hours) or d (days)",
            ])
    }

    @Test func badFeedURLsAreRefusedWithTheReason() throws {
        let fixture = try ConfigFixture(
            """
            [[feed]]
            url = "ftp://example.org/rss"
            [[feed]]
            url = "https:///rss.xml"
            [[feed]]
            url = "https://example.org/my feed.xml"
            [[feed]]
            url = "https://user:pw@example.org/rss"
            [[feed]]
            url = "file://remote.example/feed.xml"
            [[feed]]
            url = ""
            [[feed]]
            url = "https://example.org:99999/rss"
            [[feed]]
            url = "https://президент.рф/новости?q=Казахстан"
            """)
        #expect(
            fixture.errors() == [
                "2:8: 'feed[0].url' has the unsupported scheme 'ftp'; use http://, https://, file:// or a local path",
                "4:16: 'feed[1].url' has no host name",
                "6:30: 'feed[2].url' contains a space or line break; percent-encode it as %20",
                "8:8: 'feed[3].url' holds credentials; URLs appear in logs and alerts, so put them in 'auth' instead",
                "10:8: 'feed[4].url' must be a file URL of an absolute path, like file:///srv/feeds/news.xml",
                "12:8: 'feed[5].url' is empty",
                "14:8: 'feed[6].url' has the port 99999, outside 1–65535",
            ])
    }

    @Test func duplicateFeedsAndMissingURLsAreFound() throws {
        let fixture = try ConfigFixture(
            """
            [[feed]]
            url = "https://example.org/rss"
            [[feed]]
            name = "No URL"
            [[feed]]
            url = "https://example.org/rss"
            """)
        #expect(
            fixture.errors() == [
                "3:3: missing required key 'feed[1].url'",
                "6:8: duplicate feed URL 'https://example.org/rss'; feed[0] already has it (\(fixture.path):2:8)",
            ])
    }

    @Test func secretsThatCannotBeReadNameTheFeedButNotTheSecret() throws {
        let fixture = try ConfigFixture(
            """
            [[feed]]
            url = "https://a.example/rss"
            name = "A"
            auth = { username = "u", password_file = "missing.txt" }
            [[feed]]
            url = "https://b.example/rss"
            auth = { username = "u", password_env = "NOT_SET" }
            [[feed]]
            url = "https://c.example/rss"
            auth = { username = "u" }
            [[feed]]
            url = "https://d.example/rss"
            auth = { password_env = "SET", password_file = "x" }
            """)
        let folder = fixture.directory.path
        #expect(
            fixture.errors(environment: ["SET": "pw"]) == [
                "4:43: cannot read the password of feed 'A' from \(folder)/missing.txt: No such file or directory",
                "7:42: environment variable NOT_SET, which holds the password of feed "
                    + "'https://b.example/rss', is not set",
                "10:1: the password of feed 'https://c.example/rss' needs 'password_file' or 'password_env'",
                "13:1: missing required key 'feed[3].auth.username'",
                "13:26: give either 'password_file' or 'password_env' for the password of feed "
                    + "'https://d.example/rss', not both",
            ])
    }

    @Test func secretHeadersMustBeOneLineAndSecretFilesNotEmpty() throws {
        let fixture = try ConfigFixture(
            """
            [[feed]]
            url = "https://example.org/rss"
            headers = { X-Token = { value_env = "TOKEN" } }
            auth = { username = "u", password_file = "empty" }
            """,
            files: ["empty": "\n"])
        #expect(
            fixture.errors(environment: ["TOKEN": "abc\r\nX-Injected: 1"]) == [
                "3:23: the header X-Token of feed 'https://example.org/rss' contains a line break",
                "4:43: the file \(fixture.file("empty")) holding the password of feed 'https://example.org/rss' is empty",
            ])
    }

    @Test func logLevelsHeadersAndEmptyValuesAreChecked() throws {
        let fixture = try ConfigFixture(
            """
            log_level = "warn"
            alert_log = ""
            [[feed]]
            url = "https://example.org/rss"
            rules = []
            name = " "
            headers = { "Bad Name" = "x", X-Multi = "a\\nb" }
            """)
        #expect(
            fixture.errors() == [
                "1:14: unknown log_level 'warn'; did you mean 'warning'?",
                "2:14: 'alert_log' is empty; give a path",
                "5:9: 'feed[0].rules' is empty, so no rule would apply; leave it out to apply every rule",
                "6:9: 'feed[0].name' is empty; leave it out to use the URL",
                "7:13: 'feed[0].headers.\"Bad Name\"' is not a valid HTTP header name",
                "7:43: 'feed[0].headers.X-Multi' contains a line break",
            ])
    }

    @Test func windowsLineEndingsAndInlineFeedTablesAreLocatedToo() throws {
        let fixture = try ConfigFixture(
            "interval = \"1x\"\r\nfeed = [\r\n  { url = \"https://a.example/rss\", intervl = \"5m\" },\r\n"
                + "  { name = \"no url\" },\r\n]\r\n")
        #expect(
            fixture.errors() == [
                "1:14: invalid duration for 'interval': unknown unit 'x' in \"1x\"; "
                    + "use s (seconds), m (minutes), h (hours) or d (days)",
                "3:36: unknown key 'feed[0].intervl'; did you mean 'interval'?",
                "4:3: missing required key 'feed[1].url'",
            ])
    }

    @Test func syntaxErrorsCarryTOMLKitsPositionAndTheLine() throws {
        let fixture = try ConfigFixture("alert_log = \"/tmp/x\"\nstate_dir = /var/lib\n")
        #expect {
            try fixture.load()
        } throws: { error in
            guard let diagnostic = (error as? ConfigurationError)?.diagnostics.first else { return false }
            return diagnostic.location?.file == fixture.path && diagnostic.location?.line == 2
                && diagnostic.message.hasPrefix("invalid TOML: ") && diagnostic.sourceLine == "state_dir = /var/lib"
        }
    }

    @Test func unreadableFilesAreNamed() throws {
        let fixture = try ConfigFixture(#"rule_files = ["rules/none.toml"]"#)
        #expect(
            fixture.errors() == [
                "1:16: cannot read rule file \(fixture.directory.path)/rules/none.toml: No such file or directory"
            ])
        let missing = fixture.file("absent.toml")
        #expect(throws: ConfigurationError.self) { try Configuration.load(from: missing) }
        do {
            _ = try Configuration.load(from: missing)
        } catch {
            #expect(error.description == "error: cannot read config file \(missing): No such file or directory")
        }
    }

    @Test func theRenderedErrorShowsTheLineWithACaret() throws {
        let fixture = try ConfigFixture("[[feed]]\nurl = \"https://example.org/rss\"\ninterval = \"10q\"\n")
        #expect(throws: ConfigurationError.self) { try fixture.load() }
        do {
            _ = try fixture.load()
        } catch {
            #expect(
                error.description == """
                    \(fixture.path):3:15: error: invalid duration for 'feed[0].interval': unknown unit 'q' in "10q"; \
                    use s (seconds), m (minutes), h (hours) or d (days)
                    interval = "10q"
                                  ^
                    """)
        }
    }
}
