import FeedwatchCore

/// One document on its way through the parser: format sniffing, size accounting, and either the XML pipeline
/// (decoder, sanitizer, libxml2, builder) or the JSON Feed mapper.
final class FeedReadSession {
    /// Bytes handed to the pipeline at a time: large enough that per-chunk costs vanish, small enough that memory
    /// stays flat whatever the document's size. Small enough, too, that the buffers along the way (the clean
    /// bytes, libxml2's input) stay below malloc's mmap threshold and are reused rather than mapped and faulted in
    /// afresh for every document: 256 KB chunks cost five times as many page faults.
    static let chunkSize = 32 << 10

    private enum Stage {
        /// Nothing but whitespace (or a byte-order mark) seen so far; those bytes are held.
        case sniffing([UInt8])
        case xml(XMLPipeline)
        case json([UInt8])
    }

    private let configuration: FeedParser.Configuration
    private let context: FeedSourceContext
    private let onItem: (FeedItem) -> Void
    private var stage = Stage.sniffing([])
    private var totalBytes = 0

    init(configuration: FeedParser.Configuration, context: FeedSourceContext, onItem: @escaping (FeedItem) -> Void) {
        self.configuration = configuration
        self.context = context
        self.onItem = onItem
    }

    /// Whether the rest of the input would be ignored (the document was rejected or libxml2 stopped).
    var isDone: Bool {
        if case .xml(let pipeline) = stage { return pipeline.isDone }
        return false
    }

    func consume(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) throws(FeedParseError) {
        totalBytes += chunk.count
        guard totalBytes <= configuration.maxInputBytes else {
            throw .inputTooLarge(limit: configuration.maxInputBytes)
        }
        switch stage {
        case .sniffing(var held):
            held.append(contentsOf: chunk)
            switch Self.sniff(held) {
            case nil:
                stage = .sniffing(held)
            case .json?:
                stage = .json(held)
            case .xml?:
                let pipeline = XMLPipeline(configuration: configuration, context: context, onItem: onItem)
                stage = .xml(pipeline)
                try held.withUnsafeBufferPointer { (bytes) throws(FeedParseError) in
                    try pipeline.consume(bytes, isLast: isLast)
                }
            }
        case .xml(let pipeline):
            try pipeline.consume(chunk, isLast: isLast)
        case .json(var bytes):
            // Drop the stage's reference first so appending does not copy everything read so far.
            stage = .sniffing([])
            bytes.append(contentsOf: chunk)
            stage = .json(bytes)
        }
    }

    /// The feed's own fields and warnings; items already went to `onItem`.
    func finish() throws(FeedParseError) -> FeedDocument {
        var document: FeedDocument
        switch stage {
        case .sniffing:
            throw .emptyInput
        case .xml(let pipeline):
            document = try pipeline.finish()
        case .json(let bytes):
            document = try JSONFeedMapper.map(bytes, baseURL: context.baseURL)
            document.items.forEach(onItem)
            document.items = []
        }
        if let warning = Self.contentTypeWarning(context.contentType, format: document.format) {
            document.warnings.insert(warning, at: 0)
        }
        return document
    }

    private enum Syntax { case xml, json }

    /// JSON starts with `{` or `[`; everything else goes to the XML parser, which knows how to reject it.
    /// `nil` while only whitespace and byte-order marks were seen.
    private static func sniff(_ bytes: [UInt8]) -> Syntax? {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        return bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") ? .json : .xml
    }

    /// A server type that names another kind of document than the one found (HTML or JSON for a feed in XML, XML
    /// or HTML for JSON Feed). Generic types (`text/plain`, `application/octet-stream`) say nothing and pass.
    private static func contentTypeWarning(_ contentType: String?, format: FeedDocument.Format) -> String? {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        let fits: Bool
        if format == .jsonFeed {
            fits = !mediaType.contains("xml") && !mediaType.contains("html")
        } else {
            fits = !mediaType.contains("json") && (mediaType.contains("xml") || !mediaType.contains("html"))
        }
        guard !fits else { return nil }
        return "content-type: the server said \(mediaType), but the document is \(format.rawValue)"
    }
}

/// The XML path: decoder → sanitizer → libxml2 → builder, one chunk at a time.
final class XMLPipeline {
    private var decoder: InputDecoder
    private let builder: FeedBuilder
    private let parser: XMLPushParser
    private var clean: [UInt8] = []

    init(configuration: FeedParser.Configuration, context: FeedSourceContext, onItem: @escaping (FeedItem) -> Void) {
        decoder = InputDecoder(httpCharset: context.httpCharset)
        builder = FeedBuilder(
            baseURL: context.baseURL,
            limits: FeedBuilder.Limits(
                maxDepth: configuration.maxDepth, maxFieldBytes: configuration.maxFieldBytes,
                maxEntityExpansion: configuration.maxEntityExpansion),
            onItem: onItem)
        parser = XMLPushParser(handler: builder)
    }

    var isDone: Bool { parser.isStopped }

    func consume(_ chunk: UnsafeBufferPointer<UInt8>, isLast: Bool) throws(FeedParseError) {
        clean.removeAll(keepingCapacity: true)
        // Room for the chunk and the few bytes the sanitizer adds (`&lt;` becomes `&#60;`), so it seldom grows.
        clean.reserveCapacity(chunk.count + chunk.count / 8 + 64)
        decoder.decode(chunk, isLast: isLast, into: &clean)
        clean.withUnsafeBufferPointer { parser.feed($0, isLast: isLast) }
        if let rejection = builder.rejection { throw rejection }
    }

    func finish() throws(FeedParseError) -> FeedDocument {
        parser.feed(UnsafeBufferPointer(start: nil, count: 0), isLast: true)
        var document = try builder.finish(encoding: decoder.encoding?.name ?? CharacterEncoding.utf8.name)
        document.warnings = decoder.warnings + document.warnings + decoder.closingWarnings()
        return document
    }
}
