import Foundation
import Testing

@testable import FeedwatchCore

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndWritesNulls() {
        let value = JSONValue.object([("b", .int(1)), ("a", .string(nil)), ("c", .strings(["x"]))])
        #expect(value.serialized() == #"{"b":1,"a":null,"c":["x"]}"#)
    }

    @Test func escapesControlCharactersSoOneValueIsOneLine() {
        let value = JSONValue.string("line\nbreak\u{0}\u{1B}[31m \"q\" \\ \u{2028}")
        let text = value.serialized()
        #expect(!text.contains("\n"))
        #expect(text == #""line\nbreak\u0000\u001b[31m \"q\" \\ \u2028""#)
    }

    @Test func roundTripsThroughFoundation() throws {
        let value = JSONValue.object([("title", .string("Саммит СНГ в Душанбе — «итоги»")), ("n", .double(1.5))])
        let decoded = try JSONSerialization.jsonObject(with: Data(value.serialized().utf8)) as? [String: Any]
        #expect(decoded?["title"] as? String == "Саммит СНГ в Душанбе — «итоги»")
        #expect(decoded?["n"] as? Double == 1.5)
    }

    @Test func prettyPrintsNestedContainers() {
        let value = JSONValue.object([("items", .array([.int(1)])), ("empty", .array([]))])
        #expect(value.prettySerialized() == "{\n  \"items\": [\n    1\n  ],\n  \"empty\": []\n}")
    }

    @Test func formatsDatesAsUTCWholeSeconds() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_760_261_400.75)) == "2025-10-12T09:30:00Z")
        #expect(JSONValue.date(nil) == .null)
    }
}
