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

    /// The word is well-formed UTF-8 made of ASCII and whole two-byte characters (Cyrillic, accented Latin), with
    /// no C0 control other than tab, line feed and carriage return, and no character running past its end. The
    /// word must start on a character boundary.
    @inline(__always)
    var isOneAndTwoByteText: Bool {
        guard !hasControlOtherThanLineBreaks else { return false }
        let nonASCII = bits & Self.highBits
        guard nonASCII != 0 else { return true }
        guard !hasLongLead else { return false }
        // With no byte at 0xE0 or above, 11xxxxxx is a lead and 10xxxxxx a continuation; each lead needs its
        // continuation right after it, in this word.
        let leads = bits & (bits << 1) & Self.highBits
        let continuations = nonASCII & ~leads
        guard continuations == leads << 8, leads >> 56 == 0 else { return false }
        // C0 and C1 would be overlong encodings of ASCII: bits 1 to 4 of a lead must not all be zero.
        let overlong = ByteWord(bits: bits & 0x1E1E_1E1E_1E1E_1E1E).mask(of: 0) & leads
        return overlong == 0
    }

    /// Every byte is below 0x80.
    @inline(__always)
    var isASCII: Bool { bits & Self.highBits == 0 }

    /// How many two-byte characters start in a word that `isOneAndTwoByteText` accepted.
    @inline(__always)
    var twoByteCharacterCount: Int { (bits & (bits << 1) & Self.highBits).nonzeroBitCount }

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
