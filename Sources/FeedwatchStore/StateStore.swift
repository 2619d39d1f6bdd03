import Foundation
internal import GRDB

/// Everything the daemon must remember between runs, in one SQLite database in `state_dir`.
///
/// Why GRDB.swift rather than SQLite's C API: its `DatabaseMigrator` gives a versioned schema that
/// upgrades itself on start-up; its `DatabasePool` puts the database in WAL mode and keeps separate
/// reader connections, so `feedwatch status` reads a consistent snapshot while `feedwatch run`
/// writes; and it owns statement and connection lifetimes, retries on `SQLITE_BUSY` and maps
/// errors, which with the C API would be a few hundred lines of our own wrapping.
///
/// Durability: the connection runs with `synchronous = NORMAL`, so a power loss may roll back the
/// last few commits (never corrupt the file). That is safe here because the alert log is the
/// record of truth for alerts: start-up recovery re-records alert ids found in the log, and an
/// item forgotten by a rollback is seen again and meets its recorded alert id.
public final class StateStore: Sendable {
    /// The database file's name inside `state_dir`.
    public static let fileName = "state.sqlite"

    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens the state in `directory` for the daemon, creating the folder and the database when
    /// missing and bringing the schema up to date.
    /// - Throws: ``StoreError`` when the folder cannot be made or the database cannot be opened or migrated.
    public init(directory: String) throws {
        path = (directory as NSString).appendingPathComponent(StateStore.fileName)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotCreateDirectory(directory, reason: error.localizedDescription)
        }
        var configuration = Configuration()
        // A `status` reader checkpointing, or a second process starting, holds the lock briefly.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StateStore.migrator.migrate(pool)
        } catch {
            throw StoreError.database(path, error)
        }
    }

    /// Opens an existing state read-only, for `feedwatch status` while the daemon may be writing.
    ///
    /// - Returns: `nil` when there is no database yet (the daemon never ran with this `state_dir`).
    /// - Throws: ``StoreError`` when the database exists but cannot be read, or was written by a
    ///   newer feedwatch whose schema this one does not know.
    public static func openForReading(directory: String) throws -> StateStore? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try StateStore(readingAt: path)
    }

    private init(readingAt path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let known = Set(StateStore.migrator.migrations)
            let applied = try pool.read { try StateStore.migrator.appliedIdentifiers($0) }
            if !applied.isSubset(of: known) {
                throw StoreError.newerSchema(path)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path, error)
        }
    }

    /// Runs `body` in one write transaction, mapping SQLite errors to ``StoreError``.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch {
            throw StoreError.database(path, error)
        }
    }

    /// Runs `body` on a reader connection that sees one consistent snapshot.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StoreError.database(path, error)
        }
    }
}

// MARK: - Schema

extension StateStore {
    /// The schema, one registered migration per version; a migration, once shipped, never changes.
    ///
    /// Times are Unix seconds (`REAL`), so they compare and sort without parsing.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // One row per feed URL as configured; survives the feed being removed from the config
            // and added back, so its validators and history are not lost across a reload.
            try db.execute(
                sql: """
                    CREATE TABLE feed (
                        url TEXT PRIMARY KEY NOT NULL,
                        etag TEXT,
                        last_modified TEXT,
                        redirect_url TEXT,
                        failing_streak INTEGER NOT NULL DEFAULT 0,
                        next_poll REAL,
                        last_attempt REAL,
                        last_success REAL,
                        last_status INTEGER,
                        last_error TEXT,
                        fetches INTEGER NOT NULL DEFAULT 0,
                        failures INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE item (
                        feed_url TEXT NOT NULL,
                        id TEXT NOT NULL,
                        link TEXT,
                        title_hash TEXT,
                        first_seen REAL NOT NULL,
                        last_seen REAL NOT NULL,
                        matched_rules TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (feed_url, id)
                    ) WITHOUT ROWID;
                    CREATE INDEX item_by_last_seen ON item (feed_url, last_seen);
                    CREATE TABLE alert (
                        id TEXT PRIMARY KEY NOT NULL,
                        feed_url TEXT NOT NULL,
                        rule TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        detected_at REAL NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX alert_by_feed ON alert (feed_url);
                    CREATE INDEX alert_by_time ON alert (detected_at);
                    """)
        }
        return migrator
    }()

    /// The schema versions applied to this database, oldest first.
    public func schemaVersions() throws -> [String] {
        try read { try StateStore.migrator.appliedMigrations($0) }
    }
}

// MARK: - Time columns

extension Date {
    var unixSeconds: Double { timeIntervalSince1970 }
}

extension Optional where Wrapped == Double {
    var date: Date? { map(Date.init(timeIntervalSince1970:)) }
}
