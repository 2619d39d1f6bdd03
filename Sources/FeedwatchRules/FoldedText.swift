/// A part of an item that rules can search.
public enum ItemField: String, Sendable, CaseIterable, Codable {
    case title, summary, content, categories, link
}

/// An item's text folded (see ``TextFolding``) into one buffer, so that one automaton pass covers every field.
///
/// The buffer reads `" word word \u{1} word "`: it starts with a space, every word is followed by exactly
/// one space, and a barrier word `\u{1}` (which no pattern contains) separates fields, so a phrase never
/// spans the end of the title and the start of the summary. Patterns begin with a space and, unless they
/// end in a wildcard, end with one, which makes every match a whole-word match.
struct FoldedText {
    /// One field (or one category) of the item.
    struct Segment {
        var field: ItemField
        /// The index among the item's categories; 0 for other fields.
        var element: Int
        var text: String
        /// The indices of this segment's words in ``FoldedText/wordStarts``.
        var words: Range<Int>
    }

    private static let space: UInt8 = 0x20
    private static let barrier: UInt8 = 0x01

    /// ASCII letters and digits folded to lowercase; 0 for everything that separates words.
    private static let asciiFolding: [UInt8] = (0..<128).map { byte in
        switch byte {
        case 0x30...0x39, 0x61...0x7A: UInt8(byte)
        case 0x41...0x5A: UInt8(byte + 0x20)
        default: 0
        }
    }

    private(set) var bytes: [UInt8] = [Self.space]
    /// Where each word starts in `bytes`.
    private(set) var wordStarts: [Int32] = []
    /// Where each word starts and ends in its segment's text, as UTF-8 offsets.
    private(set) var wordSourceStarts: [Int32] = []
    private(set) var wordSourceEnds: [Int32] = []
    private(set) var segments: [Segment] = []

    private let table: FoldingTable
    private let foldDiacritics: Bool

    init(foldDiacritics: Bool, capacity: Int = 0) {
        self.foldDiacritics = foldDiacritics
        table = FoldingTable.shared(foldDiacritics: foldDiacritics)
        bytes.reserveCapacity(capacity + 16)
        wordStarts.reserveCapacity(capacity / 5)
        wordSourceStarts.reserveCapacity(capacity / 5)
        wordSourceEnds.reserveCapacity(capacity / 5)
    }

    /// The folded words of a short text, such as a query term.
    static func words(of text: String, foldDiacritics: Bool) -> FoldedText {
        var folded = FoldedText(foldDiacritics: foldDiacritics, capacity: text.utf8.count)
        folded.append(text, field: .title, element: 0)
        return folded
    }

    /// The folded bytes of word `index`, without its trailing space.
    func word(_ index: Int) -> ArraySlice<UInt8> {
        let start = Int(wordStarts[index])
        let end = bytes[start...].firstIndex(of: Self.space) ?? bytes.endIndex
        return bytes[start..<end]
    }

    /// The index of the word that contains byte `offset` of the buffer.
    func wordIndex(containing offset: Int) -> Int {
        var low = 0
        var high = wordStarts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if Int(wordStarts[middle]) <= offset { low = middle } else { high = middle }
        }
        return low
    }

    /// The segment that holds word `index`.
    func segmentIndex(ofWord index: Int) -> Int {
        segments.firstIndex { $0.words.contains(index) } ?? segments.count - 1
    }

    /// The text of words `first...last` as written in the segment.
    func sourceText(segment: Int, words: ClosedRange<Int>) -> Substring {
        let utf8 = segments[segment].text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: Int(wordSourceStarts[words.lowerBound]))
        let end = utf8.index(utf8.startIndex, offsetBy: Int(wordSourceEnds[words.upperBound]))
        return segments[segment].text[start..<end]
    }

    /// The UTF-8 range of words `first...last` in their segment's text.
    func sourceRange(words: ClosedRange<Int>) -> Range<Int> {
        Int(wordSourceStarts[words.lowerBound])..<Int(wordSourceEnds[words.upperBound])
    }

    /// Folds `text` and appends it as a new segment.
    mutating func append(_ text: String, field: ItemField, element: Int) {
        if !segments.isEmpty {
            bytes.append(Self.barrier)
            bytes.append(Self.space)
        }
        let firstWord = wordStarts.count
        var text = text
        text.withUTF8 { appendFolded($0) }
        segments.append(Segment(field: field, element: element, text: text, words: firstWord..<wordStarts.count))
    }

    private mutating func appendFolded(_ source: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var index = 0
        let count = source.count
        while index < count {
            let lead = source[index]
            if lead < 0x80 {
                let folded = Self.asciiFolding[Int(lead)]
                if folded != 0 {
                    if !inWord { beginWord(at: index, inWord: &inWord) }
                    bytes.append(folded)
                } else if inWord {
                    endWord(at: index, inWord: &inWord)
                }
                index += 1
                continue
            }
            let (value, length) = Self.decode(source, at: index)
            let kind = value < FoldingTable.limit ? table.kinds[Int(value)] : Self.kindOutsideTable(value)
            switch kind {
            case .separator:
                if inWord { endWord(at: index, inWord: &inWord) }
                index += length
            case .word:
                if !inWord { beginWord(at: index, inWord: &inWord) }
                let start = Int(table.starts[Int(value)])
                bytes.append(contentsOf: table.bytes[start..<start + Int(table.lengths[Int(value)])])
                index += length
            case .wordNeedingStringFolding:
                index = foldWordAsString(source, reaching: index, inWord: &inWord)
            }
        }
        if inWord { endWord(at: count, inWord: &inWord) }
    }

    private mutating func beginWord(at sourceOffset: Int, inWord: inout Bool) {
        wordStarts.append(Int32(bytes.count))
        wordSourceStarts.append(Int32(sourceOffset))
        inWord = true
    }

    private mutating func endWord(at sourceOffset: Int, inWord: inout Bool) {
        bytes.append(Self.space)
        wordSourceEnds.append(Int32(sourceOffset))
        inWord = false
    }

    /// Refolds the whole word around `offset` through ``TextFolding/fold(_:foldDiacritics:)``, for
    /// characters whose folding depends on their neighbours. Returns the offset just past the word.
    private mutating func foldWordAsString(
        _ source: UnsafeBufferPointer<UInt8>, reaching offset: Int, inWord: inout Bool
    ) -> Int {
        var sourceStart = offset
        if inWord, let start = wordStarts.popLast(), let wordSource = wordSourceStarts.popLast() {
            bytes.removeSubrange(Int(start)...)
            sourceStart = Int(wordSource)
        }
        var end = offset
        while end < source.count {
            let (value, length) = Self.decode(source, at: end)
            let isWord =
                value < FoldingTable.limit
                ? table.kinds[Int(value)] != .separator : Self.kindOutsideTable(value) != .separator
            if !isWord { break }
            end += length
        }
        let original = String(decoding: UnsafeBufferPointer(rebasing: source[sourceStart..<end]), as: UTF8.self)
        for word in TextFolding.foldedWords(original[...], foldDiacritics: foldDiacritics) {
            wordStarts.append(Int32(bytes.count))
            wordSourceStarts.append(Int32(sourceStart))
            bytes.append(contentsOf: word)
            bytes.append(Self.space)
            wordSourceEnds.append(Int32(end))
        }
        inWord = false
        return end
    }

    private static func kindOutsideTable(_ value: UInt32) -> FoldingTable.Kind {
        guard let scalar = Unicode.Scalar(value), TextFolding.isWordScalar(scalar) else { return .separator }
        return .wordNeedingStringFolding
    }

    /// Decodes the scalar starting at `index` of valid UTF-8 (Swift strings always are).
    private static func decode(_ source: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(source[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 {
            return ((lead & 0x1F) << 6 | UInt32(source[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(source[index + 1] & 0x3F) << 6 | UInt32(source[index + 2] & 0x3F), 3)
        }
        let value =
            (lead & 0x07) << 18 | UInt32(source[index + 1] & 0x3F) << 12 | UInt32(source[index + 2] & 0x3F) << 6
            | UInt32(source[index + 3] & 0x3F)
        return (value, 4)
    }
}
