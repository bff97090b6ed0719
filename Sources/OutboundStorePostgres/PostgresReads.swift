import Foundation
import OutboundConfig
import OutboundStore
import PostgresNIO

/// One read of the store: its SQL and how its rows are decoded. The blocking session
/// (`PostgresSession`, for commands) and the async one (`PostgresAsyncSession`, for `serve`'s
/// request paths) run the same reads, so each query is written once.
struct PostgresRead<Value: Sendable>: Sendable {
    let query: PostgresQuery
    let decode: @Sendable ([PostgresRow]) throws -> Value
}

/// The reads of the store's tables. Ids are `COLLATE "C"`, so `ORDER BY` is byte order, as the
/// engine expects.
struct PostgresReads: Sendable {
    /// The schema's quoted name, prefixed to every table.
    let schema: String

    func table(_ name: String) -> String { "\(schema).\(name)" }

    static let cellColumns = "agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until"

    func meta(_ key: String) -> PostgresRead<String?> {
        PostgresRead(query: "SELECT value FROM \(unescaped: table("meta")) WHERE key = \(key)") { try $0.first?.decode(String.self) }
    }

    func currentRevision() -> PostgresRead<Int> {
        PostgresRead(query: "SELECT COALESCE(MAX(number), 0) FROM \(unescaped: table("revisions"))") { try $0.first?.decode(Int.self) ?? 0 }
    }

    func revisionHead(_ number: Int) -> PostgresRead<RevisionHead?> {
        PostgresRead(query: "SELECT source_digest, canonical_version FROM \(unescaped: table("revisions")) WHERE number = \(number)") { rows in
            try rows.first.map { row in
                let (digest, version) = try row.decode((String, Int).self)
                return RevisionHead(sourceDigest: digest, canonicalVersion: version)
            }
        }
    }

    func revisions(after number: Int) -> PostgresRead<[RevisionInfo]> {
        PostgresRead(
            query: """
                SELECT number, time, author, message, digest, creates, updates, deletes FROM \(unescaped: table("revisions"))
                WHERE number > \(number) ORDER BY number
                """
        ) { rows in
            try rows.map { row in
                let (number, time, author, message, digest, creates, updates, deletes) = try row.decode(
                    (Int, String, String, String, String, Int, Int, Int).self)
                return RevisionInfo(
                    number: number, time: time, author: author, message: message, digest: digest, creates: creates, updates: updates,
                    deletes: deletes)
            }
        }
    }

    func snapshot(_ number: Int) -> PostgresRead<StoredSnapshot?> {
        PostgresRead(query: "SELECT snapshot, snapshot_encoding FROM \(unescaped: table("revisions")) WHERE number = \(number)") { rows in
            try rows.first.map { row in
                let (bytes, encoding) = try row.decode((Data, String).self)
                return StoredSnapshot(encoding: encoding, bytes: bytes)
            }
        }
    }

    func entityHashes() -> PostgresRead<[EntityHash]> {
        PostgresRead(query: "SELECT kind, id, hash, sources_hash FROM \(unescaped: table("entities")) ORDER BY kind, id") { rows in
            var stored: [EntityHash] = []
            stored.reserveCapacity(rows.count)
            for row in rows {
                let (kind, id, hash, sourcesHash) = try row.decode((String, String, Int64, Int64).self)
                // Rows come kind by kind: a row of the previous row's kind reuses its key's kind.
                let key =
                    stored.last.map { $0.key.kind == kind ? CanonicalForm.Key(kindOf: $0.key, id: id) : CanonicalForm.Key(kind: kind, id: id) }
                    ?? CanonicalForm.Key(kind: kind, id: id)
                stored.append(EntityHash(key: key, hash: hash, sourcesHash: sourcesHash))
            }
            return stored
        }
    }

    private static let entityColumns = "kind, id, data, revision, sources"

    func entities(keys: [CanonicalForm.Key]) -> PostgresRead<[CanonicalForm.Key: StoredEntity]> {
        PostgresRead(
            query: """
                SELECT \(unescaped: Self.entityColumns) FROM \(unescaped: table("entities"))
                WHERE (kind, id) IN (SELECT * FROM unnest(\(keys.map(\.kind)), \(keys.map(\.id))))
                """, decode: Self.decodeEntities)
    }

    func entities(kinds: [String]?) -> PostgresRead<[CanonicalForm.Key: StoredEntity]> {
        if let kinds {
            PostgresRead(
                query: "SELECT \(unescaped: Self.entityColumns) FROM \(unescaped: table("entities")) WHERE kind = ANY(\(kinds))",
                decode: Self.decodeEntities)
        } else {
            PostgresRead(query: "SELECT \(unescaped: Self.entityColumns) FROM \(unescaped: table("entities"))", decode: Self.decodeEntities)
        }
    }

    private static func decodeEntities(_ rows: [PostgresRow]) throws -> [CanonicalForm.Key: StoredEntity] {
        var result: [CanonicalForm.Key: StoredEntity] = [:]
        result.reserveCapacity(rows.count)
        for row in rows {
            let (kind, id, data, revision, sources) = try row.decode((String, String, String, Int, String).self)
            result[CanonicalForm.Key(kind: kind, id: id)] = StoredEntity(data: data, revision: revision, sources: sources)
        }
        return result
    }

    func ids(kind: String) -> PostgresRead<[String]> {
        PostgresRead(query: "SELECT id FROM \(unescaped: table("entities")) WHERE kind = \(kind) ORDER BY id") { rows in
            try rows.map { try $0.decode(String.self) }
        }
    }

    func cells(agents: Set<String>?) -> PostgresRead<[AvailabilityKey: AvailabilityCell]> {
        let query: PostgresQuery =
            if let agents {
                "SELECT \(unescaped: Self.cellColumns) FROM \(unescaped: table("availability")) WHERE agent_id = ANY(\(Array(agents)))"
            } else {
                "SELECT \(unescaped: Self.cellColumns) FROM \(unescaped: table("availability"))"
            }
        return PostgresRead(query: query) { rows in
            var result: [AvailabilityKey: AvailabilityCell] = [:]
            result.reserveCapacity(rows.count)
            for row in rows {
                if let (key, cell) = try Self.decodeCell(row) { result[key] = cell }
            }
            return result
        }
    }

    func activeCells(site: String?) -> PostgresRead<[(AvailabilityKey, AvailabilityCell)]> {
        // An agent is active unless its canonical entity says `"active": false`.
        let select = """
            SELECT v.agent_id, v.team_id, v.channel, v.reasons_before, v.reasons_after, v.valid_from, v.valid_until
            FROM \(table("availability")) v JOIN \(table("entities")) a ON a.kind = 'agents' AND a.id = v.agent_id
            WHERE (a.data::json ->> 'active') IS DISTINCT FROM 'false'
            """
        let query: PostgresQuery =
            if let site {
                "\(unescaped: select) AND a.data::json ->> 'site' = \(site) ORDER BY v.agent_id, v.team_id, v.channel"
            } else {
                "\(unescaped: select) ORDER BY v.agent_id, v.team_id, v.channel"
            }
        return PostgresRead(query: query) { try $0.compactMap(Self.decodeCell) }
    }

    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) -> PostgresRead<[ChangeFeed.Written]> {
        let select = "SELECT \(Self.cellColumns), revision FROM \(table("availability"))"
        let query: PostgresQuery =
            if let cursor {
                """
                \(unescaped: select) WHERE revision > \(revision) AND (agent_id, team_id, channel) > (\(cursor.agent), \(cursor.team), \(cursor.channel.rawValue))
                ORDER BY agent_id, team_id, channel LIMIT \(limit)
                """
            } else {
                "\(unescaped: select) WHERE revision > \(revision) ORDER BY agent_id, team_id, channel LIMIT \(limit)"
            }
        return PostgresRead(query: query, decode: Self.decodeWrittenCells)
    }

    func cellsWritten(after revision: Int, limit: Int) -> PostgresRead<[ChangeFeed.Written]> {
        PostgresRead(
            query:
                "SELECT \(unescaped: Self.cellColumns), revision FROM \(unescaped: table("availability")) WHERE revision > \(revision) ORDER BY revision LIMIT \(limit)",
            decode: Self.decodeWrittenCells)
    }

    /// Every cell with the revision that last wrote it, by key (`store copy`).
    func allCells() -> PostgresRead<[ChangeFeed.Written]> {
        PostgresRead(
            query: "SELECT \(unescaped: Self.cellColumns), revision FROM \(unescaped: table("availability")) ORDER BY agent_id, team_id, channel",
            decode: Self.decodeWrittenCells)
    }

    func removedCells(since revision: Int, after cursor: ChangeFeed.RemovalPosition?, limit: Int) -> PostgresRead<[ChangeFeed.Removed]> {
        let select = "SELECT revision, agent_id, team_id, channel FROM \(table("availability_removals"))"
        let query: PostgresQuery =
            if let cursor {
                """
                \(unescaped: select) WHERE revision > \(revision)
                  AND (revision, agent_id, team_id, channel) > (\(cursor.revision), \(cursor.key.agent), \(cursor.key.team), \(cursor.key.channel.rawValue))
                ORDER BY revision, agent_id, team_id, channel LIMIT \(limit)
                """
            } else {
                "\(unescaped: select) WHERE revision > \(revision) ORDER BY revision, agent_id, team_id, channel LIMIT \(limit)"
            }
        return PostgresRead(query: query) { rows in
            try rows.compactMap { row in
                let (removed, agent, team, channel) = try row.decode((Int, String, String, String).self)
                return Channel(rawValue: channel).map { (AvailabilityKey(agent: agent, team: team, channel: $0), revision: removed) }
            }
        }
    }

    /// Rows of `cellColumns` followed by the revision.
    private static func decodeWrittenCells(_ rows: [PostgresRow]) throws -> [ChangeFeed.Written] {
        try rows.compactMap { row in
            let revision = try row.makeRandomAccess()[7].decode(Int.self)
            return try decodeCell(row).map { ($0.0, $0.1, revision: revision) }
        }
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
}
