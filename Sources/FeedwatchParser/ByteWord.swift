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

    /// Some byte is a C0 control character other than tab, line feed and carriage return. Only for words
    /// without non-ASCII bytes.
    @inline(__always)
    var hasControlOtherThanLineBreaks: Bool {
        // Adding 0x60 leaves the high bit clear exactly in the bytes below 0x20 (no carry: every byte is ASCII).
        let controls = ~(bits &+ Self.ones &* 0x60) & Self.highBits
        guard controls != 0 else { return false }
        return controls & ~(mask(of: 0x09) | mask(of: 0x0A) | mask(of: 0x0D)) != 0
    }

    /// Some byte is 0x80 or above (not ASCII).
    @inline(__always)
    var hasNonASCII: Bool { bits & Self.highBits != 0 }

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
