/// A part of an item that rules can search.
public enum ItemField: String, Sendable, CaseIterable {
    case title, summary, content, categories, link
}

/// An item's text folded (see ``TextFolding``) into one buffer, so that one automaton pass covers every field.
///
/// The buffer reads `" word word \u{1} word "`: it starts with a space, every word is followed by exactly
/// one space, and a barrier word `\u{1}` (which no pattern contains) separates fields, so a phrase never
/// spans the end of the title and the start of the summary. Patterns begin with a space and, unless they
/// end in a wildcard, end with one, which makes every match a whole-word match. Letters are stored in
/// ``FoldedEncoding``.
struct FoldedText {
    /// One field (or one category) of the item.
    struct Segment {
        var field: ItemField
        /// The index among the item's categories; 0 for other fields.
        var element: Int
        var text: String
        /// The indices of this segment's words in ``FoldedText/words``.
        var words: Range<Int>
    }

    /// Where a word starts in ``FoldedText/bytes``, where it starts and ends in its segment's text (UTF-8
    /// offsets), and which segment that is.
    struct Word {
        var start: Int32
        var sourceStart: Int32
        var sourceEnd: Int32
        var segment: Int32
    }

    /// A piece of text to fold, and where it comes from.
    struct Part {
        var field: ItemField
        var element: Int
        var text: String
    }

    static let space: UInt8 = 0x20
    static let barrier: UInt8 = 0x01

    /// The folded text, for the automaton.
    let bytes: [UInt8]
    let words: [Word]
    let segments: [Segment]

    init(_ parts: [Part], foldDiacritics: Bool) {
        var segments: [Segment] = []
        segments.reserveCapacity(parts.count)
        var folder = Folder(capacity: parts.reduce(0) { $0 + $1.text.utf8.count + 2 }, foldDiacritics: foldDiacritics)
        defer { folder.deallocate() }
        for part in parts {
            var text = part.text
            let firstWord = folder.wordCount
            text.withUTF8 { folder.appendSegment($0, number: segments.count) }
            segments.append(
                Segment(field: part.field, element: part.element, text: text, words: firstWord..<folder.wordCount))
        }
        bytes = Array(folder.foldedBytes)
        words = Array(folder.foldedWords)
        self.segments = segments
    }

    /// The folded words of a short text, such as a query term.
    static func words(of text: String, foldDiacritics: Bool) -> FoldedText {
        FoldedText([Part(field: .title, element: 0, text: text)], foldDiacritics: foldDiacritics)
    }

    /// The folded bytes of word `index`, without its trailing space.
    func word(_ index: Int) -> ArraySlice<UInt8> {
        let start = Int(words[index].start)
        let end = bytes[start...].firstIndex(of: Self.space) ?? bytes.count
        return bytes[start..<end]
    }

    /// The text of words `first...last` as written in the segment.
    func sourceText(segment: Int, words: ClosedRange<Int>) -> Substring {
        let text = segments[segment].text
        let range = sourceRange(words: words)
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return text[start..<end]
    }

    /// The UTF-8 range of words `first...last` in their segment's text.
    func sourceRange(words: ClosedRange<Int>) -> Range<Int> {
        Int(self.words[words.lowerBound].sourceStart)..<Int(self.words[words.upperBound].sourceEnd)
    }
}

/// Folds text into buffers it owns, growing them as needed; the table-driven loop writes through
/// pointers with no bounds or uniqueness checks, since every item passes through it.
private struct Folder {
    private(set) var length = 0
    private(set) var wordCount = 0
    private var output: UnsafeMutableBufferPointer<UInt8>
    /// Word `wordCount` is the one being written, if any.
    private var words: UnsafeMutableBufferPointer<FoldedText.Word>
    /// The segment being folded.
    private var segment: Int32 = 0
    private let table: FoldingTable
    private let foldDiacritics: Bool

    init(capacity: Int, foldDiacritics: Bool) {
        output = .allocate(capacity: Self.room(for: capacity))
        words = .allocate(capacity: Self.wordRoom(for: capacity))
        table = FoldingTable.shared(foldDiacritics: foldDiacritics)
        self.foldDiacritics = foldDiacritics
        output[0] = FoldedText.space
        length = 1
    }

    /// Room for what the table writes for `count` source bytes: a scalar of two or more UTF-8 bytes folds
    /// to at most 7 bytes, its word adds one space, a segment adds a barrier and a space, and the loop's
    /// last 8-byte store may reach 7 bytes past the end.
    private static func room(for count: Int) -> Int { 4 * count + 16 }
    /// The most words in `count` source bytes: each takes a byte and, but for the first, a separator.
    private static func wordRoom(for count: Int) -> Int { count / 2 + 2 }

    var foldedBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: output[..<length]) }
    var foldedWords: UnsafeBufferPointer<FoldedText.Word> { UnsafeBufferPointer(rebasing: words[..<wordCount]) }

    func deallocate() {
        output.deallocate()
        words.deallocate()
    }

    /// Makes room for `count` more bytes and `newWords` more words; only between words.
    private mutating func reserve(bytes count: Int, words newWords: Int) {
        if output.count < length + count {
            let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * (length + count))
            _ = grown.initialize(fromContentsOf: output[..<length])
            output.deallocate()
            output = grown
        }
        if words.count < wordCount + newWords {
            let grown = UnsafeMutableBufferPointer<FoldedText.Word>.allocate(capacity: 2 * (wordCount + newWords))
            _ = grown.initialize(fromContentsOf: words[..<wordCount])
            words.deallocate()
            words = grown
        }
    }

    /// Folds segment number `number` of the text.
    mutating func appendSegment(_ source: UnsafeBufferPointer<UInt8>, number: Int) {
        reserve(bytes: Self.room(for: source.count), words: Self.wordRoom(for: source.count))
        segment = Int32(number)
        if number > 0 {
            output[length] = FoldedText.barrier
            output[length + 1] = FoldedText.space
            length += 2
        }
        var inWord = false
        var index = 0
        table.entries.withUnsafeBufferPointer { entries in
            while index < source.count {
                index = foldThroughTable(source, from: index, entries: entries, inWord: &inWord)
                if index < source.count { index = foldWordAsString(source, reaching: index, inWord: &inWord) }
            }
        }
        if inWord { endWord(at: source.count) }
    }

    /// Folds from `start` until the end or a character that needs its word folded as a string; returns
    /// where it stopped. The caller has reserved room for everything the table can produce.
    ///
    /// Word boundaries come every few bytes, too irregularly for a branch predictor, so the loop takes the
    /// same steps at every character and picks values instead of paths (measured faster than one branch
    /// per case): it stores a letter's bytes or a space and advances past the space only when it ends a
    /// word; outside a word it keeps rewriting the start of the next one, so the rewrite at its first
    /// letter is the one that stays. ASCII goes through the table as well.
    private mutating func foldThroughTable(
        _ source: UnsafeBufferPointer<UInt8>, from start: Int, entries: UnsafeBufferPointer<UInt64>, inWord: inout Bool
    ) -> Int {
        // Locals rather than stored properties, so the loop keeps them in registers.
        let output = output.baseAddress!
        let words = words.baseAddress!
        let segment = segment
        var length = length
        var wordCount = wordCount
        var inWordHere = inWord
        // Where the selects send the word records that must not land: a step inside a word that opens none.
        var discarded = FoldedText.Word(start: 0, sourceStart: 0, sourceEnd: 0, segment: 0)
        defer {
            self.length = length
            self.wordCount = wordCount
            inWord = inWordHere
        }
        var index = start
        let count = source.count
        withUnsafeMutablePointer(to: &discarded) { discarded in
            while index < count {
                let lead = source[index]
                var entry: UInt64
                var scalarLength = 1
                if lead < 0x80 {
                    entry = entries[Int(lead)]
                } else {
                    let value: UInt32
                    (value, scalarLength) = Self.decode(source, at: index)
                    entry = value < FoldingTable.limit ? entries[Int(value)] : Self.entryOutsideTable(value)
                    if entry == FoldingTable.needsStringFolding { return }
                }
                let isWord = entry != FoldingTable.separator
                let endsWord = inWordHere && !isWord
                let opening = inWordHere ? discarded : words + wordCount
                opening.pointee.start = Int32(truncatingIfNeeded: length)
                opening.pointee.sourceStart = Int32(truncatingIfNeeded: index)
                opening.pointee.segment = segment
                let closing = endsWord ? words + wordCount : discarded
                closing.pointee.sourceEnd = Int32(truncatingIfNeeded: index)
                wordCount &+= endsWord ? 1 : 0
                // A letter's packed bytes (all eight stored; only `entry & 0xFF` count) or a space.
                let stored = isWord ? entry >> 8 : UInt64(FoldedText.space)
                UnsafeMutableRawPointer(output + length).storeBytes(of: stored.littleEndian, as: UInt64.self)
                length &+= isWord ? Int(entry & 0xFF) : (inWordHere ? 1 : 0)
                inWordHere = isWord
                index &+= scalarLength
            }
        }
        return index
    }

    /// Ends the word in progress at source offset `sourceOffset`.
    private mutating func endWord(at sourceOffset: Int) {
        output[length] = FoldedText.space
        length += 1
        words[wordCount].sourceEnd = Int32(sourceOffset)
        wordCount += 1
    }

    /// Refolds the whole word around `offset` through ``TextFolding/foldedWords(_:foldDiacritics:)``, for
    /// characters whose folding depends on their neighbours. Returns the offset just past the word.
    private mutating func foldWordAsString(
        _ source: UnsafeBufferPointer<UInt8>, reaching offset: Int, inWord: inout Bool
    ) -> Int {
        var sourceStart = offset
        if inWord {
            length = Int(words[wordCount].start)
            sourceStart = Int(words[wordCount].sourceStart)
            inWord = false
        }
        var end = offset
        while end < source.count {
            let (value, scalarLength) = Self.decode(source, at: end)
            let entry = value < FoldingTable.limit ? table.entries[Int(value)] : Self.entryOutsideTable(value)
            if entry == FoldingTable.separator { break }
            end += scalarLength
        }
        let original = String(decoding: UnsafeBufferPointer(rebasing: source[sourceStart..<end]), as: UTF8.self)
        let folded = TextFolding.foldedWords(original[...], foldDiacritics: foldDiacritics)
        // The table loop that follows needs its own room again, counted from the new length.
        reserve(
            bytes: folded.reduce(0) { $0 + $1.count + 1 } + Self.room(for: source.count - end),
            words: folded.count + Self.wordRoom(for: source.count - end))
        for word in folded {
            words[wordCount] = FoldedText.Word(
                start: Int32(length), sourceStart: Int32(sourceStart), sourceEnd: Int32(end), segment: segment)
            wordCount += 1
            let destination = UnsafeMutableBufferPointer(rebasing: output[length..<length + word.count])
            _ = destination.initialize(fromContentsOf: word)
            length += word.count
            output[length] = FoldedText.space
            length += 1
        }
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
