import Foundation
import GRDB
import GRDBSQLite
import OutboundConfig

/// What an apply is checked against: the store and revision a saved plan was made on.
public struct PlanBase: Sendable, Equatable {
    public var storeId: String?
    public var revision: Int

    public init(storeId: String?, revision: Int) {
        self.storeId = storeId
        self.revision = revision
    }
}

/// The desired state, prepared outside the write transaction. Its canonical rows and their
/// hashes are computed on other threads from the moment it exists (overlapping with the rule
/// checks); the snapshot (document, digest, deflated form) from the moment a write needs it
/// (overlapping with reading the store). An apply whose sources are byte-for-byte those of
/// the current revision waits for neither, and `plan` and `diff` never build a snapshot.
public final class DesiredState: @unchecked Sendable {
    /// The gate judging licences at `now` (or on the caller's day): the plan's impact.
    public let gate: OutboundGate
    /// The instant the impact is judged at: stored cells are evaluated at it too.
    public let now: Date
    /// Every cell as the store keeps it (date-independent reasons and licence windows), in key order.
    private let storedCells: Background<[(AvailabilityKey, AvailabilityCell)]>
    /// `LoadResult.sourceDigest` of the files, when they came from files.
    public let sourceDigest: String?
    private let rows: Background<Rows>
    private let snapshotLock = NSLock()
    private var startedSnapshot: Background<Snapshot>?

    /// The canonical text of every entity in key order, and at the same index its FNV-1a hash
    /// as the store keeps it for quick comparison.
    struct Rows: Sendable {
        var entities: [CanonicalForm.Entity]
        var hashes: [Int64]
        /// At the same index: the entity's `EntitySources` text ("" when the configuration did
        /// not come from files) and its hash.
        var sources: [String]
        var sourceHashes: [Int64]
        /// False for a configuration that did not come from files: places already kept for
        /// unchanged entities are then left as they are.
        var hasSources: Bool
    }

    private struct Snapshot: Sendable {
        var document: [UInt8]
        var digest: String
        var deflated: Data?
    }

    /// `sourcePaths`: the paths the configuration was loaded from, so the store can keep where
    /// each node stood (nil when it did not come from files: a rollback, a saved plan).
    public init(_ configuration: OutboundConfig.Configuration, date: CalendarDate? = nil, now: Date, sourceDigest: String? = nil,
                sourcePaths: [String]? = nil) {
        gate = OutboundGate(configuration: configuration, date: date, now: now)
        self.now = now
        self.sourceDigest = sourceDigest.flatMap { $0.isEmpty ? nil : $0 }
        storedCells = Background { OutboundGate.dateIndependent(configuration).availabilityCells() }
        rows = Background {
            let entities = CanonicalForm.sortedEntities(configuration)
            let hashes = ParallelMap.map(entities) { Int64(bitPattern: FNV1a.hash($0.text)) }
            guard let sourcePaths else {
                return Rows(entities: entities, hashes: hashes, sources: Array(repeating: "", count: entities.count),
                            sourceHashes: Array(repeating: 0, count: entities.count), hasSources: false)
            }
            let sources = ParallelMap.map(entities) { entity in
                EntitySources.of(entity.key, in: configuration) { EntitySources.relativeName(of: $0, among: sourcePaths) }?.text ?? ""
            }
            return Rows(entities: entities, hashes: hashes, sources: sources, sourceHashes: sources.map { Int64(bitPattern: FNV1a.hash($0)) },
                        hasSources: true)
        }
    }

    /// Starts building the snapshot on other threads, if not started yet. The store's apply
    /// starts it before comparing; the `apply` command as soon as the configuration is
    /// loaded, since most applies write.
    public func prepareSnapshot() {
        _ = snapshot()
    }

    /// The snapshot being built, started on first call.
    private func snapshot() -> Background<Snapshot> {
        snapshotLock.lock()
        defer { snapshotLock.unlock() }
        if let startedSnapshot { return startedSnapshot }
        let rows = rows
        let snapshot = Background {
            let document = CanonicalForm.documentBytes(from: rows.value.entities)
            let deflated = Background { SnapshotCompression.compress(document) }
            return Snapshot(document: document, digest: CanonicalForm.digest(of: document), deflated: deflated.value)
        }
        startedSnapshot = snapshot
        return snapshot
    }

    public convenience init(_ result: LoadResult, date: CalendarDate? = nil, now: Date, sourcePaths: [String]? = nil) {
        self.init(result.configuration, date: date, now: now, sourceDigest: result.sourceDigest, sourcePaths: sourcePaths)
    }

    /// Every entity's canonical text by key.
    public var entities: [CanonicalForm.Key: String] {
        Dictionary(uniqueKeysWithValues: rows.value.entities.map { ($0.key, $0.text) })
    }
    var sortedRows: Rows { rows.value }
    public var document: String { String(decoding: snapshot().value.document, as: UTF8.self) }
    public var digest: String { snapshot().value.digest }
    /// The snapshot as the store keeps it: (encoding, value).
    var storedSnapshot: (encoding: String, value: DatabaseValueConvertible) {
        let snapshot = snapshot().value
        if let deflated = snapshot.deflated { return (SnapshotCompression.deflate, deflated) }
        return (SnapshotCompression.text, String(decoding: snapshot.document, as: UTF8.self))
    }

    /// The day licences are judged on.
    public var date: CalendarDate { gate.date }

    /// The availability of every agent, team and channel.
    public func availability() -> Availability { gate.availability() }

    /// The plan from `previous` (nil: nothing) to this state, without a store: what `diff`
    /// shows, and `plan` against a store that does not exist yet.
    public func plan(from previous: DesiredState?, baseRevision: Int?) -> Plan {
        Plan(baseRevision: baseRevision, changes: Plan.changes(from: previous?.entities ?? [:], to: entities),
             impact: Plan.impact(before: previous?.availability() ?? [:], after: availability()))
    }

    /// The availability of some agents only (absent agents have no cells).
    public func availability(of agents: Set<String>) -> Availability { gate.availability(of: agents) }

    /// Every cell as the store keeps it, in key order.
    var cells: [(AvailabilityKey, AvailabilityCell)] { storedCells.value }

    /// The stored cells of some agents only, in key order.
    func cells(of agents: Set<String>) -> [(AvailabilityKey, AvailabilityCell)] {
        OutboundGate.dateIndependent(gate.configuration).availabilityCells(of: agents).sorted { $0.0 < $1.0 }
    }
}

public enum ApplyOutcome: Sendable {
    /// Nothing differs: no revision was written.
    case unchanged(revision: Int)
    /// A new revision, the plan it carried out, and how many rows it wrote (SQLite's total_changes()).
    case applied(revision: Int, plan: Plan, rowsWritten: Int)
}

/// Everything that differs between the store and a desired state.
struct Difference {
    var plan: Plan
    /// The stored hash of each of `plan.changes`' new text (nil for deletions).
    var entityHashes: [Int64?]
    /// The sources text and hash of each of `plan.changes`' new entity (nil for deletions).
    var entitySources: [(text: String, hash: Int64)?] = []
    /// Entities whose content is unchanged but whose nodes moved in the files.
    var sourceUpdates: [(key: CanonicalForm.Key, text: String, hash: Int64)] = []
    /// In key order, as the table keeps its rows.
    var rowUpdates: [(AvailabilityKey, AvailabilityCell)]
    var rowDeletes: [AvailabilityKey]

    var isEmpty: Bool { plan.changes.isEmpty && rowUpdates.isEmpty && rowDeletes.isEmpty && sourceUpdates.isEmpty }
    /// Only nodes moved: their places are updated in place, without a revision.
    var onlySourcesMoved: Bool { plan.changes.isEmpty && rowUpdates.isEmpty && rowDeletes.isEmpty && !sourceUpdates.isEmpty }
}

extension OutboundStore {
    /// The plan from the store's current revision to `desired`.
    public func plan(to desired: DesiredState) throws -> Plan {
        try read { db in try Self.difference(db, to: desired).plan }
    }

    /// Compares the store with `desired`, reading no more than needed. The same sources as
    /// the current revision's give the same configuration, and the stored cells do not depend
    /// on the day, so that is unchanged by construction. Otherwise entity rows are compared;
    /// when only agents changed, only their cells are recomputed and read, since the gate
    /// looks at no other agent. The impact compares both sides at `desired.now`.
    static func difference(_ db: Database, to desired: DesiredState) throws -> Difference {
        let revision = try currentRevision(db)
        let current = try Row.fetchOne(
            db, sql: "SELECT digest, source_digest, canonical_version FROM revisions WHERE number = ?", arguments: [revision])
        let sameSources = desired.sourceDigest != nil && current?["source_digest"] == desired.sourceDigest
            && current?["canonical_version"] == CanonicalForm.version
        let unchanged = Difference(plan: Plan(baseRevision: revision, changes: [], impact: []), entityHashes: [], rowUpdates: [], rowDeletes: [])
        if sameSources { return unchanged }
        let (changes, hashes, sources, moved) = try entityChanges(db, to: desired)
        if changes.isEmpty {
            var onlyMoved = unchanged
            onlyMoved.sourceUpdates = moved
            return onlyMoved
        }
        let old: [AvailabilityKey: AvailabilityCell]
        let new: [(AvailabilityKey, AvailabilityCell)]
        if revision > 0, changes.allSatisfy({ $0.key.kind == Section.agents.rawValue }) {
            let agents = Set(changes.map(\.key.id))
            old = try availability(db, of: agents)
            new = desired.cells(of: agents)
        } else {
            old = try availability(db)
            new = desired.cells
        }
        var newByKey: [AvailabilityKey: AvailabilityCell] = [:]
        newByKey.reserveCapacity(new.count)
        for (key, cell) in new { newByKey[key] = cell }
        let updates = new.filter { old[$0.0] != $0.1 }
        let now = desired.now
        let plan = Plan(baseRevision: revision, changes: changes,
                        impact: Plan.impact(before: old.mapValues { $0.reasons(at: now) }, after: newByKey.mapValues { $0.reasons(at: now) }))
        let deletes = old.keys.filter { newByKey[$0] == nil }.sorted()
        return Difference(plan: plan, entityHashes: hashes, entitySources: sources, sourceUpdates: moved, rowUpdates: updates, rowDeletes: deletes)
    }

    /// Entity changes, comparing row hashes first and reading the text of changed rows only,
    /// with the stored hash of each change's new text (nil for deletions) at the same index.
    /// The stored rows are read in primary-key order straight through SQLite's C API first
    /// (while the desired rows may still be rendering on other threads), then merged with the
    /// desired entities, which are in key order too, kind by kind: ids are ASCII (the id
    /// pattern), so SQLite's byte order and `String`'s order agree, and no dictionary of
    /// 50,000 keys is built.
    static func entityChanges(_ db: Database, to desired: DesiredState) throws
        -> (changes: [Plan.Change], hashes: [Int64?], sources: [(text: String, hash: Int64)?], moved: [(key: CanonicalForm.Key, text: String, hash: Int64)]) {
        var stored: [(kind: String, id: String, hash: Int64, sourcesHash: Int64)] = []
        let statement = try db.makeStatement(sql: "SELECT kind, id, hash, sources_hash FROM entities ORDER BY kind, id")
        let sqlite = statement.sqliteStatement
        defer { sqlite3_reset(sqlite) }
        while true {
            let code = sqlite3_step(sqlite)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            stored.append((String(cString: sqlite3_column_text(sqlite, 0)), String(cString: sqlite3_column_text(sqlite, 1)),
                           sqlite3_column_int64(sqlite, 2), sqlite3_column_int64(sqlite, 3)))
        }

        let rows = desired.sortedRows
        let entities = rows.entities
        var runs: [String: Range<Int>] = [:]
        var start = 0
        for index in entities.indices where index + 1 == entities.count || entities[index + 1].key.kind != entities[index].key.kind {
            runs[entities[index].key.kind] = start..<(index + 1)
            start = index + 1
        }
        var created: [Int] = []
        var updated: [Int] = []
        var moved: [Int] = []
        var gone: [CanonicalForm.Key] = []
        var kind = ""
        var cursor = 0
        var end = 0
        func finishKind() {
            created += cursor..<end
            runs[kind] = nil
        }
        for row in stored {
            if row.kind != kind {
                finishKind()
                kind = row.kind
                (cursor, end) = runs[kind].map { ($0.lowerBound, $0.upperBound) } ?? (0, 0)
            }
            while cursor < end, entities[cursor].key.id < row.id {
                created.append(cursor)
                cursor += 1
            }
            if cursor < end, entities[cursor].key.id == row.id {
                if rows.hashes[cursor] != row.hash {
                    updated.append(cursor)
                } else if rows.hasSources, rows.sourceHashes[cursor] != row.sourcesHash {
                    moved.append(cursor)
                }
                cursor += 1
            } else {
                gone.append(CanonicalForm.Key(kind: row.kind, id: row.id))
            }
        }
        finishKind()
        for run in runs.values { created += run }

        let text = try db.cachedStatement(sql: "SELECT data FROM entities WHERE kind = ? AND id = ?")
        typealias Sources = (text: String, hash: Int64)
        func sources(_ index: Int) -> Sources? { (rows.sources[index], rows.sourceHashes[index]) }
        var changes = created.map { (Plan.Change(action: .create, key: entities[$0].key, old: nil, new: entities[$0].text), Optional(rows.hashes[$0]), sources($0)) }
        for index in updated {
            let key = entities[index].key
            let old = try String.fetchOne(text, arguments: [key.kind, key.id])
            changes.append((Plan.Change(action: .update, key: key, old: old, new: entities[index].text), rows.hashes[index], sources(index)))
        }
        for key in gone {
            changes.append((Plan.Change(action: .delete, key: key, old: try String.fetchOne(text, arguments: [key.kind, key.id]), new: nil), nil, nil))
        }
        changes.sort { $0.0.key < $1.0.key }
        return (changes.map(\.0), changes.map(\.1), changes.map(\.2), moved.map { (entities[$0].key, rows.sources[$0], rows.sourceHashes[$0]) })
    }

    static func availability(_ db: Database, of agents: Set<String>) throws -> [AvailabilityKey: AvailabilityCell] {
        var result: [AvailabilityKey: AvailabilityCell] = [:]
        let statement = try db.cachedStatement(sql: "SELECT agent_id, team_id, channel, \(StoredCellColumns.list) FROM availability WHERE agent_id = ?")
        for agent in agents {
            let rows = try Row.fetchCursor(statement, arguments: [agent])
            while let row = try rows.next() {
                guard let (key, cell) = StoredCellColumns.decode(row) else { continue }
                result[key] = cell
            }
        }
        return result
    }

    /// Writes `desired` as a new revision in one IMMEDIATE transaction: the difference is
    /// computed inside it, so concurrent applies serialise and none is lost. Nothing is
    /// written when nothing differs, when `base` no longer matches (stale plan) or when the
    /// plan deletes and `allowDeletes` is false. `willCommit` runs just before the commit
    /// (the CLI defers Ctrl-C from there, so it can say truthfully what was written).
    /// `expectedRevision` (`--expect-revision`): refuse unless the store is at that revision.
    public func apply(_ desired: DesiredState, author: String, message: String, base: PlanBase? = nil, expectedRevision: Int? = nil,
                      allowDeletes: Bool, now: Date = Date(), willCommit: () -> Void = {}) throws -> ApplyOutcome {
        var outcome = ApplyOutcome.unchanged(revision: 0)
        desired.prepareSnapshot()
        try StoreError.wrap(path) {
            try queue.inTransaction(.immediate) { db in
                let startChanges = db.totalChangesCount
                let current = try Self.currentRevision(db)
                if let expectedRevision, expectedRevision != current { throw StoreError.moved(expected: expectedRevision, actual: current) }
                if let base {
                    let identity = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'store_id'")
                    if let expected = base.storeId, expected != identity {
                        throw StoreError.stalePlan("it was made for another store (\(expected))")
                    }
                    if base.revision != current {
                        throw StoreError.stalePlan("it was made at revision \(base.revision) and the store is now at revision \(current)")
                    }
                }
                let difference = try Self.difference(db, to: desired)
                guard !difference.isEmpty else {
                    outcome = .unchanged(revision: current)
                    return .rollback
                }
                try Self.writeSourceUpdates(db, difference.sourceUpdates)
                if difference.onlySourcesMoved {
                    outcome = .unchanged(revision: current)
                    willCommit()
                    return .commit
                }
                let plan = difference.plan
                let deletes = plan.count(.delete)
                if deletes > 0, !allowDeletes { throw StoreError.deletionsNeedConfirmation(deletes) }
                let revision = current + 1
                let snapshot = desired.storedSnapshot
                try db.execute(
                    sql: """
                        INSERT INTO revisions (number, time, author, message, digest, source_digest, canonical_version, evaluated_on,
                                               snapshot, snapshot_encoding, creates, updates, deletes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [revision, Self.timestamp(now), author, message, desired.digest, desired.sourceDigest ?? "", CanonicalForm.version,
                                Self.timestamp(desired.now), snapshot.value, snapshot.encoding,
                                plan.count(.create), plan.count(.update), deletes])
                var upsertEntity = try BulkInsert(db, sql: """
                    INSERT OR REPLACE INTO entities (kind, id, data, hash, revision, sources, sources_hash) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                let deleteEntity = try db.cachedStatement(sql: "DELETE FROM entities WHERE kind = ? AND id = ?")
                for (index, change) in plan.changes.enumerated() {
                    if let text = change.new, let hash = difference.entityHashes[index], let sources = difference.entitySources[index] {
                        upsertEntity.bind(change.key.kind)
                        upsertEntity.bind(change.key.id)
                        upsertEntity.bind(text)
                        upsertEntity.bind(hash)
                        upsertEntity.bind(revision)
                        upsertEntity.bind(sources.text)
                        upsertEntity.bind(sources.hash)
                        try upsertEntity.insertRow()
                    } else {
                        try deleteEntity.execute(arguments: [change.key.kind, change.key.id])
                    }
                }
                var upsertRow = try BulkInsert(db, sql: """
                    INSERT OR REPLACE INTO availability (agent_id, team_id, channel, reasons_before, reasons_after, valid_from, valid_until, revision)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let deleteRow = try db.cachedStatement(sql: "DELETE FROM availability WHERE agent_id = ? AND team_id = ? AND channel = ?")
                for (key, cell) in difference.rowUpdates {
                    upsertRow.bind(key.agent)
                    upsertRow.bind(key.team)
                    upsertRow.bind(key.channel.rawValue)
                    upsertRow.bind(StoredCellColumns.text(cell.before))
                    upsertRow.bind(StoredCellColumns.text(cell.after))
                    upsertRow.bind(cell.window.from.map(LicenceWindow.text))
                    upsertRow.bind(cell.window.until.map(LicenceWindow.text))
                    upsertRow.bind(revision)
                    try upsertRow.insertRow()
                }
                let recordRemoval = try db.cachedStatement(sql: "INSERT INTO availability_removals (revision, agent_id, team_id, channel) VALUES (?, ?, ?, ?)")
                for key in difference.rowDeletes {
                    try deleteRow.execute(arguments: [key.agent, key.team, key.channel.rawValue])
                    try recordRemoval.execute(arguments: [revision, key.agent, key.team, key.channel.rawValue])
                }
                outcome = .applied(revision: revision, plan: plan, rowsWritten: db.totalChangesCount - startChanges)
                willCommit()
                return .commit
            }
        }
        return outcome
    }

    /// Entities whose nodes moved in the files, their content unchanged: new places, same revision.
    static func writeSourceUpdates(_ db: Database, _ updates: [(key: CanonicalForm.Key, text: String, hash: Int64)]) throws {
        guard !updates.isEmpty else { return }
        let update = try db.cachedStatement(sql: "UPDATE entities SET sources = ?, sources_hash = ? WHERE kind = ? AND id = ?")
        for entity in updates { try update.execute(arguments: [entity.text, entity.hash, entity.key.kind, entity.key.id]) }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
