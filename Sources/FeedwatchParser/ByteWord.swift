/// Eight bytes of text tested at once, so the loops over every byte of a feed (the sanitizer's scan, HTML-to-text)
/// pass the common bytes — letters, digits, punctuation, single spaces — eight at a time, and only look at bytes
/// one by one near something that needs a decision. Each test is exact for its question: a word it passes holds
/// no byte it was asked about.
struct ByteWord {
    let bits: UInt64

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer`, the first in the lowest bits.
    @inline(__always)
    init(at pointer: UnsafePointer<UInt8>) {
        bits = UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Some byte is below `limit` (at most 0x80). A borrow can only mark a byte above one that is truly below,
    /// so the answer is exact.
    @inline(__always)
    func hasByte(below limit: UInt8) -> Bool {
        (bits &- Self.ones &* UInt64(limit)) & ~bits & Self.highBits != 0
    }

    /// Some byte equals `byte`.
    @inline(__always)
    func has(_ byte: UInt8) -> Bool {
        ByteWord(bits: bits ^ (Self.ones &* UInt64(byte))).hasByte(below: 1)
    }

    /// Some byte is a C0 control character other than tab, line feed and carriage return.
    @inline(__always)
    private var hasControlOtherThanLineBreaks: Bool {
        // Adding 0x60 to the low seven bits leaves the high bit clear exactly where they are below 0x20 (no carry
        // crosses a byte); bytes with the high bit set are not controls.
        let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let controls = ~((bits & lowBits) &+ Self.ones &* 0x60) & ~bits & Self.highBits
        guard controls != 0 else { return false }
        return controls & ~(mask(of: 0x09) | mask(of: 0x0A) | mask(of: 0x0D)) != 0
    }

    /// How many bytes from the start of the word are well-formed UTF-8 made of ASCII and two-byte characters
    /// (Cyrillic, accented Latin) with no C0 control other than tab, line feed and carriage return: 8, or 7 when
    /// the last byte starts a two-byte character that ends in the next word, or 0 when the word holds anything
    /// else. The word must start on a character boundary.
    @inline(__always)
    var oneAndTwoByteTextLength: Int {
        guard !hasControlOtherThanLineBreaks else { return 0 }
        let nonASCII = bits & Self.highBits
        guard nonASCII != 0 else { return 8 }
        guard !hasLongLead else { return 0 }
        // With no byte at 0xE0 or above, 11xxxxxx is a lead and 10xxxxxx a continuation.
        let leads = bits & (bits << 1) & Self.highBits
        // C0 and C1 would be overlong encodings of ASCII: bits 1 to 4 of a lead must not all be zero.
        guard ByteWord(bits: bits & 0x1E1E_1E1E_1E1E_1E1E).mask(of: 0) & leads == 0 else { return 0 }
        // Each lead but one in the last byte has its continuation right after it, and no continuation stands alone.
        let lastByteLead = leads >> 63
        guard nonASCII & ~leads == (leads & ~(1 << 63)) << 8 else { return 0 }
        return 8 - Int(lastByteLead)
    }

    /// How many two-byte characters end in a word that `oneAndTwoByteTextLength` accepted.
    @inline(__always)
    var twoByteCharacterCount: Int { (bits & (bits << 1) & Self.highBits & ~(1 << 63)).nonzeroBitCount }

    /// Every byte is below 0x80.
    @inline(__always)
    var isASCII: Bool { bits & Self.highBits == 0 }

    /// Some byte is 0xE0 or above: the lead byte of a three- or four-byte UTF-8 character (or no UTF-8 at all).
    @inline(__always)
    var hasLongLead: Bool { bits & (bits << 1) & (bits << 2) & Self.highBits != 0 }

    /// The high bit of each byte that equals `byte`, and of no other.
    @inline(__always)
    func mask(of byte: UInt8) -> UInt64 {
        // Per byte: adding 0x7F to the low seven bits sets the high bit unless they are all zero, and no
        // carry crosses into the next byte.
        let difference = bits ^ (Self.ones &* UInt64(byte))
        let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((difference & lowBits) &+ lowBits) | difference) & Self.highBits
    }

    private init(bits: UInt64) { self.bits = bits }
}
