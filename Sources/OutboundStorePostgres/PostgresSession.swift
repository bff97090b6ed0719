import Foundation
import OutboundConfig
import OutboundStore
import PostgresNIO

/// One PostgreSQL transaction seen as a `StoreWriteSession`: every SQL statement of the store
/// lives here and in `PostgresSchema`. Ids are `COLLATE "C"`, so `ORDER BY` is byte order, as
/// the engine expects. Bulk writes send each column as one array parameter and `unnest` it:
/// one statement per 10,000 rows, not one per row (a round trip costs about 0.2 ms).
struct PostgresSession: StoreWriteSession {
    let connection: PostgresConnection
    /// The schema's quoted name, prefixed to every table.
    let schema: String
    private let written = Counter()

    init(connection: PostgresConnection, schema: String) {
        self.connection = connection
        self.schema = schema
    }

    /// Rows per bulk statement: big enough that round trips do not count, small enough that
    /// one message stays a few megabytes.
    static let chunk = 10_000

    private func table(_ name: String) -> String { "\(schema).\(name)" }

    /// Runs a statement that writes, counting the rows it wrote.
    private func write(_ query: PostgresQuery) throws {
        let result = try connection.result(of: query)
        written.count += result.metadata.rows ?? 0
    }

    func meta(_ key: String) throws -> String? {
        try connection.run("SELECT value FROM \(unescaped: table("meta")) WHERE key = \(key)").first?.decode(String.self)
    }

    func currentRevision() throws -> Int {
        try connection.run("SELECT COALESCE(MAX(number), 0) FROM \(unescaped: table("revisions"))").first?.decode(Int.self) ?? 0
    }

    func revisionHead(_ number: Int) throws -> RevisionHead? {
        try connection.run("SELECT source_digest, canonical_version FROM \(unescaped: table("revisions")) WHERE number = \(number)").first
            .map { row in
                let (digest, version) = try row.decode((String, Int).self)
                return RevisionHead(sourceDigest: digest, canonicalVersion: version)
            }
    }

    func revisions(after number: Int) throws -> [RevisionInfo] {
        try connection.run(
            """
            SELECT number, time, author, message, digest, creates, updates, deletes FROM \(unescaped: table("revisions"))
            WHERE number > \(number) ORDER BY number
            """
        ).map { row in
            let (number, time, author, message, digest, creates, updates, deletes) = try row.decode(
                (Int, String, String, String, String, Int, Int, Int).self)
            return RevisionInfo(
                number: number, time: time, author: author, message: message, digest: digest, creates: creates, updates: updates, deletes: deletes)
        }
    }

    func snapshot(_ number: Int) throws -> StoredSnapshot? {
        try connection.run("SELECT snapshot, snapshot_encoding FROM \(unescaped: table("revisions")) WHERE number = \(number)").first.map { row in
            let (bytes, encoding) = try row.decode((Data, String).self)
            return StoredSnapshot(encoding: encoding, bytes: bytes)
        }
    }

    func entityHashes() throws -> [EntityHash] {
        var stored: [EntityHash] = []
        for row in try connection.run("SELECT kind, id, hash, sources_hash FROM \(unescaped: table("entities")) ORDER BY kind, id") {
            let (kind, id, hash, sourcesHash) = try row.decode((String, String, Int64, Int64).self)
            // Rows come kind by kind: a row of the previous row's kind reuses its key's kind.
            let key =
                stored.last.map { $0.key.kind == kind ? CanonicalForm.Key(kindOf: $0.key, id: id) : CanonicalForm.Key(kind: kind, id: id) }
                ?? CanonicalForm.Key(kind: kind, id: id)
            stored.append(EntityHash(key: key, hash: hash, sourcesHash: sourcesHash))
        }
        return stored
    }

    func entity(_ key: CanonicalForm.Key) throws -> StoredEntity? {
        try connection.run("SELECT data, revision, sources FROM \(unescaped: table("entities")) WHERE kind = \(key.kind) AND id = \(key.id)").first
            .map { row in
                let (data, revision, sources) = try row.decode((String, Int, String).self)
                return StoredEntity(data: data, revision: revision, sources: sources)
            }
    }

    func entities(kinds: [String]?) throws -> [CanonicalForm.Key: StoredEntity] {
        let rows: [PostgresRow] =
            if let kinds {
                try connection.run("SELECT kind, id, data, revision, sources FROM \(unescaped: table("entities")) WHERE kind = ANY(\(kinds))")
            } else {
                try connection.run("SELECT kind, id, data, revision, sources FROM \(unescaped: table("entities"))")
            }
        var result: [CanonicalForm.Key: StoredEntity] = [:]
        result.reserveCapacity(rows.count)
        for row in rows {
            let (kind, id, data, revision, sources) = try row.decode((String, String, String, Int, String).self)
            result[CanonicalForm.Key(kind: kind, id: id)] = StoredEntity(data: data, revision: revision, sources: sources)
        }
        return result
    }

    func ids(kind: String) throws -> [String] {
        try connection.run("SELECT id FROM \(unescaped: table("entities")) WHERE kind = \(kind) ORDER BY id").map { try $0.decode(String.self) }
    }

    private static let cellColumns = "agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until"

    func cells(agents: Set<String>?) throws -> [AvailabilityKey: AvailabilityCell] {
        let rows: [PostgresRow] =
            if let agents {
                try connection.run(
                    "SELECT \(unescaped: Self.cellColumns) FROM \(unescaped: table("availability")) WHERE agent_id = ANY(\(Array(agents)))")
            } else {
                try connection.run("SELECT \(unescaped: Self.cellColumns) FROM \(unescaped: table("availability"))")
            }
        var result: [AvailabilityKey: AvailabilityCell] = [:]
        result.reserveCapacity(rows.count)
        for row in rows {
            if let (key, cell) = try Self.decodeCell(row) { result[key] = cell }
        }
        return result
    }

    func activeCells(site: String?) throws -> [(AvailabilityKey, AvailabilityCell)] {
        // An agent is active unless its canonical entity says `"active": false`.
        let select = """
            SELECT v.agent_id, v.team_id, v.channel, v.reasons_before, v.reasons_after, v.valid_from, v.valid_until
            FROM \(table("availability")) v JOIN \(table("entities")) a ON a.kind = 'agents' AND a.id = v.agent_id
            WHERE (a.data::json ->> 'active') IS DISTINCT FROM 'false'
            """
        let rows: [PostgresRow] =
            if let site {
                try connection.run("\(unescaped: select) AND a.data::json ->> 'site' = \(site) ORDER BY v.agent_id, v.team_id, v.channel")
            } else {
                try connection.run("\(unescaped: select) ORDER BY v.agent_id, v.team_id, v.channel")
            }
        return try rows.compactMap(Self.decodeCell)
    }

    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)]
    {
        let select = "SELECT \(Self.cellColumns), revision FROM \(table("availability"))"
        let rows: [PostgresRow] =
            if let cursor {
                try connection.run(
                    """
                    \(unescaped: select) WHERE revision > \(revision) AND (agent_id, team_id, channel) > (\(cursor.agent), \(cursor.team), \(cursor.channel.rawValue))
                    ORDER BY agent_id, team_id, channel LIMIT \(limit)
                    """)
            } else {
                try connection.run("\(unescaped: select) WHERE revision > \(revision) ORDER BY agent_id, team_id, channel LIMIT \(limit)")
            }
        return try rows.compactMap { row in
            let revision = try row.makeRandomAccess()[7].decode(Int.self)
            return try Self.decodeCell(row).map { ($0.0, $0.1, revision: revision) }
        }
    }

    func cellsWritten(after revision: Int, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)] {
        let rows = try connection.run(
            "SELECT \(unescaped: Self.cellColumns), revision FROM \(unescaped: table("availability")) WHERE revision > \(revision) ORDER BY revision LIMIT \(limit)"
        )
        return try rows.compactMap { row in
            let revision = try row.makeRandomAccess()[7].decode(Int.self)
            return try Self.decodeCell(row).map { ($0.0, $0.1, revision: revision) }
        }
    }

    func removedCells(since revision: Int, after cursor: (revision: Int, key: AvailabilityKey)?, limit: Int) throws -> [(
        AvailabilityKey, revision: Int
    )] {
        let select = "SELECT revision, agent_id, team_id, channel FROM \(table("availability_removals"))"
        let rows: [PostgresRow] =
            if let cursor {
                try connection.run(
                    """
                    \(unescaped: select) WHERE revision > \(revision)
                      AND (revision, agent_id, team_id, channel) > (\(cursor.revision), \(cursor.key.agent), \(cursor.key.team), \(cursor.key.channel.rawValue))
                    ORDER BY revision, agent_id, team_id, channel LIMIT \(limit)
                    """)
            } else {
                try connection.run("\(unescaped: select) WHERE revision > \(revision) ORDER BY revision, agent_id, team_id, channel LIMIT \(limit)")
            }
        return try rows.compactMap { row in
            let (removed, agent, team, channel) = try row.decode((Int, String, String, String).self)
            return Channel(rawValue: channel).map { (AvailabilityKey(agent: agent, team: team, channel: $0), revision: removed) }
        }
    }

    func contents() throws -> StoreContents {
        let revisions = try connection.run(
            """
            SELECT number, time, author, message, digest, source_digest, canonical_version, snapshot, snapshot_encoding, creates, updates, deletes
            FROM \(unescaped: table("revisions")) ORDER BY number
            """
        ).map { row in
            let (number, time, author, message, digest, sourceDigest, version, snapshot, encoding, creates, updates, deletes) = try row.decode(
                (Int, String, String, String, String, String, Int, Data, String, Int, Int, Int).self)
            return NewRevision(
                number: number, time: time, author: author, message: message, digest: digest, sourceDigest: sourceDigest,
                canonicalVersion: version, snapshot: StoredSnapshot(encoding: encoding, bytes: snapshot),
                creates: creates, updates: updates, deletes: deletes)
        }
        let entities = try connection.run(
            "SELECT kind, id, data, hash, revision, sources, sources_hash FROM \(unescaped: table("entities")) ORDER BY kind, id"
        )
        .map { row in
            let (kind, id, data, hash, revision, sources, sourcesHash) = try row.decode((String, String, String, Int64, Int, String, Int64).self)
            return (
                EntityWrite(key: CanonicalForm.Key(kind: kind, id: id), data: data, hash: hash, sources: sources, sourcesHash: sourcesHash),
                revision: revision
            )
        }
        let cells = try connection.run(
            "SELECT \(unescaped: Self.cellColumns), revision FROM \(unescaped: table("availability")) ORDER BY agent_id, team_id, channel"
        )
        .compactMap { row in
            let revision = try row.makeRandomAccess()[7].decode(Int.self)
            return try Self.decodeCell(row).map { ($0.0, $0.1, revision: revision) }
        }
        return StoreContents(
            revisions: revisions, entities: entities, cells: cells,
            removals: try removedCells(since: 0, after: nil, limit: Int(Int32.max)))
    }

    /// A row of `cellColumns`.
    private static func decodeCell(_ row: PostgresRow) throws -> (AvailabilityKey, AvailabilityCell)? {
        let (agent, team, channel, before, after, from, until) = try row.decode((String, String, String, String, String, Int64?, Int64?).self)
        guard let channel = Channel(rawValue: channel) else { return nil }
        let window = LicenceWindow(from: from.map(StoredCellEncoding.instant), until: until.map(StoredCellEncoding.instant))
        return (
            AvailabilityKey(agent: agent, team: team, channel: channel),
            AvailabilityCell(before: StoredCellEncoding.reasons(before), after: StoredCellEncoding.reasons(after), window: window)
        )
    }

    // MARK: Writing

    func insertRevision(_ revision: NewRevision) throws {
        try write(
            """
            INSERT INTO \(unescaped: table("revisions")) (number, time, author, message, digest, source_digest, canonical_version,
                                                          snapshot, snapshot_encoding, creates, updates, deletes)
            VALUES (\(revision.number), \(revision.time), \(revision.author), \(revision.message), \(revision.digest), \(revision.sourceDigest),
                    \(revision.canonicalVersion), \(revision.snapshot.bytes), \(revision.snapshot.encoding), \(revision.creates), \(revision.updates),
                    \(revision.deletes))
            """)
    }

    func setMeta(_ key: String, _ value: String?) throws {
        if let value {
            try write(
                """
                INSERT INTO \(unescaped: table("meta")) (key, value) VALUES (\(key), \(value))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
        } else {
            try write("DELETE FROM \(unescaped: table("meta")) WHERE key = \(key)")
        }
    }

    func upsertEntities(_ rows: [EntityWrite], revision: Int) throws {
        try insertEntities(rows.map { ($0, revision) }, replacing: true)
    }

    /// Entity rows, each with the revision that last changed it.
    func insertEntities(_ rows: [(EntityWrite, revision: Int)], replacing: Bool) throws {
        for start in stride(from: 0, to: rows.count, by: Self.chunk) {
            let part = rows[start..<min(start + Self.chunk, rows.count)]
            let conflict =
                replacing
                ? """
                ON CONFLICT (kind, id) DO UPDATE SET data = EXCLUDED.data, hash = EXCLUDED.hash, revision = EXCLUDED.revision,
                                                     sources = EXCLUDED.sources, sources_hash = EXCLUDED.sources_hash
                """ : ""
            try write(
                """
                INSERT INTO \(unescaped: table("entities")) (kind, id, data, hash, revision, sources, sources_hash)
                SELECT * FROM unnest(\(part.map(\.0.key.kind)), \(part.map(\.0.key.id)), \(part.map(\.0.data)), \(part.map(\.0.hash)),
                                     \(part.map(\.revision)), \(part.map(\.0.sources)), \(part.map(\.0.sourcesHash)))
                \(unescaped: conflict)
                """)
        }
    }

    func deleteEntities(_ keys: [CanonicalForm.Key]) throws {
        guard !keys.isEmpty else { return }
        try write(
            """
            DELETE FROM \(unescaped: table("entities")) e USING unnest(\(keys.map(\.kind)), \(keys.map(\.id))) AS gone(kind, id)
            WHERE e.kind = gone.kind AND e.id = gone.id
            """)
    }

    func updateSources(_ updates: [EntitySourcesWrite]) throws {
        for start in stride(from: 0, to: updates.count, by: Self.chunk) {
            let part = updates[start..<min(start + Self.chunk, updates.count)]
            try write(
                """
                UPDATE \(unescaped: table("entities")) e SET sources = moved.sources, sources_hash = moved.sources_hash
                FROM unnest(\(part.map(\.key.kind)), \(part.map(\.key.id)), \(part.map(\.sources)), \(part.map(\.sourcesHash)))
                     AS moved(kind, id, sources, sources_hash)
                WHERE e.kind = moved.kind AND e.id = moved.id
                """)
        }
    }

    func updateSourceDigest(_ digest: String, revision: Int) throws {
        try write("UPDATE \(unescaped: table("revisions")) SET source_digest = \(digest) WHERE number = \(revision)")
    }

    func upsertCells(_ cells: [(AvailabilityKey, AvailabilityCell)], revision: Int) throws {
        try insertCells(cells.map { ($0.0, $0.1, revision) }, replacing: true)
    }

    /// Availability rows, each with the revision that last changed it. An open window end is
    /// sent as `Int64.min` and stored as NULL (array parameters carry no NULLs here).
    func insertCells(_ cells: [(AvailabilityKey, AvailabilityCell, revision: Int)], replacing: Bool) throws {
        for start in stride(from: 0, to: cells.count, by: Self.chunk) {
            let part = cells[start..<min(start + Self.chunk, cells.count)]
            let conflict =
                replacing
                ? """
                ON CONFLICT (agent_id, team_id, channel) DO UPDATE SET reasons_before = EXCLUDED.reasons_before,
                    reasons_after = EXCLUDED.reasons_after, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
                    revision = EXCLUDED.revision
                """ : ""
            try write(
                """
                INSERT INTO \(unescaped: table("availability")) (agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until, revision)
                SELECT agent, team, channel, before, after, NULLIF(from_s, \(Int64.min)), NULLIF(until_s, \(Int64.min)), revision
                FROM unnest(\(part.map(\.0.agent)), \(part.map(\.0.team)), \(part.map(\.0.channel.rawValue)),
                            \(part.map { StoredCellEncoding.text($0.1.before) }), \(part.map { StoredCellEncoding.text($0.1.after) }),
                            \(part.map { $0.1.window.from.map(StoredCellEncoding.seconds) ?? Int64.min }),
                            \(part.map { $0.1.window.until.map(StoredCellEncoding.seconds) ?? Int64.min }), \(part.map(\.revision)))
                     AS cell(agent, team, channel, before, after, from_s, until_s, revision)
                \(unescaped: conflict)
                """)
        }
    }

    func removeCells(_ keys: [AvailabilityKey], revision: Int) throws {
        guard !keys.isEmpty else { return }
        try write(
            """
            DELETE FROM \(unescaped: table("availability")) a
            USING unnest(\(keys.map(\.agent)), \(keys.map(\.team)), \(keys.map(\.channel.rawValue))) AS gone(agent, team, channel)
            WHERE a.agent_id = gone.agent AND a.team_id = gone.team AND a.channel = gone.channel
            """)
        try insertRemovals(keys.map { ($0, revision) })
    }

    /// Records that these cells were removed in these revisions (the change feed's removals).
    func insertRemovals(_ removals: [(AvailabilityKey, revision: Int)]) throws {
        for start in stride(from: 0, to: removals.count, by: Self.chunk) {
            let part = removals[start..<min(start + Self.chunk, removals.count)]
            try write(
                """
                INSERT INTO \(unescaped: table("availability_removals")) (revision, agent_id, team_id, channel)
                SELECT * FROM unnest(\(part.map(\.revision)), \(part.map(\.0.agent)), \(part.map(\.0.team)), \(part.map(\.0.channel.rawValue)))
                """)
        }
    }

    func insert(_ contents: StoreContents) throws {
        for revision in contents.revisions { try insertRevision(revision) }
        try insertEntities(contents.entities, replacing: false)
        try insertCells(contents.cells, replacing: false)
        try insertRemovals(contents.removals)
    }

    var rowsWritten: Int { written.count }
}

/// Rows written in one transaction (the session is a value; its count is shared).
private final class Counter {
    var count = 0
}
