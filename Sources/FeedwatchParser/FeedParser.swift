import FeedwatchCore
import Glibc

/// What the parser cannot see in the bytes: where they came from and what the server said about them.
public struct FeedSourceContext: Sendable, Equatable {
    /// The document's own URL, or the `--base-url` given; relative links resolve against it.
    public var baseURL: String?
    /// The `charset` parameter of the HTTP `Content-Type`, which outranks the XML declaration.
    public var httpCharset: String?
    /// The HTTP media type (`application/rss+xml`); one that does not fit the document adds a `content-type:` warning.
    public var contentType: String?

    public init(baseURL: String? = nil, httpCharset: String? = nil, contentType: String? = nil) {
        self.baseURL = baseURL
        self.httpCharset = httpCharset
        self.contentType = contentType
    }
}

/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed documents into the contract's normalized ``FeedDocument``.
///
/// Bytes stream through a pipeline that holds one chunk and one item at a time: encoding detection and decoding
/// to UTF-8, a pass that repairs what real feeds get wrong about XML text (HTML entities, bare `&`, stray bytes),
/// libxml2's SAX push parser in recovery mode, and a builder that maps elements to fields. Broken markup, odd
/// bytes and unreadable dates become `warnings`; only input that is not a feed at all throws.
///
/// libxml2 never loads an external entity or DTD and never touches the network; entity expansion, nesting depth,
/// field size and input size are bounded by ``Configuration``.
public struct FeedParser: Sendable {
    /// Bounds that keep hostile or runaway documents cheap.
    public struct Configuration: Sendable, Equatable {
        /// Longest input accepted; longer input fails with ``FeedParseError/inputTooLarge(limit:)``.
        public var maxInputBytes: Int
        /// Deepest element nesting read; anything deeper ends the parse with a `limit:` warning.
        public var maxDepth: Int
        /// Total bytes that entity references may expand to; beyond it the parse ends with a `limit:` warning,
        /// so a billion-laughs document fails fast.
        public var maxEntityExpansion: Int
        /// Longest text kept for one field (a title, a description); longer text is cut with a `limit:` warning.
        public var maxFieldBytes: Int

        public init(
            maxInputBytes: Int = 20 << 20, maxDepth: Int = 100, maxEntityExpansion: Int = 1 << 20,
            maxFieldBytes: Int = 1 << 20
        ) {
            self.maxInputBytes = maxInputBytes
            self.maxDepth = maxDepth
            self.maxEntityExpansion = maxEntityExpansion
            self.maxFieldBytes = maxFieldBytes
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Parses a whole document held in memory.
    ///
    /// - Parameters:
    ///   - bytes: the document as received, in any encoding.
    ///   - context: its URL and what the server said about it.
    /// - Returns: the feed with all its items.
    /// - Throws: ``FeedParseError`` when the input is empty, too large, or not a feed.
    public func parse(_ bytes: [UInt8], context: FeedSourceContext = FeedSourceContext()) throws(FeedParseError)
        -> FeedDocument
    {
        var items: [FeedItem] = []
        let session = FeedReadSession(configuration: configuration, context: context) { items.append($0) }
        try bytes.withUnsafeBufferPointer { (all) throws(FeedParseError) in
            var start = 0
            repeat {
                let end = min(all.count, start + FeedReadSession.chunkSize)
                try session.consume(UnsafeBufferPointer(rebasing: all[start..<end]), isLast: end == all.count)
                start = end
            } while start < all.count && !session.isDone
        }
        var document = try session.finish()
        document.items = items
        return document
    }

    /// Parses a document read from an open file descriptor, handing over each item as soon as it ends.
    ///
    /// Memory follows one chunk and one item, not the document, so a 100 MB feed can be read in a few MB.
    /// The descriptor is read to its end (or until the document is known not to be a feed) and is not closed.
    ///
    /// - Parameters:
    ///   - fileDescriptor: an open, readable descriptor (a file, a pipe, standard input).
    ///   - context: the document's URL and what the server said about it.
    ///   - onItem: called once per item, in document order.
    /// - Returns: the feed's own fields and warnings; its `items` is empty, since each went to `onItem`.
    /// - Throws: ``FeedParseError`` when reading fails or the input is empty, too large, or not a feed.
    public func parse(
        fileDescriptor: Int32, context: FeedSourceContext = FeedSourceContext(), onItem: (FeedItem) -> Void
    ) throws(FeedParseError) -> FeedDocument {
        // withoutActuallyEscaping does not carry a typed error, so the outcome travels as a Result.
        let outcome = withoutActuallyEscaping(onItem) { onItem in
            Result { () throws(FeedParseError) in try read(fileDescriptor, to: onItem, context: context) }
        }
        return try outcome.get()
    }

    private func read(_ fileDescriptor: Int32, to onItem: @escaping (FeedItem) -> Void, context: FeedSourceContext)
        throws(FeedParseError) -> FeedDocument
    {
        let session = FeedReadSession(configuration: configuration, context: context, onItem: onItem)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: FeedReadSession.chunkSize)
        defer { buffer.deallocate() }
        while !session.isDone {
            let count = try Self.read(fileDescriptor, into: UnsafeMutableRawBufferPointer(buffer))
            try session.consume(UnsafeBufferPointer(rebasing: buffer[..<count]), isLast: count == 0)
            if count == 0 { break }
        }
        return try session.finish()
    }

    /// Parses the file at `path` as ``parse(fileDescriptor:context:onItem:)`` does.
    /// - Throws: ``FeedParseError/unreadableInput(_:)`` when the file cannot be opened, and what parsing throws.
    public func parse(
        contentsOfFile path: String, context: FeedSourceContext = FeedSourceContext(), onItem: (FeedItem) -> Void
    ) throws(FeedParseError) -> FeedDocument {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableInput("cannot open it: \(SystemError.describe(errno))") }
        defer { close(descriptor) }
        return try parse(fileDescriptor: descriptor, context: context, onItem: onItem)
    }

    /// One `read(2)`, retried on `EINTR`.
    private static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(FeedParseError)
        -> Int
    {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw .unreadableInput("cannot read it: \(SystemError.describe(errno))") }
        }
    }
}

/// The system's words for an `errno` value.
enum SystemError {
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
