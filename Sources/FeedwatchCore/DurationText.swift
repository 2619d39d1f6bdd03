/// Why a text is not a duration or a size, and where in the text the fault starts.
public struct QuantityTextError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Characters into the text, so a caller can point a caret inside a quoted string.
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}

/// Durations as people write them in the config and on the command line.
///
/// A duration is one or more whole numbers, each followed by a unit, largest unit first:
/// `"30s"`, `"15m"`, `"2h"`, `"1d"`, `"1h30m"`. A lone `"0"` means no time at all. Units are
/// `d` (day, 24 hours), `h`, `m` and `s`; there is no sub-second unit, because every interval
/// and window in feedwatch counts whole seconds.
public enum DurationText {
    public typealias ParseError = QuantityTextError

    /// The units, largest first, with their length in seconds.
    private static let units: [(symbol: Character, seconds: Int64)] = [
        ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]

    private static let example = "write it like \"30s\", \"15m\", \"2h\", \"1d\" or \"1h30m\""

    /// Reads a duration such as `"1h30m"`.
    ///
    /// - Throws: `ParseError` naming what is wrong (a missing or unknown unit, a fraction, a sign,
    ///   units out of order) and the offset where it starts.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let characters = Array(text)
        guard !characters.isEmpty else { throw ParseError("empty duration; \(example)", offset: 0) }
        if text == "0" { return .zero }

        var total: Int64 = 0
        var index = 0
        var smallestUnitSoFar: Int64?
        while index < characters.count {
            let numberStart = index
            if characters[index] == "-" || characters[index] == "+" {
                throw ParseError("a duration has no sign; \(example)", offset: index)
            }
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            guard index > numberStart else {
                throw ParseError(
                    "expected a number at '\(String(characters[index...]))' in \"\(text)\"; \(example)",
                    offset: index)
            }
            guard let number = Int64(String(characters[numberStart..<index])) else {
                throw ParseError("the number in \"\(text)\" is too large", offset: numberStart)
            }
            guard index < characters.count else {
                throw ParseError(
                    "\"\(text)\" ends without a unit; write \(number)s, \(number)m, \(number)h or \(number)d",
                    offset: index)
            }
            let symbol = characters[index]
            if symbol == "." || symbol == "," {
                throw ParseError("durations take whole numbers; write \"1h30m\" rather than \"1.5h\"", offset: index)
            }
            guard let unit = units.first(where: { $0.symbol == symbol }) else {
                throw ParseError(
                    "unknown unit '\(symbol)' in \"\(text)\"; use s (seconds), m (minutes), h (hours) or d (days)",
                    offset: index)
            }
            if let smallestUnitSoFar, unit.seconds >= smallestUnitSoFar {
                throw ParseError(
                    "units in \"\(text)\" must go from largest to smallest, each at most once (as in \"1h30m\")",
                    offset: numberStart)
            }
            smallestUnitSoFar = unit.seconds
            let (part, partOverflow) = number.multipliedReportingOverflow(by: unit.seconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !partOverflow, !sumOverflow else {
                throw ParseError("\"\(text)\" is too long a duration", offset: numberStart)
            }
            total = sum
            index += 1
        }
        return .seconds(total)
    }

    /// Writes a duration the way `parse` reads it, in whole seconds: 5400 s is `"1h30m"`, zero is `"0"`.
    public static func format(_ duration: Duration) -> String {
        var remaining = duration.components.seconds
        guard remaining > 0 else { return "0" }
        var text = ""
        for unit in units where remaining >= unit.seconds {
            text += "\(remaining / unit.seconds)\(unit.symbol)"
            remaining %= unit.seconds
        }
        return text
    }
}
