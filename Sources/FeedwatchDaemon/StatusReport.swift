import FeedwatchConfig
import FeedwatchCore
import FeedwatchStore
import Foundation

/// Per-feed health for `feedwatch status`: the configured feeds joined with what the state remembers.
///
/// Built from a read-only snapshot of the state, so it is safe while the daemon runs. A feed the
/// daemon has not polled yet appears with empty times and zero counts rather than being left out.
public struct StatusReport: Sendable {
    public struct Row: Sendable, Equatable {
        public var url: String
        public var name: String?
        public var state: FeedState
        public var itemsSeen: Int
        public var alerts: Int
        public var enabled: Bool
    }

    public var rows: [Row]

    /// Reads the state in `configuration.stateDirectory`.
    /// - Throws: what ``StateStore/openForReading(directory:)`` throws for an unreadable or newer state.
    public init(configuration: Configuration) throws {
        let summaries = try StateStore.openForReading(directory: configuration.stateDirectory)?.feedSummaries() ?? []
        let byURL = Dictionary(summaries.map { ($0.state.url, $0) }, uniquingKeysWith: { first, _ in first })
        rows = configuration.feeds.map { feed in
            let summary = byURL[feed.url]
            return Row(
                url: feed.url, name: feed.name, state: summary?.state ?? FeedState(url: feed.url),
                itemsSeen: summary?.itemsSeen ?? 0, alerts: summary?.alerts ?? 0, enabled: feed.enabled)
        }
    }

    /// The `status --json` array of CONTRACT.md.
    public var json: JSONValue {
        .array(
            rows.map { row in
                .object([
                    ("url", .string(row.url)),
                    ("name", .string(row.name)),
                    ("last_attempt", .date(row.state.lastAttempt)),
                    ("last_success", .date(row.state.lastSuccess)),
                    ("last_status", row.state.lastStatus.map(JSONValue.int) ?? .null),
                    ("last_error", .string(row.state.lastError)),
                    ("next_poll", .date(row.state.nextPoll)),
                    ("failing_streak", .int(row.state.failingStreak)),
                    ("items_seen", .int(row.itemsSeen)),
                    ("alerts", .int(row.alerts)),
                ])
            })
    }

    /// An aligned table for a person; times relative to `now` ("3m ago", "in 12m").
    public func table(now: Date, style: TerminalStyle) -> String {
        let header = ["FEED", "LAST SUCCESS", "LAST RESULT", "NEXT POLL", "ITEMS", "ALERTS", "FAILING"]
        let body = rows.map { row -> [String] in
            [
                TerminalText.neutralized(row.name ?? row.url),
                Self.relative(row.state.lastSuccess, now: now) ?? "never",
                result(of: row),
                row.enabled ? (Self.relative(row.state.nextPoll, now: now) ?? "at start") : "disabled",
                String(row.itemsSeen),
                String(row.alerts),
                String(row.state.failingStreak),
            ]
        }
        let widths = header.indices.map { column in
            ([header] + body).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [style.paint(line(header), .bold)]
        for (row, cells) in zip(rows, body) {
            let text = line(cells)
            lines.append(row.state.failingStreak > 0 ? style.paint(text, .red) : text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func result(of row: Row) -> String {
        if let error = row.state.lastError { return TerminalText.neutralized(error) }
        if let status = row.state.lastStatus { return "HTTP \(status)" }
        return row.state.lastSuccess == nil ? "-" : "ok"
    }

    /// "5s ago", "3m ago", "2h ago", "in 12m", or `nil` for no date.
    static func relative(_ date: Date?, now: Date) -> String? {
        guard let date else { return nil }
        let seconds = Int(date.timeIntervalSince(now).rounded())
        let magnitude = abs(seconds)
        let amount: String
        switch magnitude {
        case ..<60: amount = "\(magnitude)s"
        case ..<3600: amount = "\(magnitude / 60)m"
        case ..<86400: amount = "\(magnitude / 3600)h"
        default: amount = "\(magnitude / 86400)d"
        }
        if magnitude < 1 { return "now" }
        return seconds < 0 ? "\(amount) ago" : "in \(amount)"
    }
}
