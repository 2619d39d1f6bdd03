/// Reproducible pseudo-random input for no-crash loops and agreement tests: SplitMix64, so a failure
/// can be replayed from its seed, which the system generator does not allow.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A string of `1...maxLength` pieces drawn from `alphabet` (pieces may be whole words or
    /// markup), or, one time in four, of raw bytes decoded as UTF-8 with replacement characters.
    public mutating func string(from alphabet: [String], maxLength: Int) -> String {
        let length = Int.random(in: 1...maxLength, using: &self)
        if Int.random(in: 0..<4, using: &self) == 0 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &self) }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        for _ in 0..<length { result += alphabet[Int.random(in: alphabet.indices, using: &self)] }
        return result
    }
}
