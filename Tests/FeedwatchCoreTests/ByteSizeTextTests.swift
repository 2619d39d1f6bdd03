import Testing

@testable import FeedwatchCore

@Suite struct ByteSizeTextTests {
    @Test(arguments: [
        ("20MB", 20 << 20), ("512KB", 512 << 10), ("1GB", 1 << 30), ("800B", 800), ("4096", 4_096),
        ("20 MB", 20 << 20), ("20mb", 20 << 20), ("2MiB", 2 << 20), ("3k", 3 << 10),
    ])
    func readsUnitsInAnyCase(text: String, bytes: Int) throws {
        #expect(try ByteSizeText.parse(text) == bytes)
    }

    @Test(arguments: [
        ("", 0, "expected a number"),
        ("MB", 0, "expected a number"),
        ("-1MB", 0, "cannot be negative"),
        ("1.5MB", 1, "whole numbers"),
        ("20TB", 2, "unknown unit 'TB'"),
        ("99999999999GB", 0, "too large"),
    ])
    func explainsWhatIsWrongAndWhere(text: String, offset: Int, message: String) {
        #expect {
            try ByteSizeText.parse(text)
        } throws: { error in
            guard let error = error as? ByteSizeText.ParseError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func formatsInTheLargestExactUnit() {
        #expect(ByteSizeText.format(20 << 20) == "20MB")
        #expect(ByteSizeText.format(1_500) == "1500B")
        #expect(ByteSizeText.format(0) == "0B")
        #expect(ByteSizeText.format(3 << 30) == "3GB")
    }
}
