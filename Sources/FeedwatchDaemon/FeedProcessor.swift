import FeedwatchCore
import FeedwatchStore
import Foundation

/// A rule that matched an item, with the words that made it match.
struct RuleHit: Sendable, Equatable {
    var rule: String
    var terms: [String]
}

/// What recording one parsed feed did.
struct ProcessingReport: Sendable {
    /// Alerts appended to the log, in order.
    var alerts: [Alert] = []
    /// Items seen for the first time.
    var newItems = 0
    /// The alert log failure that stopped this feed's remaining alerts; they are retried next cycle.
    var writeFailure: AlertLogError?
    /// Items forgotten after the retention period.
    var pruned = 0
}

/// Decides which items of a parsed feed are new, writes each of their alerts exactly once, and
/// then records the items as seen.
///
/// The order is what makes "exactly once" hold through crashes and full disks:
/// 1. an alert whose id is already recorded (or written but not yet recorded) is never written again,
///    so the same article through a second feed, or after a restart, stays one alert;
/// 2. the line is appended and synced, then its id recorded;
/// 3. an item is recorded as seen only after all its alerts are written. When a write fails,
///    that item and the new items after it stay unseen and are tried again on the next cycle.
struct FeedProcessor {
    let store: StateStore
    let log: AlertLog
    /// How long an item is remembered after it left its feed.
    let retention: Duration

    /// - Parameters:
    ///   - feed: the feed as alerts name it.
    ///   - items: the parsed items, newest first as feeds list them; alerts are written oldest first.
    ///   - firstPollAdmits: on the feed's first poll, which items may alert (the backfill window);
    ///     `nil` on later polls, when every new item may.
    ///   - match: the rules that match an item.
    ///   - unrecorded: alerts written to the log whose ids the state could not record yet; kept
    ///     by the caller across cycles and retried, and consulted so they are not written twice.
    /// - Throws: ``StoreError`` when the state cannot be read or written; nothing of this feed is
    ///   recorded then, and its alerts already written are in `unrecorded`.
    func process(
        feed: Alert.Feed, items: [FeedItem], firstPollAdmits: ((FeedItem) -> Bool)?,
        match: (FeedItem) -> [RuleHit], unrecorded: inout [String: Alert], now: Date = Date()
    ) throws -> ProcessingReport {
        var report = ProcessingReport()
        let index = try store.itemIndex(feedURL: feed.url)
        var records: [SeenItem] = []
        var replacing: [String: String] = [:]

        for item in items.reversed() {
            let known = index.known(id: item.id, link: item.link, title: item.title)
            let hits = match(item)
            let alerting: [RuleHit]
            if let known {
                alerting = hits.filter { !known.matchedRules.contains($0.rule) }
            } else if let firstPollAdmits, !firstPollAdmits(item) {
                alerting = []
            } else {
                alerting = hits
            }
            guard
                try writeAlerts(
                    for: item, of: feed, hits: alerting, report: &report, unrecorded: &unrecorded, now: now)
            else { continue }

            if known == nil { report.newItems += 1 }
            records.append(
                SeenItem(
                    id: item.id, link: item.link, titleHash: SeenItem.titleHash(item.title),
                    firstSeen: known?.firstSeen ?? now, lastSeen: now,
                    matchedRules: (known?.matchedRules ?? []).union(hits.map(\.rule))))
            if let known, known.id != item.id { replacing[item.id] = known.id }
        }
        // Prune only after a clean pass: an item held back by a failed write must not be forgotten.
        let pruneBefore = report.writeFailure == nil ? now.addingTimeInterval(-retention.seconds) : nil
        report.pruned = try store.recordPoll(
            feedURL: feed.url, items: records, replacing: replacing, pruneGoneBefore: pruneBefore)
        return report
    }

    /// Writes the alerts of one item that are not written yet.
    /// - Returns: whether every alert of the item is now in the log, so the item may be recorded.
    private func writeAlerts(
        for item: FeedItem, of feed: Alert.Feed, hits: [RuleHit], report: inout ProcessingReport,
        unrecorded: inout [String: Alert], now: Date
    ) throws -> Bool {
        for hit in hits {
            let alert = Alert(
                detectedAt: now, rule: hit.rule, terms: hit.terms, feed: feed,
                item: Alert.Item(
                    id: item.id, title: item.title, link: item.link, published: item.published,
                    summary: item.summary))
            if try unrecorded[alert.id] != nil || store.hasAlert(id: alert.id) { continue }
            // After one failure the log is not tried again this cycle: the disk will not have recovered.
            guard report.writeFailure == nil else { return false }
            do {
                try log.append(alert)
            } catch {
                report.writeFailure = error
                return false
            }
            report.alerts.append(alert)
            unrecorded[alert.id] = alert
            try store.recordAlerts([alert])
            unrecorded[alert.id] = nil
        }
        return true
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
