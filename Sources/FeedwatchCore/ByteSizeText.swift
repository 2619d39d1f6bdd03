/// Sizes as people write them in the config: `"20MB"`, `"512KB"`, `"1GB"`, `"800B"` or a bare byte count.
///
/// `KB`, `MB` and `GB` are powers of 1024, as nginx and curl read them (`KiB`, `MiB`, `GiB` and the
/// single letters `K`, `M`, `G` mean the same); units ignore case and may follow a space.
public enum ByteSizeText {
    public typealias ParseError = QuantityTextError

    /// Unit names, lowercased, with their multipliers.
    private static let units: [String: Int] = [
        "b": 1,
        "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
        "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
        "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
    ]

    /// Reads a size such as `"20MB"` into a byte count.
    ///
    /// - Throws: `ParseError` naming what is wrong and the offset where it starts.
    public static func parse(_ text: String) throws(ParseError) -> Int {
        let characters = Array(text)
        let digitCount = characters.prefix { $0.isASCII && $0.isNumber }.count
        guard digitCount > 0 else {
            let problem = characters.first == "-" ? "a size cannot be negative" : "expected a number"
            throw ParseError("\(problem) in \"\(text)\"; write a size like \"20MB\", \"512KB\" or \"800B\"", offset: 0)
        }
        guard let number = Int(String(characters[..<digitCount])) else {
            throw ParseError("the number in \"\(text)\" is too large", offset: 0)
        }
        var unitStart = digitCount
        if unitStart < characters.count, characters[unitStart] == " " { unitStart += 1 }
        let unitText = String(characters[unitStart...])
        if unitText.first == "." {
            throw ParseError("sizes take whole numbers; write \"1536KB\" rather than \"1.5MB\"", offset: digitCount)
        }
        guard let multiplier = unitText.isEmpty ? 1 : units[unitText.lowercased()] else {
            throw ParseError("unknown unit '\(unitText)' in \"\(text)\"; use B, KB, MB or GB", offset: unitStart)
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw ParseError("\"\(text)\" is too large", offset: 0) }
        return bytes
    }

    /// Writes a byte count in the largest unit that divides it exactly: 20971520 is `"20MB"`, 1500 is `"1500B"`.
    public static func format(_ bytes: Int) -> String {
        for (symbol, multiplier) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)]
        where bytes != 0 && bytes % multiplier == 0 {
            return "\(bytes / multiplier)\(symbol)"
        }
        return "\(bytes)B"
    }
}
