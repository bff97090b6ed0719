import Foundation
import OutboundConfig
import OutboundStore
import OutboundStorePostgres
import OutboundStoreSQLite

/// Where a store lives, as `--store` or `OUTBOUNDCTL_STORE` names it: a PostgreSQL URL
/// (`postgres://` or `postgresql://`), else a SQLite file path. The only place the CLI
/// chooses a backend; every command opens its store through here, so each works on both.
enum StoreLocation {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Reads `text`; a PostgreSQL URL that cannot be used (a bad schema name, an unknown
    /// parameter) is a usage error, said before any connection.
    init(_ text: String) throws {
        guard PostgresURL.isURL(text) else {
            self = .sqlite(path: text)
            return
        }
        do {
            self = .postgres(try PostgresURL(parsing: text))
        } catch let error as PostgresURLError {
            throw CommandFailure("usage", error.message, status: 64)
        }
    }

    /// The store for messages and for hints meant to be pasted: the path, or the URL without
    /// its password.
    var display: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.location
        }
    }

    /// What to say of a store of an older schema: which store, and the command that migrates it.
    var olderSchema: String {
        "the store at \(display) was written by an older outboundctl; run `outboundctl store migrate --store \(ShellWord.quoted(display))`"
    }

    /// The refusal of commands that need the current schema (`serve`, `store copy`).
    var olderSchemaRefused: CommandFailure {
        CommandFailure("store-outdated", olderSchema + " first", status: 3)
    }

    /// The existing store, read-only (never created or migrated).
    func openForReading() throws -> OutboundStore {
        switch self {
        case .sqlite(let path): try OutboundStore.sqliteForReading(path: path)
        case .postgres(let url): try OutboundStore.postgresForReading(url: url)
        }
    }

    /// The store for writing, created and migrated when needed.
    func open(lockTimeout: TimeInterval) throws -> OutboundStore {
        switch self {
        case .sqlite(let path): try OutboundStore.sqlite(path: path, lockTimeout: lockTimeout)
        case .postgres(let url): try OutboundStore.postgres(url: url, lockTimeout: lockTimeout)
        }
    }

    /// How `serve` opens the store for each look: a SQLite file anew each time (a file
    /// replaced or made unreadable is then noticed); a PostgreSQL store once, then kept, since
    /// its backend keeps connections and makes new ones when the server comes back. Its
    /// request paths read PostgreSQL from async code over at most `readConnections` connections.
    func reader(readConnections: Int) -> @Sendable () throws -> OutboundStore {
        switch self {
        case .sqlite(let path):
            return { try OutboundStore.sqliteForReading(path: path) }
        case .postgres(let url):
            let opened = OpenedOnce()
            return { try opened.store { try OutboundStore.postgresForReading(url: url, readConnections: readConnections) } }
        }
    }
}

/// A store opened on first success and kept.
private final class OpenedOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: OutboundStore?

    func store(_ open: () throws -> OutboundStore) throws -> OutboundStore {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let store = try open()
        opened = store
        return store
    }
}
