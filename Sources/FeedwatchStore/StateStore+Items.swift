import FeedwatchCore
import Foundation
internal import GRDB

/// An item the daemon has seen in a feed, and which rules it matched then.
public struct SeenItem: Sendable, Equatable {
    /// The item's id as the parser gave it.
    public var id: String
    public var link: String?
    /// ``SeenItem/titleHash(_:)`` of the title, to recognise items of feeds that omit ids and links.
    public var titleHash: String?
    public var firstSeen: Date
    /// The last poll that found the item in the feed; pruning counts the retention period from here.
    public var lastSeen: Date
    /// Rules the item matched so far: an edited item alerts again only for a rule not in this set.
    public var matchedRules: Set<String>

    public init(
        id: String, link: String?, titleHash: String?, firstSeen: Date, lastSeen: Date, matchedRules: Set<String>
    ) {
        self.id = id
        self.link = link
        self.titleHash = titleHash
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.matchedRules = matchedRules
    }

    /// A stable hash of a title, whitespace-collapsed and lowercased, or `nil` for no title.
    public static func titleHash(_ title: String?) -> String? {
        guard let title else { return nil }
        if let ascii = normalizedASCII(title) { return ascii.isEmpty ? nil : StableHash.hex(ascii) }
        let words = title.lowercased().split(whereSeparator: isWhitespace)
        return words.isEmpty ? nil : StableHash.hex(words.joined(separator: " "))
    }

    /// The same normalization for an all-ASCII title, byte by byte; `nil` for any other title.
    ///
    /// Hashing titles was the largest single cost of recording a fresh feed, nearly all of it Unicode
    /// property lookups and grapheme breaking that ASCII does not need.
    private static func normalizedASCII(_ title: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(title.utf8.count)
        var spacePending = false
        for byte in title.utf8 {
            guard byte < 0x80 else { return nil }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                spacePending = !bytes.isEmpty
                continue
            }
            if spacePending { bytes.append(0x20) }
            spacePending = false
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `Character.isWhitespace`, without its Unicode property lookup for the ASCII characters (spaces,
    /// digits, punctuation) of titles in other scripts.
    private static func isWhitespace(_ character: Character) -> Bool {
        // "\r\n" is one character whose asciiValue is "\n", whitespace either way.
        guard let ascii = character.asciiValue else { return character.isWhitespace }
        return ascii == 0x20 || (0x09...0x0D).contains(ascii)
    }

    init(row: Row) {
        let rules: String = row["matched_rules"]
        self.init(
            id: row["id"], link: row["link"], titleHash: row["title_hash"],
            firstSeen: Date(timeIntervalSince1970: row["first_seen"]),
            lastSeen: Date(timeIntervalSince1970: row["last_seen"]),
            matchedRules: Set(rules.split(separator: SeenItem.ruleSeparator).map(String.init)))
    }

    /// Rule names are stored in one column, separated by the unit separator, which no name contains.
    static let ruleSeparator: Character = "\u{1F}"

    var storedRules: String { matchedRules.sorted().joined(separator: String(SeenItem.ruleSeparator)) }
}

/// The remembered items of one feed, indexed the ways an item can be recognised.
///
/// Loaded once per poll (``StateStore/itemIndex(feedURL:)``), so recognising a feed's items costs
/// one query, not one per item.
public struct SeenItemIndex: Sendable {
    private var byID: [String: SeenItem] = [:]
    private var byLink: [String: SeenItem] = [:]
    private var byTitle: [String: SeenItem] = [:]

    public init(_ items: [SeenItem]) {
        // Later (more recently seen) items win the link and title slots.
        for item in items.sorted(by: { $0.lastSeen < $1.lastSeen }) {
            byID[item.id] = item
            if let link = item.link {
                byLink[link] = item
            } else if let titleHash = item.titleHash {
                byTitle[titleHash] = item
            }
        }
    }

    public var count: Int { byID.count }

    /// The remembered item that the parsed item (`id`, `link`, `title`) is, if any.
    ///
    /// An item is the same as a remembered one when:
    /// - it has the same id, unless both its link and its title differ from the remembered ones —
    ///   then the feed recycled the id for a new article, and it is new;
    /// - otherwise, it has the same link (feeds that change or omit ids);
    /// - otherwise, having no link, it has the same title (feeds with neither ids nor links, whose
    ///   synthesized id changes with the date).
    public func known(id: String, link: String?, title: String?) -> SeenItem? {
        // The title's hash is computed only when the id and link leave the answer open.
        if let byID = byID[id] {
            return byID.link == link || byID.titleHash == SeenItem.titleHash(title) ? byID : nil
        }
        if let link { return byLink[link] }
        return SeenItem.titleHash(title).flatMap { byTitle[$0] }
    }
}

extension StateStore {
    /// The remembered items of `feedURL`, ready to recognise a poll's items.
    public func itemIndex(feedURL: String) throws -> SeenItemIndex {
        SeenItemIndex(try seenItems(feedURL: feedURL))
    }

    /// Every remembered item of `feedURL`.
    public func seenItems(feedURL: String) throws -> [SeenItem] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM item WHERE feed_url = ? ORDER BY first_seen, id", arguments: [feedURL]
            )
            .map(SeenItem.init(row:))
        }
    }

    /// Records the outcome of one poll of `feedURL` in one transaction.
    ///
    /// Call it only after every alert of these items is safely in the log: an item recorded here
    /// counts as seen and is not matched again for the rules it carries.
    /// - Parameters:
    ///   - items: items to insert or update (by id); each replaces the remembered row it was
    ///     recognised as, when that row had another id.
    ///   - replacing: for each item recognised under another id, that old id, so only one row remains.
    ///   - pruneGoneBefore: items of this feed last seen before this time are forgotten.
    /// - Returns: how many items were pruned.
    @discardableResult
    public func recordPoll(
        feedURL: String, items: [SeenItem], replacing: [String: String] = [:], pruneGoneBefore: Date? = nil
    ) throws -> Int {
        try write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM item WHERE feed_url = ? AND id = ?")
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO item (feed_url, id, link, title_hash, first_seen, last_seen, matched_rules)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for item in items {
                if let old = replacing[item.id], old != item.id {
                    try delete.execute(arguments: [feedURL, old])
                }
                try upsert.execute(arguments: [
                    feedURL, item.id, item.link, item.titleHash, item.firstSeen.unixSeconds, item.lastSeen.unixSeconds,
                    item.storedRules,
                ])
            }
            guard let pruneGoneBefore else { return 0 }
            try db.execute(
                sql: "DELETE FROM item WHERE feed_url = ? AND last_seen < ?",
                arguments: [feedURL, pruneGoneBefore.unixSeconds])
            return db.changesCount
        }
    }
}
