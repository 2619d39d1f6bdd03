import Testing

@testable import FeedwatchCore

@Suite struct TerminalTextTests {
    @Test func removesWholeEscapeSequences() {
        #expect(TerminalText.neutralized("Red \u{1B}[31;1mALERT\u{1B}[0m done") == "Red ALERT done")
        #expect(TerminalText.neutralized("\u{1B}]0;owned window title\u{07}Title") == "Title")
        #expect(TerminalText.neutralized("\u{1B}]52;c;Y2xpcA==\u{1B}\\clip") == "clip")
        #expect(TerminalText.neutralized("a\u{9B}2Jb") == "ab")
    }

    @Test func replacesControlAndBidiCharactersAndCollapsesSpace() {
        #expect(TerminalText.neutralized("line\none\r\ttwo\u{7}") == "line one two")
        #expect(TerminalText.neutralized("https://example.org/\u{202E}gpj.exe") == "https://example.org/ gpj.exe")
        #expect(TerminalText.neutralized("  Саммит\u{85}СНГ  ") == "Саммит СНГ")
    }

    @Test func leavesOrdinaryTextAlone() {
        let text = "Putin arrives in Dushanbe — «саммит» O‘zbekiston"
        #expect(TerminalText.neutralized(text) == text)
    }

    @Test func paintsOnlyWhenEnabled() {
        #expect(TerminalStyle(isEnabled: false).paint("x", .red) == "x")
        #expect(TerminalStyle(isEnabled: true).paint("x", .bold, .cyan) == "\u{1B}[1;36mx\u{1B}[0m")
    }
}
