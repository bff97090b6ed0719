import Foundation
import OutboundConfig
import OutboundStore
import PostgresNIO

/// One PostgreSQL transaction seen as a `StoreWriteSession`, waiting for each answer on its
/// (Dispatch) thread: the reads are `PostgresReads`', the writes are here, the schema is
/// `PostgresSchema`'s. Bulk writes send each column as one array parameter and `unnest` it:
/// one statement per 10,000 rows, not one per row (a round trip costs about 0.2 ms).
struct PostgresSession: StoreWriteSession {
    let connection: PostgresConnection
    let reads: PostgresReads
    private let written = Counter()

    init(connection: PostgresConnection, schema: String) {
        self.connection = connection
        reads = PostgresReads(schema: schema)
    }

    /// Rows per bulk statement: big enough that round trips do not count, small enough that
    /// one message stays a few megabytes.
    static let chunk = 10_000

    private func table(_ name: String) -> String { reads.table(name) }

    /// Runs a statement that writes, counting the rows it wrote.
    private func write(_ query: PostgresQuery) throws {
        let result = try connection.result(of: query)
        written.count += result.metadata.rows ?? 0
    }

    /// Runs one of the store's reads.
    private func run<Value>(_ read: PostgresRead<Value>) throws -> Value {
        try read.decode(try connection.run(read.query))
    }

    func meta(_ key: String) throws -> String? { try run(reads.meta(key)) }
    func currentRevision() throws -> Int { try run(reads.currentRevision()) }
    func revisionHead(_ number: Int) throws -> RevisionHead? { try run(reads.revisionHead(number)) }
    func revisions(after number: Int) throws -> [RevisionInfo] { try run(reads.revisions(after: number)) }
    func snapshot(_ number: Int) throws -> StoredSnapshot? { try run(reads.snapshot(number)) }
    func entityHashes() throws -> [EntityHash] { try run(reads.entityHashes()) }
    func entity(_ key: CanonicalForm.Key) throws -> StoredEntity? { try run(reads.entities(keys: [key]))[key] }
    func entities(keys: [CanonicalForm.Key]) throws -> [CanonicalForm.Key: StoredEntity] { try run(reads.entities(keys: keys)) }
    func entities(kinds: [String]?) throws -> [CanonicalForm.Key: StoredEntity] { try run(reads.entities(kinds: kinds)) }
    func ids(kind: String) throws -> [String] { try run(reads.ids(kind: kind)) }
    func cells(agents: Set<String>?) throws -> [AvailabilityKey: AvailabilityCell] { try run(reads.cells(agents: agents)) }
    func activeCells(site: String?) throws -> [(AvailabilityKey, AvailabilityCell)] { try run(reads.activeCells(site: site)) }

    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) throws -> [ChangeFeed.Written] {
        try run(reads.changedCells(since: revision, after: cursor, limit: limit))
    }

    func cellsWritten(after revision: Int, limit: Int) throws -> [ChangeFeed.Written] {
        try run(reads.cellsWritten(after: revision, limit: limit))
    }

    func removedCells(since revision: Int, after cursor: ChangeFeed.RemovalPosition?, limit: Int) throws -> [ChangeFeed.Removed] {
        try run(reads.removedCells(since: revision, after: cursor, limit: limit))
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
        return StoreContents(
            revisions: revisions, entities: entities, cells: try run(reads.allCells()),
            removals: try removedCells(since: 0, after: nil, limit: Int(Int32.max)))
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
