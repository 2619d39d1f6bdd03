import FeedwatchTestSupport
import Testing

@testable import FeedwatchParser

/// The eight-at-a-time byte tests against the obvious byte-by-byte answer, on words made mostly of the bytes
/// where they could go wrong (controls, stops, UTF-8 leads and continuations at every position).
@Suite struct ByteWordTests {
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x21, 0x26, 0x3C, 0x5D, 0x61, 0x7E, 0x7F, 0x80, 0x9F,
        0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xD0, 0xD1, 0xDF, 0xE0, 0xE2, 0xEF, 0xF0, 0xFF,
    ]

    @Test func agreesWithByteByByteAnswers() {
        var random = SeededRandom(seed: 0xB17E)
        for _ in 0..<200_000 {
            let bytes = (0..<8).map { _ in
                Int.random(in: 0..<4, using: &random) == 0
                    ? UInt8.random(in: 0...255, using: &random)
                    : Self.interesting[Int.random(in: Self.interesting.indices, using: &random)]
            }
            let word = bytes.withUnsafeBufferPointer { ByteWord(at: $0.baseAddress!) }
            for probe: UInt8 in [0x00, 0x20, 0x26, 0x3C, 0x5D, 0xC2] {
                #expect(word.has(probe) == bytes.contains(probe), "\(bytes) has \(probe)")
                let mask = bytes.enumerated().reduce(UInt64(0)) {
                    $0 | ($1.element == probe ? 0x80 << (8 * $1.offset) : 0)
                }
                #expect(word.mask(of: probe) == mask, "\(bytes) mask of \(probe)")
            }
            #expect(word.hasByte(below: 0x20) == bytes.contains { $0 < 0x20 }, "\(bytes)")
            #expect(word.hasLongLead == bytes.contains { $0 >= 0xE0 }, "\(bytes)")
            let length = Self.oneAndTwoByteTextLength(bytes)
            #expect(word.oneAndTwoByteTextLength == length, "\(bytes)")
            if length > 0 {
                let characters = bytes[..<length].filter { (0xC2...0xDF).contains($0) }.count
                #expect(word.twoByteCharacterCount == characters, "\(bytes)")
            }
        }
    }

    private static func oneAndTwoByteTextLength(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x09, 0x0A, 0x0D, 0x20...0x7F: index += 1
            case 0xC2...0xDF:
                guard index + 1 < bytes.count else { return index }
                guard (0x80...0xBF).contains(bytes[index + 1]) else { return 0 }
                index += 2
            default: return 0
            }
        }
        return bytes.count
    }
}
