/// Whitespace as the contract wants it in every text field: any run of Unicode white space
/// (NBSP and the typographic spaces included) is one ASCII space, and the ends are trimmed.
enum PlainText {
    /// `text` with white-space runs collapsed and trimmed; `nil` when nothing but white space is left.
    static func collapse(_ text: String) -> String? {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            if isCollapsed(bytes) { return bytes.isEmpty ? nil : text }
            var builder = CollapsedTextBuilder(capacity: bytes.count)
            builder.append(bytes)
            return builder.finish()
        }
    }

    /// True when `bytes` has no white space except single ASCII spaces between other characters,
    /// so the common, already clean string is returned without copying.
    private static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        var previousWasSpace = true
        while index < bytes.count {
            let spaceLength = UnicodeSpace.length(in: bytes, at: index)
            if spaceLength > 0 {
                if previousWasSpace || spaceLength > 1 || bytes[index] != 0x20 { return false }
                previousWasSpace = true
                index += spaceLength
            } else {
                previousWasSpace = false
                index += 1
            }
        }
        return !previousWasSpace || bytes.isEmpty
    }
}

/// UTF-8 text built piece by piece with white space collapsed on the way, so HTML-to-text needs no
/// second pass: runs of white space inside and between pieces, and explicit word breaks, become one space.
struct CollapsedTextBuilder {
    private var bytes: [UInt8] = []
    private var pendingSpace = false

    init() {}

    /// A builder with room for `capacity` bytes, for text whose size is known: it never grows.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends valid UTF-8.
    ///
    /// Text that is already collapsed (words joined by single ASCII spaces) is copied in whole runs
    /// rather than word by word; only other white space ends a run.
    mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = chunk.count
        while index < count {
            let spaceLength = UnicodeSpace.length(in: chunk, at: index)
            if spaceLength > 0 {
                breakWord()
                index += spaceLength
                continue
            }
            let runStart = index
            index += 1
            while index < count {
                if UnicodeSpace.cannotStartSpace(chunk[index]) {
                    index += 1
                } else if chunk[index] == 0x20, index + 1 < count, UnicodeSpace.length(in: chunk, at: index + 1) == 0 {
                    // A lone space between two words belongs to the run; the byte after it starts a
                    // character that is not white space, so both can be passed over.
                    index += 2
                } else if UnicodeSpace.length(in: chunk, at: index) == 0 {
                    index += 1
                } else {
                    break
                }
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[runStart..<index]))
        }
    }

    /// Separates what comes next from what came before by one space (none at the start).
    mutating func breakWord() {
        if !bytes.isEmpty { pendingSpace = true }
    }

    /// The text, or `nil` when it is empty.
    func finish() -> String? {
        bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// Unicode white space (the `White_Space` property) recognised directly in UTF-8.
enum UnicodeSpace {
    /// The byte length of the white-space character starting at `index`, or 0 when there is none.
    ///
    /// Tab, LF, VT, FF, CR, space, U+0085, NBSP U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
    /// U+202F, U+205F and U+3000.
    /// True for the bytes that never begin white space: everything above the ASCII space except the
    /// lead bytes 0xC2 and 0xE1–0xE3. Decides most bytes of any text with a few comparisons.
    @inline(__always)
    static func cannotStartSpace(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0xC2 && (byte < 0xE1 || byte > 0xE3)
    }

    @inline(__always)
    static func length(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        switch bytes[index] {
        case 0x20, 0x09...0x0D: 1
        // Only these lead bytes start a non-ASCII space; Cyrillic (0xD0, 0xD1) and the rest are decided here.
        case 0xC2, 0xE1, 0xE2, 0xE3: nonASCIILength(in: bytes, at: index)
        default: 0
        }
    }

    /// Whether `scalar` is one of the white-space characters `length(in:at:)` recognises.
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    private static func nonASCIILength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let first = bytes[index]
        let remaining = bytes.count - index
        switch first {
        case 0xC2:
            guard remaining >= 2 else { return 0 }
            return bytes[index + 1] == 0xA0 || bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE1:
            guard remaining >= 3 else { return 0 }
            return bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard remaining >= 3 else { return 0 }
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            if second == 0x80 {
                return (0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
            }
            return second == 0x81 && third == 0x9F ? 3 : 0
        case 0xE3:
            guard remaining >= 3 else { return 0 }
            return bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }
}
