import Testing

@testable import FeedwatchCore

@Suite struct StableHashTests {
    @Test func matchesFNV1aReferenceValues() {
        // Published FNV-1a 64 test vectors.
        #expect(StableHash.hex("") == "cbf29ce484222325")
        #expect(StableHash.hex("a") == "af63dc4c8601ec8c")
        #expect(StableHash.hex("foobar") == "85944171f73967e8")
    }

    @Test func separatesParts() {
        #expect(StableHash.hex("ab", "c") != StableHash.hex("a", "bc"))
        #expect(StableHash.hex(["Саммит", "2025-10-10"]).count == 16)
    }
}
