import Foundation
import OutboundConfig
import OutboundStore
import PostgresNIO

/// The shared store: one PostgreSQL schema (default `outboundctl`) that many admins write and
/// many readers read. Readers see one committed revision per transaction (`REPEATABLE READ`)
/// and never wait for an apply. A writer takes a transaction-scoped advisory lock keyed on the
/// schema, waiting at most the lock timeout, so applies from any number of machines serialise;
/// the engine then plans inside the transaction and numbers the revision after the current one,
/// and the commit announces it (`NOTIFY outboundctl_revision`, the schema as payload).
public final class PostgresBackend: StoreBackend {
    public let url: PostgresURL
    public let isCurrentSchema: Bool
    let connections: PostgresConnections
    /// The async reads of `serve`'s request paths, when opened for them.
    let readPool: PostgresReadPool?
    let lockTimeout: TimeInterval
    /// `url.schema` as an SQL identifier.
    let schema: String

    /// The channel of revision announcements.
    static let channel = "outboundctl_revision"

    public var location: String { url.location }

    private init(
        url: PostgresURL, connections: PostgresConnections, lockTimeout: TimeInterval, isCurrentSchema: Bool, readConnections: Int? = nil
    ) throws {
        self.url = url
        self.connections = connections
        self.lockTimeout = lockTimeout
        self.isCurrentSchema = isCurrentSchema
        schema = PostgresSchema.quoted(url.schema)
        readPool = try readConnections.map {
            try PostgresReadPool(url: url, reads: PostgresReads(schema: PostgresSchema.quoted(url.schema)), connections: connections, size: $0)
        }
    }

    public var asyncReads: (any AsyncStoreReads)? { readPool }

    /// The state of the schema's migrations.
    private enum SchemaState {
        case missing
        case current
        case older
        case newer
    }

    private static func schemaState(_ connection: PostgresConnection, _ url: PostgresURL) throws -> SchemaState {
        let table = try connection.run("SELECT to_regclass(\(PostgresSchema.quoted(url.schema) + ".migrations"))::text").first?.decode(String?.self)
        guard table != nil else { return .missing }
        let applied = Set(
            try connection.run("SELECT identifier FROM \(unescaped: PostgresSchema.quoted(url.schema)).migrations").map { try $0.decode(String.self) }
        )
        let known = Set(PostgresSchema.migrations.map(\.identifier))
        if !applied.isSubset(of: known) { return .newer }
        if applied.isEmpty { return .missing }
        return applied == known ? .current : .older
    }

    /// Opens an existing store for reading only: never creates or migrates it. A missing
    /// schema is `StoreError.missing`; one of a newer outboundctl is refused; an older one is
    /// read as it is (`isCurrentSchema` false). With `readConnections`, the store is also read
    /// from async code (`asyncReads`) over a pool of at most that many connections, which
    /// answers while its `run()` runs.
    public static func openForReading(url: PostgresURL, readConnections: Int? = nil) throws -> PostgresBackend {
        let connections = PostgresConnections(url: url)
        let state = try PostgresErrors.wrap(url) { try connections.with { try schemaState($0, url) } }
        switch state {
        case .missing: throw StoreError.missing(url.location)
        case .newer: throw StoreError.newerSchema(url.location)
        case .current, .older:
            return try PostgresErrors.wrap(url) {
                try PostgresBackend(
                    url: url, connections: connections, lockTimeout: OutboundStore.defaultLockTimeout, isCurrentSchema: state == .current,
                    readConnections: readConnections)
            }
        }
    }

    /// Opens the store for writing, creating its schema and migrating it when needed (under
    /// the apply lock, so two first applies do not both create it). `lockTimeout`: how long to
    /// wait for another apply (then `StoreError.locked`).
    public static func open(url: PostgresURL, lockTimeout: TimeInterval = OutboundStore.defaultLockTimeout) throws -> PostgresBackend {
        let backend = try PostgresBackend(url: url, connections: PostgresConnections(url: url), lockTimeout: lockTimeout, isCurrentSchema: true)
        try PostgresErrors.wrap(url) {
            try backend.connections.with { connection in
                guard try schemaState(connection, url) != .current else { return }
                try backend.transaction(connection) {
                    switch try schemaState(connection, url) {
                    case .newer: throw StoreError.newerSchema(url.location)
                    case .current: return ((), true)
                    case .missing, .older: try backend.migrate(connection)
                    }
                    return ((), true)
                }
            }
        }
        return backend
    }

    /// Runs the migrations the schema lacks; the first creates the schema and the store's identity.
    private func migrate(_ connection: PostgresConnection) throws {
        try connection.run("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)")
        try connection.run("CREATE TABLE IF NOT EXISTS \(unescaped: schema).migrations (identifier text PRIMARY KEY)")
        let applied = Set(try connection.run("SELECT identifier FROM \(unescaped: schema).migrations").map { try $0.decode(String.self) })
        for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
            for statement in migration.statements(schema) { try connection.run(PostgresQuery(unsafeSQL: statement)) }
            try connection.run("INSERT INTO \(unescaped: schema).migrations (identifier) VALUES (\(migration.identifier))")
        }
        try connection.run(
            "INSERT INTO \(unescaped: schema).meta (key, value) VALUES ('store_id', \(UUID().uuidString.lowercased())) ON CONFLICT DO NOTHING")
    }

    public func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        try PostgresErrors.wrap(url) {
            try connections.with { connection in
                try connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                do {
                    let result = try body(PostgresSession(connection: connection, schema: schema))
                    try connection.run("COMMIT")
                    return result
                } catch {
                    _ = try? connection.run("ROLLBACK")
                    throw error
                }
            }
        }
    }

    public func write<T>(_ body: (any StoreWriteSession) throws -> (result: T, commit: Bool)) throws -> T {
        try PostgresErrors.wrap(url) {
            try connections.with { connection in
                try transaction(connection) {
                    let (result, commit) = try body(PostgresSession(connection: connection, schema: schema))
                    if commit { try connection.run("SELECT pg_notify(\(Self.channel), \(url.schema))") }
                    return (result, commit)
                }
            }
        }
    }

    /// One transaction holding the schema's apply lock: `BEGIN`, the lock (waiting at most
    /// `lockTimeout`; 0 tries once), `body`, then `COMMIT` or `ROLLBACK`. The lock is released
    /// by the transaction's end, also when the process dies or the connection drops.
    private func transaction<T>(_ connection: PostgresConnection, _ body: () throws -> (T, Bool)) throws -> T {
        try connection.run("BEGIN")
        do {
            let key = "outboundctl:" + url.schema
            if lockTimeout > 0 {
                try connection.run("SELECT set_config('lock_timeout', \(String(Int((lockTimeout * 1000).rounded(.up)))), true)")
                try connection.run("SELECT pg_advisory_xact_lock(hashtext(\(key)))")
                try connection.run("SELECT set_config('lock_timeout', '0', true)")
            } else if try connection.run("SELECT pg_try_advisory_xact_lock(hashtext(\(key)))").first?.decode(Bool.self) != true {
                throw StoreError.locked(url.location)
            }
            let (result, commit) = try body()
            try connection.run(commit ? "COMMIT" : "ROLLBACK")
            return result
        } catch {
            _ = try? connection.run("ROLLBACK")
            throw error
        }
    }
}

extension OutboundStore {
    /// The PostgreSQL store at `url`, opened for reading (see `PostgresBackend.openForReading`).
    public static func postgresForReading(url: PostgresURL, readConnections: Int? = nil) throws -> OutboundStore {
        OutboundStore(backend: try PostgresBackend.openForReading(url: url, readConnections: readConnections))
    }

    /// The PostgreSQL store at `url`, opened for writing (see `PostgresBackend.open`).
    public static func postgres(url: PostgresURL, lockTimeout: TimeInterval = OutboundStore.defaultLockTimeout) throws -> OutboundStore {
        OutboundStore(backend: try PostgresBackend.open(url: url, lockTimeout: lockTimeout))
    }
}
