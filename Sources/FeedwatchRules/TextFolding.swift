import Foundation

/// The per-character rules that make item text and query terms comparable.
///
/// Folding is NFKC, then lowercase (with ß → ss and ς → σ, the case-folding differences that matter for
/// the scripts we meet), then optionally the removal of diacritics from Latin letters (Türkmenistan ≡
/// Turkmenistan), then ё → е. Cyrillic keeps its marks: й is a letter of its own, not a decorated и.
///
/// A word is a run of letters, marks and digits. Everything else separates words, including hyphens
/// (Kyrgyz-Russian is two words) and every apostrophe look-alike (', ʼ, ʻ, ‘, ’, `, ´), so O'zbekiston,
/// Oʻzbekiston and O‘zbekiston all read as the two words "o zbekiston".
enum TextFolding {
    /// Scalars that look like letters to Unicode but act as apostrophes in transliterations.
    static let apostropheLetters: Set<UInt32> = [0x02B9, 0x02BA, 0x02BB, 0x02BC, 0x02BD, 0x02BE, 0x02BF]

    /// Whether a scalar belongs inside a word, before folding.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        if apostropheLetters.contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Whether a scalar may change its neighbours under normalization (a combining mark, for example), so
    /// the whole word it sits in must be folded as a string rather than scalar by scalar.
    static func combinesWithNeighbours(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.canonicalCombiningClass != .notReordered { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: break
        }
        // Hangul jamo compose into syllables.
        return (0x1100...0x11FF).contains(scalar.value)
    }

    /// Folds a piece of text and returns its words, each as bytes in ``FoldedEncoding``.
    static func foldedWords(_ text: Substring, foldDiacritics: Bool) -> [[UInt8]] {
        let folded = fold(String(text), foldDiacritics: foldDiacritics)
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) {
                FoldedEncoding.append(scalar, to: &current)
            } else if !current.isEmpty {
                words.append(current)
                current = []
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// NFKC, lowercase, optional Latin diacritic removal, ё → е.
    static func fold(_ text: String, foldDiacritics: Bool) -> String {
        var result = text.precomposedStringWithCompatibilityMapping.lowercased()
        if result.unicodeScalars.contains(where: { $0.value == 0xDF || $0.value == 0x3C2 }) {
            result = result.replacingOccurrences(of: "ß", with: "ss").replacingOccurrences(of: "ς", with: "σ")
        }
        if foldDiacritics {
            var kept = String.UnicodeScalarView()
            var baseIsLatin = false
            for scalar in result.decomposedStringWithCanonicalMapping.unicodeScalars {
                if combinesWithNeighbours(scalar) {
                    if !baseIsLatin { kept.append(scalar) }
                } else {
                    baseIsLatin = isLatin(scalar)
                    kept.append(scalar)
                }
            }
            result = String(kept).precomposedStringWithCanonicalMapping
        }
        if result.unicodeScalars.contains(where: { $0.value == 0x451 }) {
            result = result.replacingOccurrences(of: "ё", with: "е")
        }
        return result
    }

    private static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x250 || (0x1E00..<0x1F00).contains(scalar.value)
    }
}

/// Folding results for every scalar below `limit`, computed once, so the scanner folds ordinary text with a
/// table look-up per character and falls back to ``TextFolding`` only for rare scalars.
struct FoldingTable: Sendable {
    /// Not part of a word.
    static let separator: UInt64 = 0
    /// Needs the whole word folded as a string (combining marks, expansions that split words).
    static let needsStringFolding: UInt64 = 0xFF

    /// Latin, Greek, Cyrillic and their extensions, and general punctuation.
    static let limit: UInt32 = 0x2070

    static let withDiacriticFolding = FoldingTable(foldDiacritics: true)
    static let keepingDiacritics = FoldingTable(foldDiacritics: false)

    static func shared(foldDiacritics: Bool) -> FoldingTable {
        foldDiacritics ? withDiacriticFolding : keepingDiacritics
    }

    /// Per scalar: the low byte is ``separator``, ``needsStringFolding``, or the length (1...7) of the
    /// folded bytes (``FoldedEncoding``) packed above it, first byte lowest.
    let entries: [UInt64]

    private init(foldDiacritics: Bool) {
        var entries = [UInt64](repeating: Self.separator, count: Int(Self.limit))
        var candidates: [Unicode.Scalar] = []
        for value in 0..<Self.limit {
            guard let scalar = Unicode.Scalar(value), TextFolding.isWordScalar(scalar) else { continue }
            entries[Int(value)] = Self.needsStringFolding
            if !TextFolding.combinesWithNeighbours(scalar) { candidates.append(scalar) }
        }
        let folded =
            Self.foldedTogether(candidates, foldDiacritics: foldDiacritics)
            ?? Self.foldedOneByOne(candidates, foldDiacritics: foldDiacritics)
        for (scalar, folded) in zip(candidates, folded) {
            var bytes: [UInt8] = []
            for scalar in folded { FoldedEncoding.append(scalar, to: &bytes) }
            guard folded.allSatisfy(TextFolding.isWordScalar), (1...7).contains(bytes.count) else { continue }
            var entry = UInt64(bytes.count)
            for (index, byte) in bytes.enumerated() { entry |= UInt64(byte) << (8 * (index + 1)) }
            entries[Int(scalar.value)] = entry
        }
        self.entries = entries
    }

    /// Each scalar folded on its own, as ``TextFolding/fold(_:foldDiacritics:)`` folds a one-scalar string.
    static func foldedOneByOne(_ scalars: [Unicode.Scalar], foldDiacritics: Bool) -> [[Unicode.Scalar]] {
        scalars.map { Array(TextFolding.fold(String($0), foldDiacritics: foldDiacritics).unicodeScalars) }
    }

    /// The same, in one call: the scalars joined by U+2028 LINE SEPARATOR, folded, and split again.
    ///
    /// Building the table one scalar at a time made four Foundation normalization calls per scalar, about
    /// 8 ms of every start-up (a quarter of `feedwatch check` on 1,000 feeds). The separator has no
    /// decomposition and no case, never composes or reorders with its neighbours, and is not Latin, so a
    /// folded piece that starts with a mark (Thai ำ → ํ + า) keeps it as it does alone; a test checks
    /// the whole result against ``foldedOneByOne``.
    /// - Returns: `nil` if the folded text does not split back into one piece per scalar.
    static func foldedTogether(_ scalars: [Unicode.Scalar], foldDiacritics: Bool) -> [[Unicode.Scalar]]? {
        var joined = String.UnicodeScalarView()
        for scalar in scalars {
            joined.append(scalar)
            joined.append(Self.pieceSeparator)
        }
        let folded = TextFolding.fold(String(joined), foldDiacritics: foldDiacritics)
        let pieces = folded.unicodeScalars.split(separator: Self.pieceSeparator, omittingEmptySubsequences: false)
        guard pieces.count == scalars.count + 1, pieces.last?.isEmpty == true else { return nil }
        return pieces.dropLast().map(Array.init)
    }

    private static let pieceSeparator: Unicode.Scalar = "\u{2028}"
}

/// How folded text is stored for the automaton: UTF-8, except that the Russian letters а–я take one byte
/// each, 0x80 + (letter − а). Russian is much of what feeds carry here, and one byte per letter instead of
/// two cuts the automaton's steps over it by almost half.
///
/// Bytes 0x80–0x9F never begin a UTF-8 sequence, so the code stays prefix-free: read from a letter
/// boundary, bytes split into letters one way only. Every pattern starts with a space, which is a
/// boundary in the text, so a match covers whole letters.
enum FoldedEncoding {
    private static let firstLetter: UInt32 = 0x430  // а
    private static let lastLetter: UInt32 = 0x44F  // я
    private static let firstByte: UInt8 = 0x80

    static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        if (firstLetter...lastLetter).contains(scalar.value) {
            bytes.append(firstByte + UInt8(scalar.value - firstLetter))
        } else {
            bytes.append(contentsOf: String(scalar).utf8)
        }
    }

    /// The text that folded bytes stand for.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        var utf8: [UInt8] = []
        var continuations = 0
        for byte in bytes {
            if continuations > 0 {
                utf8.append(byte)
                continuations -= 1
            } else if (firstByte..<firstByte + 32).contains(byte) {
                utf8.append(contentsOf: String(Unicode.Scalar(firstLetter + UInt32(byte - firstByte))!).utf8)
            } else {
                utf8.append(byte)
                // A lead byte 110xxxxx, 1110xxxx or 11110xxx announces one, two or three more.
                continuations = byte < 0xC0 ? 0 : byte < 0xE0 ? 1 : byte < 0xF0 ? 2 : 3
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
