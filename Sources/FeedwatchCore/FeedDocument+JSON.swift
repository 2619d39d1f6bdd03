extension FeedDocument {
    /// The `feedwatch parse` output shape of CONTRACT.md.
    public var json: JSONValue {
        .object([
            ("format", .string(format.rawValue)),
            ("encoding", .string(encoding)),
            ("title", .string(title)),
            ("link", .string(link)),
            ("subtitle", .string(subtitle)),
            ("language", .string(language)),
            ("updated", .date(updated)),
            ("items", .array(items.map(\.json))),
            ("warnings", .strings(warnings)),
        ])
    }
}

extension FeedItem {
    public var json: JSONValue {
        .object([
            ("id", .string(id)),
            ("title", .string(title)),
            ("link", .string(link)),
            ("published", .date(published)),
            ("updated", .date(updated)),
            ("authors", .strings(authors)),
            ("categories", .strings(categories)),
            ("summary", .string(summary)),
            ("content", .string(content)),
        ])
    }
}
