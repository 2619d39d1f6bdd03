/// Why a byte string could not be read as a feed at all.
///
/// Recoverable trouble (bad markup, odd bytes, unreadable dates) becomes a warning in the
/// ``FeedwatchCore/FeedDocument``; this error is only for input that yields no feed. Its
/// `description` is one line a person understands; `feedwatch parse` prints it before exiting 2.
/// The set of kinds is small and fixed, so ``kind`` is usable as a metric label.
public struct FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case notAFeed = "not-a-feed"
        case emptyInput = "empty-input"
        case inputTooLarge = "input-too-large"
        case unreadableInput = "unreadable-input"
    }

    private let code: Code
    private let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The document is readable but is not RSS, Atom, RDF or JSON Feed (an HTML page, OPML, CDF, other JSON).
    /// - Parameter reason: one short sentence saying what was found instead, e.g. "the root element is <html>".
    public static func notAFeed(_ reason: String) -> FeedParseError { FeedParseError(.notAFeed, reason) }

    /// The input has no bytes, or only whitespace.
    public static let emptyInput = FeedParseError(.emptyInput, "the input is empty")

    /// The input is longer than ``FeedParser/Configuration/maxInputBytes``.
    public static func inputTooLarge(limit: Int) -> FeedParseError {
        FeedParseError(.inputTooLarge, "the input is larger than the \(ByteCount.describe(limit)) limit")
    }

    /// The bytes could not be read from their source (a file or pipe), with the system's reason.
    public static func unreadableInput(_ reason: String) -> FeedParseError { FeedParseError(.unreadableInput, reason) }

    /// A short, fixed label for the kind of failure: `not-a-feed`, `empty-input`, `input-too-large`,
    /// `unreadable-input`.
    public var kind: String { code.rawValue }

    public var description: String {
        switch code {
        case .notAFeed: "not a feed: \(detail)"
        case .emptyInput, .inputTooLarge, .unreadableInput: detail
        }
    }
}

/// Byte counts as people write them in limits ("20 MB", "512 KB", "300 bytes").
enum ByteCount {
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}
