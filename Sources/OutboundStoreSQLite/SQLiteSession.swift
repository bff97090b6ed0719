import Foundation
import GRDB
import GRDBSQLite
import OutboundConfig
import OutboundStore

/// One SQLite transaction seen as a `StoreWriteSession`: every SQL statement of the store
/// lives here and in `StoreSchema`. SQLite's `BINARY` collation is byte order, which the
/// engine relies on for sorted lists.
struct SQLiteSession: StoreWriteSession {
    let db: Database
    let backend: SQLiteBackend
    /// SQLite's change count when the transaction began (the connection's count is cumulative).
    private let startChanges: Int
    private static let recordRemoval = "INSERT INTO availability_removals (revision, agent_id, team_id, channel) VALUES (?, ?, ?, ?)"

    init(db: Database, backend: SQLiteBackend) {
        self.db = db
        self.backend = backend
        startChanges = db.totalChangesCount
    }

    private var sourcesColumn: String { backend.hasSources ? "sources" : "''" }
    private var sourcesHashColumn: String { backend.hasSources ? "sources_hash" : "0" }

    func meta(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    func currentRevision() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(number) FROM revisions") ?? 0
    }

    func revisionHead(_ number: Int) throws -> RevisionHead? {
        try Row.fetchOne(db, sql: "SELECT source_digest, canonical_version FROM revisions WHERE number = ?", arguments: [number])
            .map { RevisionHead(sourceDigest: $0[0], canonicalVersion: $0[1]) }
    }

    func revisions(after number: Int) throws -> [RevisionInfo] {
        let sql = "SELECT number, time, author, message, digest, creates, updates, deletes FROM revisions WHERE number > ? ORDER BY number"
        return try Row.fetchAll(db, sql: sql, arguments: [number]).map {
            RevisionInfo(number: $0[0], time: $0[1], author: $0[2], message: $0[3], digest: $0[4], creates: $0[5], updates: $0[6], deletes: $0[7])
        }
    }

    func snapshot(_ number: Int) throws -> StoredSnapshot? {
        let encoding = backend.hasSnapshotEncoding ? "snapshot_encoding" : "'\(SnapshotCompression.text)'"
        guard let row = try Row.fetchOne(db, sql: "SELECT snapshot, \(encoding) FROM revisions WHERE number = ?", arguments: [number]) else {
            return nil
        }
        let value: DatabaseValue = row[0]
        let bytes: Data =
            switch value.storage {
            case .blob(let data): data
            case .string(let text): Data(text.utf8)
            default: Data()
            }
        return StoredSnapshot(encoding: row[1], bytes: bytes)
    }

    /// Read straight through SQLite's C API, in primary-key order: building GRDB rows for
    /// 50,000 entities cost more than the comparison itself.
    func entityHashes() throws -> [EntityHash] {
        var stored: [EntityHash] = []
        var lastKind: [UInt8] = []
        let statement = try db.makeStatement(sql: "SELECT kind, id, hash, \(sourcesHashColumn) FROM entities ORDER BY kind, id")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            let id = String(cString: sqlite3_column_text(sqlite, 1))
            // Rows come kind by kind: a row of the previous row's kind reuses its key's kind
            // (working out a kind's rank for each of 50,000 keys showed in profiles).
            let kindText = sqlite3_column_text(sqlite, 0)!
            let kindLength = Int(sqlite3_column_bytes(sqlite, 0))
            let key: CanonicalForm.Key
            if let last = stored.last, kindLength == lastKind.count, memcmp(kindText, lastKind, kindLength) == 0 {
                key = CanonicalForm.Key(kindOf: last.key, id: id)
            } else {
                lastKind = Array(UnsafeBufferPointer(start: kindText, count: kindLength))
                key = CanonicalForm.Key(kind: String(decoding: lastKind, as: UTF8.self), id: id)
            }
            stored.append(EntityHash(key: key, hash: sqlite3_column_int64(sqlite, 2), sourcesHash: sqlite3_column_int64(sqlite, 3)))
        }
        return stored
    }

    func entity(_ key: CanonicalForm.Key) throws -> StoredEntity? {
        let statement = try db.cachedStatement(sql: "SELECT data, revision, \(sourcesColumn) FROM entities WHERE kind = ? AND id = ?")
        return try Row.fetchOne(statement, arguments: [key.kind, key.id]).map { StoredEntity(data: $0[0], revision: $0[1], sources: $0[2]) }
    }

    func entities(kinds: [String]?) throws -> [CanonicalForm.Key: StoredEntity] {
        var sql = "SELECT kind, id, data, revision, \(sourcesColumn) FROM entities"
        var arguments: StatementArguments = []
        if let kinds {
            sql += " WHERE kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))"
            arguments = StatementArguments(kinds)
        }
        var result: [CanonicalForm.Key: StoredEntity] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            result[CanonicalForm.Key(kind: row[0], id: row[1])] = StoredEntity(data: row[2], revision: row[3], sources: row[4])
        }
        return result
    }

    func ids(kind: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM entities WHERE kind = ? ORDER BY id", arguments: [kind])
    }

    func cells(agents: Set<String>?) throws -> [AvailabilityKey: AvailabilityCell] {
        var result: [AvailabilityKey: AvailabilityCell] = [:]
        let columns = "agent_id, team_id, channel, \(StoredCellColumns.list)"
        guard let agents else {
            let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM availability")
            while let row = try rows.next() {
                if let (key, cell) = StoredCellColumns.decode(row) { result[key] = cell }
            }
            return result
        }
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM availability WHERE agent_id = ?")
        for agent in agents {
            let rows = try Row.fetchCursor(statement, arguments: [agent])
            while let row = try rows.next() {
                if let (key, cell) = StoredCellColumns.decode(row) { result[key] = cell }
            }
        }
        return result
    }

    func activeCells(site: String?) throws -> [(AvailabilityKey, AvailabilityCell)] {
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
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(StoredCellColumns.decode)
    }

    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)]
    {
        var sql = "SELECT agent_id, team_id, channel, \(StoredCellColumns.list), revision FROM availability WHERE revision > ?"
        var arguments: StatementArguments = [revision]
        if let cursor {
            sql += " AND (agent_id, team_id, channel) > (?, ?, ?)"
            arguments += [cursor.agent, cursor.team, cursor.channel.rawValue]
        }
        sql += " ORDER BY agent_id, team_id, channel LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            StoredCellColumns.decode(row).map { ($0.0, $0.1, revision: row[7]) }
        }
    }

    func cellsWritten(after revision: Int, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)] {
        let sql = """
            SELECT agent_id, team_id, channel, \(StoredCellColumns.list), revision FROM availability
            WHERE revision > ? ORDER BY revision LIMIT ?
            """
        return try Row.fetchAll(db, sql: sql, arguments: [revision, limit]).compactMap { row in
            StoredCellColumns.decode(row).map { ($0.0, $0.1, revision: row[7]) }
        }
    }

    func removedCells(since revision: Int, after cursor: (revision: Int, key: AvailabilityKey)?, limit: Int) throws -> [(
        AvailabilityKey, revision: Int
    )] {
        var sql = "SELECT revision, agent_id, team_id, channel FROM availability_removals WHERE revision > ?"
        var arguments: StatementArguments = [revision]
        if let cursor {
            sql += " AND (revision, agent_id, team_id, channel) > (?, ?, ?, ?)"
            arguments += [cursor.revision, cursor.key.agent, cursor.key.team, cursor.key.channel.rawValue]
        }
        sql += " ORDER BY revision, agent_id, team_id, channel LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
            Channel(rawValue: row[3]).map { (AvailabilityKey(agent: row[1], team: row[2], channel: $0), revision: row[0]) }
        }
    }

    func contents() throws -> StoreContents {
        let encoding = backend.hasSnapshotEncoding ? "snapshot_encoding" : "'\(SnapshotCompression.text)'"
        let revisions = try Row.fetchAll(
            db,
            sql: """
                SELECT number, time, author, message, digest, source_digest, canonical_version, snapshot, \(encoding), creates, updates, deletes
                FROM revisions ORDER BY number
                """
        ).map { row in
            let value: DatabaseValue = row[7]
            let bytes: Data =
                switch value.storage {
                case .blob(let data): data
                case .string(let text): Data(text.utf8)
                default: Data()
                }
            return NewRevision(
                number: row[0], time: row[1], author: row[2], message: row[3], digest: row[4], sourceDigest: row[5],
                canonicalVersion: row[6], snapshot: StoredSnapshot(encoding: row[8], bytes: bytes),
                creates: row[9], updates: row[10], deletes: row[11])
        }
        let entities = try Row.fetchAll(
            db, sql: "SELECT kind, id, data, hash, revision, \(sourcesColumn), \(sourcesHashColumn) FROM entities ORDER BY kind, id"
        )
        .map { row in
            (
                EntityWrite(key: CanonicalForm.Key(kind: row[0], id: row[1]), data: row[2], hash: row[3], sources: row[5], sourcesHash: row[6]),
                revision: row[4] as Int
            )
        }
        return StoreContents(
            revisions: revisions, entities: entities,
            cells: try changedCells(since: 0, after: nil, limit: Int(Int32.max)),
            removals: try removedCells(since: 0, after: nil, limit: Int(Int32.max)))
    }

    // MARK: Writing

    func insertRevision(_ revision: NewRevision) throws {
        let snapshot: DatabaseValueConvertible =
            revision.snapshot.encoding == SnapshotCompression.text
            ? String(decoding: revision.snapshot.bytes, as: UTF8.self) : revision.snapshot.bytes
        try db.execute(
            sql: """
                INSERT INTO revisions (number, time, author, message, digest, source_digest, canonical_version, evaluated_on,
                                       snapshot, snapshot_encoding, creates, updates, deletes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                revision.number, revision.time, revision.author, revision.message, revision.digest, revision.sourceDigest,
                revision.canonicalVersion, revision.time, snapshot, revision.snapshot.encoding,
                revision.creates, revision.updates, revision.deletes,
            ])
    }

    func setMeta(_ key: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
        }
    }

    func upsertEntities(_ rows: [EntityWrite], revision: Int) throws {
        guard !rows.isEmpty else { return }
        var upsert = try BulkInsert(db, sql: "INSERT OR REPLACE \(BulkInsert.entityRow)")
        for row in rows { try upsert.insertEntity(row, revision: revision) }
    }

    func deleteEntities(_ keys: [CanonicalForm.Key]) throws {
        let delete = try db.cachedStatement(sql: "DELETE FROM entities WHERE kind = ? AND id = ?")
        for key in keys { try delete.execute(arguments: [key.kind, key.id]) }
    }

    func updateSources(_ updates: [EntitySourcesWrite]) throws {
        guard !updates.isEmpty else { return }
        let update = try db.cachedStatement(sql: "UPDATE entities SET sources = ?, sources_hash = ? WHERE kind = ? AND id = ?")
        for entity in updates { try update.execute(arguments: [entity.sources, entity.sourcesHash, entity.key.kind, entity.key.id]) }
    }

    func updateSourceDigest(_ digest: String, revision: Int) throws {
        try db.execute(sql: "UPDATE revisions SET source_digest = ? WHERE number = ?", arguments: [digest, revision])
    }

    func upsertCells(_ cells: [(AvailabilityKey, AvailabilityCell)], revision: Int) throws {
        guard !cells.isEmpty else { return }
        var upsert = try BulkInsert(db, sql: "INSERT OR REPLACE \(BulkInsert.cellRow)")
        for (key, cell) in cells { try upsert.insertCell(key, cell, revision: revision) }
    }

    func removeCells(_ keys: [AvailabilityKey], revision: Int) throws {
        guard !keys.isEmpty else { return }
        let delete = try db.cachedStatement(sql: "DELETE FROM availability WHERE agent_id = ? AND team_id = ? AND channel = ?")
        let record = try db.cachedStatement(sql: Self.recordRemoval)
        for key in keys {
            try delete.execute(arguments: [key.agent, key.team, key.channel.rawValue])
            try record.execute(arguments: [revision, key.agent, key.team, key.channel.rawValue])
        }
    }

    func insert(_ contents: StoreContents) throws {
        for revision in contents.revisions { try insertRevision(revision) }
        var entities = try BulkInsert(db, sql: "INSERT \(BulkInsert.entityRow)")
        for (row, revision) in contents.entities { try entities.insertEntity(row, revision: revision) }
        var cells = try BulkInsert(db, sql: "INSERT \(BulkInsert.cellRow)")
        for (key, cell, revision) in contents.cells { try cells.insertCell(key, cell, revision: revision) }
        let record = try db.cachedStatement(sql: Self.recordRemoval)
        for (key, revision) in contents.removals {
            try record.execute(arguments: [revision, key.agent, key.team, key.channel.rawValue])
        }
    }

    var rowsWritten: Int { db.totalChangesCount - startChanges }
}

/// The rows an apply and a store copy both write, bound in one place so the two cannot drift.
extension BulkInsert {
    fileprivate static let entityRow = "INTO entities (kind, id, data, hash, revision, sources, sources_hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
    fileprivate static let cellRow =
        "INTO availability (agent_id, team_id, channel, \(StoredCellColumns.list), revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

    fileprivate mutating func insertEntity(_ row: EntityWrite, revision: Int) throws {
        bind(row.key.kind)
        bind(row.key.id)
        bind(row.data)
        bind(row.hash)
        bind(revision)
        bind(row.sources)
        bind(row.sourcesHash)
        try insertRow()
    }

    fileprivate mutating func insertCell(_ key: AvailabilityKey, _ cell: AvailabilityCell, revision: Int) throws {
        bind(key.agent)
        bind(key.team)
        bind(key.channel.rawValue)
        bind(StoredCellEncoding.text(cell.before))
        bind(StoredCellEncoding.text(cell.after))
        bind(cell.window.from.map(StoredCellEncoding.seconds))
        bind(cell.window.until.map(StoredCellEncoding.seconds))
        bind(revision)
        try insertRow()
    }
}
