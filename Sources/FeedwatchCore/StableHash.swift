/// A hash that is the same on every run and every machine, for ids that must survive restarts
/// (item ids synthesized from title and date, alert ids). Swift's `Hasher` is seeded per process,
/// so it cannot serve here.
///
/// FNV-1a over the UTF-8 bytes, 64 bits, rendered as 16 lowercase hex digits. Not cryptographic:
/// nothing here needs resistance to a chosen collision, only stability and a low accidental rate
/// (about one collision in 10^7 after two million distinct inputs).
public enum StableHash {
    public static func hex(_ parts: String...) -> String { hex(parts) }

    /// Parts are joined with a unit separator (U+001F) so ("ab", "c") and ("a", "bc") differ.
    public static func hex(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3 }
            for byte in part.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
