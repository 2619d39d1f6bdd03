import ArgumentParser
import FeedwatchCore
import Foundation

/// Reads the match benchmark's items: one JSON object per line, as bench/gen_corpus.py `--items` writes
/// them, in the shape the parser hands items to the rules (plain text fields).
enum ItemFile {
    private struct Line: Decodable {
        var id: String
        var title: String?
        var link: String?
        var authors: [String]?
        var categories: [String]?
        var summary: String?
        var content: String?
    }

    /// - Parameter limit: read at most this many items (the naive baseline is too slow for all of them).
    /// - Throws: `ValidationError` naming the file and line when a line is not such an object.
    static func load(path: String, limit: Int?) throws -> [FeedItem] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        var items: [FeedItem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if let limit, items.count >= limit { break }
            do {
                let value = try decoder.decode(Line.self, from: Data(line.utf8))
                items.append(
                    FeedItem(
                        id: value.id, title: value.title, link: value.link, authors: value.authors ?? [],
                        categories: value.categories ?? [], summary: value.summary, content: value.content
                    )
                )
            } catch {
                throw ValidationError("\(path):\(index + 1): not an item object: \(error)")
            }
        }
        return items
    }

    /// Keywords, one per line; blank lines are skipped.
    static func keywords(path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
