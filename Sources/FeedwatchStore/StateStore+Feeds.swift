import Foundation
internal import GRDB

/// What the daemon remembers about one feed between polls and across restarts.
public struct FeedState: Sendable, Equatable {
    /// The feed's URL or path as configured (the key; a redirect does not change it).
    public var url: String
    /// `ETag` exactly as the server sent it, for `If-None-Match`.
    public var etag: String?
    /// `Last-Modified` exactly as the server sent it, for `If-Modified-Since`.
    public var lastModified: String?
    /// Where a permanent redirect (301, 308) said the feed now lives; fetched instead of `url`.
    public var redirectURL: String?
    /// Failed polls in a row; drives the backoff. Zero after a success.
    public var failingStreak: Int
    public var nextPoll: Date?
    public var lastAttempt: Date?
    /// `nil` until the first successful poll, which is the one the backfill window applies to.
    public var lastSuccess: Date?
    /// The HTTP status of the last response, `nil` for local files or when no response came.
    public var lastStatus: Int?
    /// The last failure as a sentence a person understands; `nil` after a success.
    public var lastError: String?
    /// Polls attempted, and how many of them failed, since the feed was first seen.
    public var fetches: Int
    public var failures: Int

    public init(
        url: String, etag: String? = nil, lastModified: String? = nil, redirectURL: String? = nil,
        failingStreak: Int = 0, nextPoll: Date? = nil, lastAttempt: Date? = nil, lastSuccess: Date? = nil,
        lastStatus: Int? = nil, lastError: String? = nil, fetches: Int = 0, failures: Int = 0
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.redirectURL = redirectURL
        self.failingStreak = failingStreak
        self.nextPoll = nextPoll
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.fetches = fetches
        self.failures = failures
    }

    init(row: Row) {
        self.init(
            url: row["url"], etag: row["etag"], lastModified: row["last_modified"], redirectURL: row["redirect_url"],
            failingStreak: row["failing_streak"], nextPoll: (row["next_poll"] as Double?).date,
            lastAttempt: (row["last_attempt"] as Double?).date, lastSuccess: (row["last_success"] as Double?).date,
            lastStatus: row["last_status"], lastError: row["last_error"], fetches: row["fetches"],
            failures: row["failures"])
    }
}

/// A feed's saved state with the counts `feedwatch status` shows.
public struct FeedSummary: Sendable, Equatable {
    public var state: FeedState
    /// Items remembered for this feed (present in it, or gone for less than the retention period).
    public var itemsSeen: Int
    /// Alerts written for items first found through this feed.
    public var alerts: Int
}

extension StateStore {
    /// The saved state of the feed configured as `url`, or `nil` if it was never polled.
    public func feedState(url: String) throws -> FeedState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM feed WHERE url = ?", arguments: [url]).map(FeedState.init(row:))
        }
    }

    /// Every saved feed, by URL.
    public func feedStates() throws -> [FeedState] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feed ORDER BY url").map(FeedState.init(row:))
        }
    }

    /// Inserts or replaces the state of `state.url`.
    public func save(_ state: FeedState) throws {
        try save([state])
    }

    /// Inserts or replaces the states of several feeds in one transaction, as after a poll.
    public func save(_ states: [FeedState]) throws {
        try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO feed (url, etag, last_modified, redirect_url, failing_streak, next_poll,
                        last_attempt, last_success, last_status, last_error, fetches, failures)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for state in states {
                try statement.execute(arguments: [
                    state.url, state.etag, state.lastModified, state.redirectURL, state.failingStreak,
                    state.nextPoll?.unixSeconds, state.lastAttempt?.unixSeconds, state.lastSuccess?.unixSeconds,
                    state.lastStatus, state.lastError, state.fetches, state.failures,
                ])
            }
        }
    }

    /// Every saved feed with its item and alert counts, read in one snapshot.
    public func feedSummaries() throws -> [FeedSummary] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT feed.*,
                        (SELECT COUNT(*) FROM item WHERE item.feed_url = feed.url) AS items_seen,
                        (SELECT COUNT(*) FROM alert WHERE alert.feed_url = feed.url) AS alerts
                    FROM feed ORDER BY url
                    """)
            return rows.map {
                FeedSummary(state: FeedState(row: $0), itemsSeen: $0["items_seen"], alerts: $0["alerts"])
            }
        }
    }
}
