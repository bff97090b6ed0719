import Foundation
import GRDB
import OutboundConfig

/// The SQLite store: the current configuration as canonical entity rows, every revision with
/// its full snapshot, and the materialised availability behind the public view
/// `outbound_availability`. Reads never create the file; only `apply` does.
public final class OutboundStore {
    public let path: String
    let queue: DatabaseQueue

    /// How long a reader waits for SQLite's own brief locks (WAL recovery); readers never
    /// wait for an apply.
    public static let busyTimeout: TimeInterval = 5
    /// How long a writer waits for another apply by default (`--lock-timeout`).
    public static let defaultLockTimeout: TimeInterval = 30

    /// False for a store of an older schema opened for reading: it is read as it is, and
    /// the commands say `outboundctl store migrate` brings it up to date.
    public let isCurrentSchema: Bool
    /// Whether revisions say how their snapshot is encoded (schema v2 and later).
    private let hasSnapshotEncoding: Bool

    private init(path: String, queue: DatabaseQueue, isCurrentSchema: Bool, hasSnapshotEncoding: Bool) {
        self.path = path
        self.queue = queue
        self.isCurrentSchema = isCurrentSchema
        self.hasSnapshotEncoding = hasSnapshotEncoding
    }

    /// Opens an existing store for reading only: never creates, migrates or checkpoints it,
    /// works for a user who may only read the file, and never waits for an apply (a WAL reader
    /// sees the last committed revision). A store of an older schema is read as it is
    /// (`isCurrentSchema` false); one of a newer schema is refused.
    public static func openForReading(path: String) throws -> OutboundStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path) }
        return try StoreError.wrap(path) {
            var configuration = GRDB.Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(busyTimeout)
            configuration.label = "outboundctl-reader"
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
            let queue = try ReadOnlyOpening.open(path: path, configuration: configuration)
            let (superseded, complete, tables) = try queue.read { db in
                let migrator = StoreSchema.migrator
                return (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db),
                        try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")))
            }
            if superseded { throw StoreError.newerSchema(path) }
            guard tables.contains("grdb_migrations"), tables.contains("revisions") else {
                throw StoreError.unreadable(path, tables.isEmpty
                    ? "the file is empty, not an outboundctl store; run `outboundctl apply` to create one"
                    : "the file is a SQLite database but not an outboundctl store")
            }
            let encoded = try queue.read { db in try db.columns(in: "revisions").contains { $0.name == "snapshot_encoding" } }
            return OutboundStore(path: path, queue: queue, isCurrentSchema: complete, hasSnapshotEncoding: encoded)
        }
    }

    /// Opens the store for writing, creating it (and migrating it to the current schema) if
    /// needed: `apply`, `rollback` and `store migrate` only.
    /// `lockTimeout`: how long to wait for another apply's write lock (then `StoreError.locked`).
    public static func open(path: String, lockTimeout: TimeInterval = defaultLockTimeout) throws -> OutboundStore {
        try StoreError.wrap(path) {
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
            return OutboundStore(path: path, queue: queue, isCurrentSchema: true, hasSnapshotEncoding: true)
        }
    }

    // MARK: Reading

    /// The store's identity, set when it was created.
    public func identity() throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'store_id'") ?? "" }
    }

    /// The current revision (0 before the first apply).
    public func currentRevision() throws -> Int {
        try read { db in try Self.currentRevision(db) }
    }

    static func currentRevision(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(number) FROM revisions") ?? 0
    }

    /// The current configuration as compact canonical JSON per entity.
    public func entities() throws -> [CanonicalForm.Key: String] {
        try read { db in try Self.entities(db) }
    }

    static func entities(_ db: Database) throws -> [CanonicalForm.Key: String] {
        var result: [CanonicalForm.Key: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT kind, id, data FROM entities")
        while let row = try rows.next() {
            result[CanonicalForm.Key(kind: row[0], id: row[1])] = row[2]
        }
        return result
    }

    /// The availability of every agent, team and channel at `now`.
    public func availability(at now: Date) throws -> Availability {
        try read { db in try Self.availability(db).mapValues { $0.reasons(at: now) } }
    }

    static func availability(_ db: Database) throws -> [AvailabilityKey: AvailabilityCell] {
        var result: [AvailabilityKey: AvailabilityCell] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT agent_id, team_id, channel, \(StoredCellColumns.list) FROM availability")
        while let row = try rows.next() {
            guard let (key, cell) = StoredCellColumns.decode(row) else { continue }
            result[key] = cell
        }
        return result
    }

    /// The rows of active agents at `now`, sorted by agent, team and channel, optionally only
    /// one site's agents: what the view `outbound_availability` answers at that moment. A store
    /// of an older schema, whose rows were judged on the day of their apply, is answered from
    /// its entities instead, so the answer is right for `now` there too.
    /// With `date`, the answers on that day (in the tenant's time zone), from the entities.
    public func availabilityRows(site: String? = nil, on date: CalendarDate? = nil, now: Date) throws -> [(AvailabilityKey, [ReasonCode])] {
        guard isCurrentSchema, date == nil else {
            let configuration = try read { db in try Self.configuration(fromEntities: Self.entities(db), revision: Self.currentRevision(db)) }
            return OutboundGate(configuration: configuration, date: date, now: now).matrix { site == nil || $0.site.value == site }
        }
        return try read { db in
            var sql = """
                SELECT v.agent_id, v.team_id, v.channel, \(StoredCellColumns.list) FROM availability v
                JOIN entities a ON a.kind = 'agents' AND a.id = v.agent_id
                WHERE json_extract(a.data, '$.active') IS NOT 0
                """
            var arguments: StatementArguments = []
            if let site {
                sql += " AND json_extract(a.data, '$.site') = ?"
                arguments = [site]
            }
            sql += " ORDER BY v.agent_id, v.team_id, v.channel"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
                StoredCellColumns.decode(row).map { ($0.0, $0.1.reasons(at: now)) }
            }
        }
    }

    /// The canonical document of a revision (the current one when nil).
    public func snapshot(revision: Int? = nil) throws -> (revision: Int, document: String) {
        try read { db in
            let number = try revision ?? Self.currentRevision(db)
            let encoding = hasSnapshotEncoding ? "snapshot_encoding" : "'\(SnapshotCompression.text)' AS snapshot_encoding"
            guard let row = try Row.fetchOne(db, sql: "SELECT snapshot, \(encoding) FROM revisions WHERE number = ?", arguments: [number]) else {
                throw StoreError.unknownRevision(number)
            }
            if row["snapshot_encoding"] == SnapshotCompression.text { return (number, row["snapshot"]) }
            guard let data: Data = row["snapshot"], let document = SnapshotCompression.decompress(data) else {
                throw StoreError.unreadable(path, "the snapshot of revision \(number) cannot be decompressed; the store is damaged")
            }
            return (number, document)
        }
    }

    /// Every revision, oldest first.
    public func history() throws -> [RevisionInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT number, time, author, message, digest, creates, updates, deletes FROM revisions ORDER BY number").map {
                RevisionInfo(number: $0[0], time: $0[1], author: $0[2], message: $0[3], digest: $0[4], creates: $0[5], updates: $0[6], deletes: $0[7])
            }
        }
    }

    /// Just what the gate needs to explain one agent: the agent, its teams, site, licence,
    /// desktop profile, the profiles they name, the tenant, and the entry points, queues and
    /// wrap-up reasons. Indexed lookups: the cost does not grow with the number of agents.
    public func configurationForExplaining(agent id: String) throws -> ExplainingContext? {
        try read { db in
            let revision = try Self.currentRevision(db)
            let sourcesColumn = isCurrentSchema ? "sources" : "''"
            let lookup = try db.makeStatement(sql: "SELECT data, revision, \(sourcesColumn) FROM entities WHERE kind = ? AND id = ?")
            var rows: [CanonicalForm.Key: String] = [:]
            var origins: [CanonicalForm.Key: ExplainingContext.Origin] = [:]
            @discardableResult
            func fetch(_ kind: String, _ entityId: String?) throws -> Bool {
                guard let entityId else { return false }
                let key = CanonicalForm.Key(kind: kind, id: entityId)
                guard rows[key] == nil else { return true }
                guard let row = try Row.fetchOne(lookup, arguments: [kind, entityId]) else { return false }
                rows[key] = row[0]
                origins[key] = ExplainingContext.Origin(revision: row[1], sources: EntitySources(text: row[2]))
                return true
            }
            guard try fetch("agents", id), let agentText = rows[CanonicalForm.Key(kind: "agents", id: id)] else { return nil }
            let agent = (try? JSON.parse(agentText)) ?? .null
            let teams: [String] = agent["teams"].flatMap { if case .array(let items) = $0 { items.compactMap(\.stringValue) } else { nil } } ?? []
            try fetch("tenant", "tenant")
            try fetch("licences", agent["licence"]?.stringValue)
            try fetch("sites", agent["site"]?.stringValue)
            try fetch("desktopProfiles", agent["desktopProfile"]?.stringValue)
            try fetch("multimediaProfiles", agent["multimediaProfile"]?.stringValue)
            for team in teams {
                try fetch("teams", team)
                let teamData = rows[CanonicalForm.Key(kind: "teams", id: team)].flatMap { try? JSON.parse($0) }
                try fetch("multimediaProfiles", teamData?["multimediaProfile"]?.stringValue)
            }
            let siteData = agent["site"]?.stringValue.flatMap { rows[CanonicalForm.Key(kind: "sites", id: $0)] }.flatMap { try? JSON.parse($0) }
            try fetch("multimediaProfiles", siteData?["multimediaProfile"]?.stringValue)
            let shared = try Row.fetchCursor(db, sql: "SELECT kind, id, data, revision, \(sourcesColumn) FROM entities WHERE kind IN ('entryPoints', 'queues', 'wrapUpReasons')")
            while let row = try shared.next() {
                let key = CanonicalForm.Key(kind: row[0], id: row[1])
                rows[key] = row[2]
                origins[key] = ExplainingContext.Origin(revision: row[3], sources: EntitySources(text: row[4]))
            }
            return ExplainingContext(configuration: Self.configuration(fromEntities: rows, revision: revision), revision: revision, origins: origins)
        }
    }

    /// The model of canonical entity rows (all of a revision's, or just what one answer needs).
    static func configuration(fromEntities rows: [CanonicalForm.Key: String], revision: Int) -> OutboundConfig.Configuration {
        let document = CanonicalForm.document(from: rows)
        let (file, _) = YAMLLoader().load(document, path: "store revision \(revision)")
        return ConfigurationDecoder.decode([file]).0
    }

    /// Every id of a section, for "did you mean" after an unknown agent, team or site.
    public func ids(in section: Section) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM entities WHERE kind = ?", arguments: [section.rawValue]) }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try StoreError.wrap(path) { try queue.read(body) }
    }
}

extension JSON {
    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// What `explain` from the store needs: the configuration around one agent, the current
/// revision, and for each entity read the revision that last changed it and where its nodes
/// stood in the files that revision was applied from.
public struct ExplainingContext: Sendable {
    public struct Origin: Sendable {
        public var revision: Int
        /// Nil for stores written before places were kept, and after a rollback or a saved plan.
        public var sources: EntitySources?
    }

    public var configuration: OutboundConfig.Configuration
    public var revision: Int
    public var origins: [CanonicalForm.Key: Origin]

    /// The deciding node's origin: the revision of its entity and, when kept, its file:line:column.
    public func origin(of node: NodeReference) -> (revision: Int, place: (file: String, line: Int, column: Int)?)? {
        guard let origin = origins[CanonicalForm.Key(kind: node.kind, id: node.id)] else { return nil }
        return (origin.revision, origin.sources?.location(of: node.field))
    }
}

/// One line of `history`.
public struct RevisionInfo: Sendable {
    public var number: Int
    public var time: String
    public var author: String
    public var message: String
    public var digest: String
    public var creates: Int
    public var updates: Int
    public var deletes: Int
}
