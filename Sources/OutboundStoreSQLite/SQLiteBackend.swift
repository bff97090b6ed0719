import Foundation
import GRDB
import OutboundConfig
import OutboundStore

/// The embedded store: one SQLite file in WAL mode, through GRDB. Readers open it read-only
/// (never creating, migrating or checkpointing it, never waiting for an apply); writers take
/// SQLite's write lock with `BEGIN IMMEDIATE`, waiting at most the lock timeout.
public final class SQLiteBackend: StoreBackend {
    public let path: String
    public let isCurrentSchema: Bool
    let queue: DatabaseQueue
    /// Whether revisions say how their snapshot is encoded (schema v2 and later).
    let hasSnapshotEncoding: Bool
    /// Whether entities keep their places (schema v3 and later).
    let hasSources: Bool

    public var location: String { path }

    /// How long a reader waits for SQLite's own brief locks (WAL recovery); readers never
    /// wait for an apply.
    static let readerBusyTimeout: TimeInterval = 5

    private init(path: String, queue: DatabaseQueue, isCurrentSchema: Bool, hasSnapshotEncoding: Bool, hasSources: Bool) {
        self.path = path
        self.queue = queue
        self.isCurrentSchema = isCurrentSchema
        self.hasSnapshotEncoding = hasSnapshotEncoding
        self.hasSources = hasSources
    }

    /// Opens an existing store for reading only: never creates, migrates or checkpoints it,
    /// works for a user who may only read the file, and never waits for an apply (a WAL reader
    /// sees the last committed revision). A store of an older schema is read as it is
    /// (`isCurrentSchema` false); one of a newer schema is refused.
    public static func openForReading(path: String) throws -> SQLiteBackend {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path) }
        return try SQLiteErrors.wrap(path) {
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(readerBusyTimeout)
            configuration.label = "outboundctl-reader"
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
            let queue = try ReadOnlyOpening.open(path: path, configuration: configuration)
            let (superseded, complete, tables) = try queue.read { db in
                let migrator = StoreSchema.migrator
                return (
                    try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db),
                    try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
                )
            }
            if superseded { throw StoreError.newerSchema(path) }
            guard tables.contains("grdb_migrations"), tables.contains("revisions") else {
                throw StoreError.unreadable(
                    path,
                    tables.isEmpty
                        ? "the file is empty, not an outboundctl store; run `outboundctl apply` to create one"
                        : "the file is a SQLite database but not an outboundctl store")
            }
            let (encoded, sources) = try queue.read { db in
                (
                    try db.columns(in: "revisions").contains { $0.name == "snapshot_encoding" },
                    try db.columns(in: "entities").contains { $0.name == "sources" }
                )
            }
            return SQLiteBackend(path: path, queue: queue, isCurrentSchema: complete, hasSnapshotEncoding: encoded, hasSources: sources)
        }
    }

    /// Opens the store for writing, creating it (and migrating it to the current schema) if
    /// needed: `apply`, `rollback` and `store migrate` only. `lockTimeout`: how long to wait
    /// for another apply's write lock (then `StoreError.locked`).
    public static func open(path: String, lockTimeout: TimeInterval = OutboundStore.defaultLockTimeout) throws -> SQLiteBackend {
        try SQLiteErrors.wrap(path) {
            var configuration = GRDB.Configuration()
            configuration.busyMode = .timeout(lockTimeout)
            configuration.label = "outboundctl"
            // WAL with synchronous=NORMAL keeps every transaction atomic and the file consistent
            // after a crash; only the newest commits may be lost on power failure (docs/store.md).
            // The -wal and -shm files are kept after the last connection closes, with the
            // store's owner and mode, so that a user who may only read the store can still
            // open it (SQLite needs both to exist for a read-only WAL reader).
            // WAL is set here rather than through GRDB's `journalMode = .wal`, which writes a
            // table and drops it whenever the -wal file is empty: every apply, even one with
            // nothing to change, would then write to the store. (page_size must come first: it
            // cannot change once a database is in WAL mode.)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA page_size = 16384")
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw StoreError.unreadable(path, "WAL mode could not be turned on")
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA journal_size_limit = 1048576")
                PersistentWAL.enable(db)
            }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            let (superseded, complete) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded { throw StoreError.newerSchema(path) }
            if !complete {
                let isStore = try queue.read { db in
                    try db.tableExists("grdb_migrations") || (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0) == 0
                }
                guard isStore else { throw StoreError.unreadable(path, "the file is a SQLite database but not an outboundctl store") }
                try migrator.migrate(queue)
            }
            return SQLiteBackend(path: path, queue: queue, isCurrentSchema: true, hasSnapshotEncoding: true, hasSources: true)
        }
    }

    public func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        try SQLiteErrors.wrap(path) { try queue.read { db in try body(SQLiteSession(db: db, backend: self)) } }
    }

    public func write<T>(_ body: (any StoreWriteSession) throws -> (result: T, commit: Bool)) throws -> T {
        try SQLiteErrors.wrap(path) {
            var result: T?
            try queue.inTransaction(.immediate) { db in
                let (value, commit) = try body(SQLiteSession(db: db, backend: self))
                result = value
                return commit ? .commit : .rollback
            }
            return result!
        }
    }
}

/// SQLite's failures as store errors that name the store.
enum SQLiteErrors {
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: throw StoreError.locked(path)
            case .SQLITE_NOTADB: throw StoreError.unreadable(path, "the file is not an outboundctl store (not a SQLite database)")
            case .SQLITE_CORRUPT: throw StoreError.unreadable(path, "the database is corrupt")
            case .SQLITE_FULL: throw StoreError.unreadable(path, "the disk or database is full; nothing was written")
            case .SQLITE_READONLY: throw StoreError.unreadable(path, "the store is read-only; nothing was written")
            case .SQLITE_CANTOPEN: throw StoreError.unreadable(path, "the file cannot be opened")
            default: throw StoreError.unreadable(path, error.message ?? "\(error)")
            }
        } catch {
            throw StoreError.unreadable(path, "\(error)")
        }
    }
}

extension OutboundStore {
    /// The SQLite store at `path`, opened for reading (see `SQLiteBackend.openForReading`).
    public static func sqliteForReading(path: String) throws -> OutboundStore {
        OutboundStore(backend: try SQLiteBackend.openForReading(path: path))
    }

    /// The SQLite store at `path`, opened for writing (see `SQLiteBackend.open`).
    public static func sqlite(path: String, lockTimeout: TimeInterval = OutboundStore.defaultLockTimeout) throws -> OutboundStore {
        OutboundStore(backend: try SQLiteBackend.open(path: path, lockTimeout: lockTimeout))
    }
}
