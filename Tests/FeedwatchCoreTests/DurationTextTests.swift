import Testing

@testable import FeedwatchCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("30s", 30), ("15m", 900), ("2h", 7_200), ("1d", 86_400), ("1h30m", 5_400), ("1d2h3m4s", 93_784),
        ("0", 0), ("0s", 0), ("90s", 90),
    ])
    func readsEveryUnitAndCombination(text: String, seconds: Int64) throws {
        #expect(try DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: [
        ("", 0, "empty duration"),
        ("15", 2, "ends without a unit; write 15s, 15m, 15h or 15d"),
        ("1.5h", 1, "whole numbers"),
        ("5x", 1, "unknown unit 'x'"),
        ("15M", 2, "unknown unit 'M'"),
        ("-5m", 0, "no sign"),
        ("30m1h", 3, "largest to smallest"),
        ("1h1h", 2, "largest to smallest"),
        ("h", 0, "expected a number at 'h'"),
        ("15 m", 2, "unknown unit ' '"),
        ("99999999999999999999s", 0, "too large"),
        ("999999999999999d", 0, "too long"),
    ])
    func explainsWhatIsWrongAndWhere(text: String, offset: Int, message: String) {
        #expect {
            try DurationText.parse(text)
        } throws: { error in
            guard let error = error as? DurationText.ParseError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func formatsTheWayItParses() throws {
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
        #expect(DurationText.format(.zero) == "0")
        #expect(DurationText.format(.seconds(86_400 + 1)) == "1d1s")
        for text in ["30s", "15m", "2h", "1d", "1d2h3m4s"] {
            #expect(DurationText.format(try DurationText.parse(text)) == text)
        }
    }
}
