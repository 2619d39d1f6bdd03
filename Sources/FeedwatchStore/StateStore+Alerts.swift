import FeedwatchCore
import Foundation
internal import GRDB

extension StateStore {
    /// Whether an alert with this id was already written to the log (and recorded).
    ///
    /// Alert ids are kept for good: they are what stops an article that comes back — in another
    /// feed, or after its item was pruned — from alerting twice.
    public func hasAlert(id: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert WHERE id = ?)", arguments: [id]) ?? false
        }
    }

    /// Records that `alerts` are in the log; ids already recorded are left as they are.
    ///
    /// Used after each append, and at start-up for alerts found in the log but not here (a crash
    /// between the write and this record).
    /// - Returns: how many alerts were newly recorded.
    @discardableResult
    public func recordAlerts(_ alerts: [Alert]) throws -> Int {
        try write { db in
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO alert (id, feed_url, rule, item_id, detected_at) VALUES (?, ?, ?, ?, ?)")
            var recorded = 0
            for alert in alerts {
                try insert.execute(arguments: [
                    alert.id, alert.feed.url, alert.rule, alert.item.id, alert.detectedAt.unixSeconds,
                ])
                recorded += db.changesCount
            }
            return recorded
        }
    }

    /// How many alerts were recorded at or after `since`, for the `STATUS=` line ("alerts today").
    public func alertCount(since: Date) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM alert WHERE detected_at >= ?", arguments: [since.unixSeconds])
                ?? 0
        }
    }
}
