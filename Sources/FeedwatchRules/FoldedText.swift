/// A part of an item that rules can search.
public enum ItemField: String, Sendable, CaseIterable {
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

    /// The folded text is `bytes[..<length]`; the rest is room reserved for the next writes, so the fold
    /// loop writes through a pointer instead of appending byte by byte.
    private(set) var bytes: [UInt8]
    private(set) var length = 0
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
        bytes = [UInt8](repeating: 0, count: Self.room(for: capacity))
        wordStarts.reserveCapacity(capacity / 5)
        wordSourceStarts.reserveCapacity(capacity / 5)
        wordSourceEnds.reserveCapacity(capacity / 5)
        bytes[0] = Self.space
        length = 1
    }

    /// The most bytes folding `count` source bytes can write through the table: a scalar of two or more
    /// UTF-8 bytes folds to at most 7, and each word adds one space.
    private static func room(for count: Int) -> Int { 4 * count + 8 }

    /// The folded text, for the automaton.
    var folded: ArraySlice<UInt8> { bytes[..<length] }

    /// The folded words of a short text, such as a query term.
    static func words(of text: String, foldDiacritics: Bool) -> FoldedText {
        var folded = FoldedText(foldDiacritics: foldDiacritics, capacity: text.utf8.count)
        folded.append(text, field: .title, element: 0)
        return folded
    }

    /// The folded bytes of word `index`, without its trailing space.
    func word(_ index: Int) -> ArraySlice<UInt8> {
        let start = Int(wordStarts[index])
        let end = bytes[start..<length].firstIndex(of: Self.space) ?? length
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
            reserve(2)
            bytes[length] = Self.barrier
            bytes[length + 1] = Self.space
            length += 2
        }
        let firstWord = wordStarts.count
        var text = text
        text.withUTF8 { appendFolded($0) }
        segments.append(Segment(field: field, element: element, text: text, words: firstWord..<wordStarts.count))
    }

    /// Makes room for `count` more bytes after `length`.
    private mutating func reserve(_ count: Int) {
        if bytes.count < length + count { bytes += repeatElement(0, count: length + count - bytes.count) }
    }

    private mutating func appendFolded(_ source: UnsafeBufferPointer<UInt8>) {
        var inWord = false
        var index = 0
        let entries = table.entries
        while index < source.count {
            reserve(Self.room(for: source.count - index))
            // Take the buffer out of `self` while writing through its pointer, so that the loop may update
            // the word lists (also `self`) without overlapping accesses.
            var storage: [UInt8] = []
            swap(&storage, &bytes)
            storage.withUnsafeMutableBufferPointer { output in
                entries.withUnsafeBufferPointer { entries in
                    index = foldThroughTable(source, from: index, into: output, entries: entries, inWord: &inWord)
                }
            }
            swap(&storage, &bytes)
            if index < source.count { index = foldWordAsString(source, reaching: index, inWord: &inWord) }
        }
        if inWord {
            reserve(1)
            bytes[length] = Self.space
            length += 1
            wordSourceEnds.append(Int32(source.count))
        }
    }

    /// Folds from `start` until the end or a character that needs its word folded as a string; returns
    /// where it stopped. `output` has room for everything the table can produce (``room(for:)``).
    private mutating func foldThroughTable(
        _ source: UnsafeBufferPointer<UInt8>, from start: Int, into output: UnsafeMutableBufferPointer<UInt8>,
        entries: UnsafeBufferPointer<UInt64>, inWord: inout Bool
    ) -> Int {
        var index = start
        let count = source.count
        while index < count {
            let lead = source[index]
            if lead < 0x80 {
                // ASCII: letters and digits fold by setting bit 5 (A → a; digits have it already).
                let lower = lead | 0x20
                if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lead) {
                    if !inWord { beginWord(at: index, inWord: &inWord) }
                    output[length] = lower
                    length &+= 1
                } else if inWord {
                    endWord(at: index, into: output, inWord: &inWord)
                }
                index &+= 1
                continue
            }
            let (value, scalarLength) = Self.decode(source, at: index)
            let entry = value < FoldingTable.limit ? entries[Int(value)] : Self.entryOutsideTable(value)
            switch entry {
            case FoldingTable.separator:
                if inWord { endWord(at: index, into: output, inWord: &inWord) }
            case FoldingTable.needsStringFolding:
                return index
            default:
                if !inWord { beginWord(at: index, inWord: &inWord) }
                var packed = entry >> 8
                for _ in 0..<Int(entry & 0xFF) {
                    output[length] = UInt8(truncatingIfNeeded: packed)
                    length &+= 1
                    packed >>= 8
                }
            }
            index &+= scalarLength
        }
        return index
    }

    private mutating func beginWord(at sourceOffset: Int, inWord: inout Bool) {
        wordStarts.append(Int32(length))
        wordSourceStarts.append(Int32(sourceOffset))
        inWord = true
    }

    private mutating func endWord(at sourceOffset: Int, into output: UnsafeMutableBufferPointer<UInt8>, inWord: inout Bool) {
        output[length] = Self.space
        length &+= 1
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
            length = Int(start)
            sourceStart = Int(wordSource)
        }
        var end = offset
        while end < source.count {
            let (value, scalarLength) = Self.decode(source, at: end)
            let entry = value < FoldingTable.limit ? table.entries[Int(value)] : Self.entryOutsideTable(value)
            if entry == FoldingTable.separator { break }
            end += scalarLength
        }
        let original = String(decoding: UnsafeBufferPointer(rebasing: source[sourceStart..<end]), as: UTF8.self)
        for word in TextFolding.foldedWords(original[...], foldDiacritics: foldDiacritics) {
            reserve(word.count + 1)
            wordStarts.append(Int32(length))
            wordSourceStarts.append(Int32(sourceStart))
            bytes.replaceSubrange(length..<length + word.count, with: word)
            length += word.count
            bytes[length] = Self.space
            length += 1
            wordSourceEnds.append(Int32(end))
        }
        inWord = false
        return end
    }

    private static func entryOutsideTable(_ value: UInt32) -> UInt64 {
        guard let scalar = Unicode.Scalar(value), TextFolding.isWordScalar(scalar) else { return FoldingTable.separator }
        return FoldingTable.needsStringFolding
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
