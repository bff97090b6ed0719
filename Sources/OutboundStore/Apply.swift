import Foundation
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

public enum ApplyOutcome: Sendable {
    /// Nothing differs: no revision was written.
    case unchanged(revision: Int)
    /// A new revision, the plan it carried out, and how many rows it wrote.
    case applied(revision: Int, plan: Plan, rowsWritten: Int)
}

/// Everything that differs between the store and a desired state.
struct Difference {
    var plan: Plan
    /// The new entity rows of `plan.changes`' creates and updates.
    var entityWrites: [EntityWrite] = []
    var entityDeletes: [CanonicalForm.Key] = []
    /// Entities whose content is unchanged but whose nodes moved in the files.
    var sourceUpdates: [EntitySourcesWrite] = []
    /// In key order, as stores keep their rows.
    var cellUpdates: [(AvailabilityKey, AvailabilityCell)] = []
    var cellDeletes: [AvailabilityKey] = []

}

extension OutboundStore {
    /// The plan from the store's current revision to `desired`.
    public func plan(to desired: DesiredState) throws -> Plan {
        try read { try Self.difference($0, to: desired).plan }
    }

    /// Compares the store with `desired`, reading no more than needed. The same sources as
    /// the current revision's give the same configuration, and the stored cells do not depend
    /// on the day, so that is unchanged by construction. Otherwise entity rows are compared;
    /// when only agents changed, only their cells are recomputed and read, since the gate
    /// looks at no other agent. The impact compares both sides at `desired.now`.
    static func difference(_ session: any StoreSession, to desired: DesiredState) throws -> Difference {
        let revision = try session.currentRevision()
        let head = try session.revisionHead(revision)
        let unchanged = Difference(plan: Plan(baseRevision: revision, changes: [], impact: []))
        if let sourceDigest = desired.sourceDigest, head?.sourceDigest == sourceDigest, head?.canonicalVersion == CanonicalForm.version {
            return unchanged
        }
        var difference = try entityChanges(session, to: desired)
        difference.plan.baseRevision = revision
        if difference.plan.changes.isEmpty { return difference }
        let old: [AvailabilityKey: AvailabilityCell]
        let new: [(AvailabilityKey, AvailabilityCell)]
        if revision > 0, difference.plan.changes.allSatisfy({ $0.key.kind == Section.agents.rawValue }) {
            let agents = Set(difference.plan.changes.map(\.key.id))
            old = try session.cells(agents: agents)
            new = desired.cells(of: agents)
        } else {
            old = try session.cells(agents: nil)
            new = desired.cells
        }
        let now = desired.now
        let present = old.isEmpty ? [] : Set(new.lazy.map(\.0))
        let gone = old.keys.filter { !present.contains($0) }.sorted()
        difference.plan.impact = Plan.impact(
            before: old.mapValues { $0.reasons(at: now) }, inKeyOrder: new.map { ($0.0, $0.1.reasons(at: now)) },
            gone: gone)
        difference.cellUpdates = old.isEmpty ? new : new.filter { old[$0.0] != $0.1 }
        difference.cellDeletes = gone
        return difference
    }

    /// Entity changes, comparing row hashes first and reading the text of changed rows only.
    /// The stored hashes come sorted by kind and id in byte order, as the desired entities
    /// are (ids are ASCII by the id pattern, so `String` order and byte order agree); the
    /// two lists are merged kind by kind, and no dictionary of 50,000 keys is built.
    static func entityChanges(_ session: any StoreSession, to desired: DesiredState) throws -> Difference {
        let stored = try session.entityHashes()
        let hasSources = desired.rows.hasSources
        let rows = desired.rows.rows
        var runs: [String: Range<Int>] = [:]
        var start = 0
        for index in rows.indices where index + 1 == rows.count || rows[index + 1].entity.key.kind != rows[index].entity.key.kind {
            runs[rows[index].entity.key.kind] = start..<(index + 1)
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
            if row.key.kind != kind {
                finishKind()
                kind = row.key.kind
                (cursor, end) = runs[kind].map { ($0.lowerBound, $0.upperBound) } ?? (0, 0)
            }
            while cursor < end, ByteOrder.precedes(rows[cursor].entity.key.id, row.key.id) {
                created.append(cursor)
                cursor += 1
            }
            if cursor < end, rows[cursor].entity.key.id == row.key.id {
                if rows[cursor].hash != row.hash {
                    updated.append(cursor)
                } else if hasSources, rows[cursor].sourcesHash != row.sourcesHash {
                    moved.append(cursor)
                }
                cursor += 1
            } else {
                gone.append(row.key)
            }
        }
        finishKind()
        for run in runs.values { created += run }

        func write(_ index: Int) -> EntityWrite {
            let row = rows[index]
            return EntityWrite(key: row.entity.key, data: row.entity.text, hash: row.hash, sources: row.sources, sourcesHash: row.sourcesHash)
        }
        var changes = created.map { Plan.Change(action: .create, key: rows[$0].entity.key, old: nil, new: rows[$0].entity.text) }
        for index in updated {
            let entity = rows[index].entity
            changes.append(Plan.Change(action: .update, key: entity.key, old: try session.entity(entity.key)?.data, new: entity.text))
        }
        for key in gone {
            changes.append(Plan.Change(action: .delete, key: key, old: try session.entity(key)?.data, new: nil))
        }
        changes.sort { $0.key < $1.key }
        return Difference(
            plan: Plan(baseRevision: nil, changes: changes, impact: []),
            entityWrites: (created + updated).sorted().map(write), entityDeletes: gone,
            sourceUpdates: moved.map { EntitySourcesWrite(key: rows[$0].entity.key, sources: rows[$0].sources, sourcesHash: rows[$0].sourcesHash) })
    }

    /// Writes `desired` as a new revision in one write transaction: the difference is
    /// computed inside it, so concurrent applies serialise and none is lost. Nothing is
    /// written when nothing differs, when `base` no longer matches (stale plan), when the
    /// store is not at `expectedRevision` (`--expect-revision`), or when the plan deletes and
    /// `allowDeletes` is false. `willCommit` runs just before the commit (the CLI defers
    /// Ctrl-C from there, so it can say truthfully what was written).
    public func apply(
        _ desired: DesiredState, author: String, message: String, base: PlanBase? = nil, expectedRevision: Int? = nil,
        allowDeletes: Bool, now: Date = Date(), willCommit: () -> Void = {}
    ) throws -> ApplyOutcome {
        desired.prepareSnapshot()
        return try backend.write { session in
            let current = try session.currentRevision()
            if let expectedRevision, expectedRevision != current { throw StoreError.moved(expected: expectedRevision, actual: current) }
            if let base {
                let identity = try session.meta("store_id")
                if let expected = base.storeId, expected != identity {
                    throw StoreError.stalePlan("it was made for another store (\(expected))")
                }
                if base.revision != current {
                    throw StoreError.stalePlan("it was made at revision \(base.revision) and the store is now at revision \(current)")
                }
            }
            let difference = try Self.difference(session, to: desired)
            if difference.plan.changes.isEmpty {
                // The same configuration from other bytes: no revision. Moved nodes get their
                // new places, and the revision learns these sources' digest, so the next apply
                // of the same files takes the fast path instead of comparing every entity.
                let head = current > 0 ? try session.revisionHead(current) : nil
                let newDigest = head == nil ? nil : desired.sourceDigest.flatMap { $0 == head?.sourceDigest ? nil : $0 }
                guard !difference.sourceUpdates.isEmpty || newDigest != nil else { return (.unchanged(revision: current), false) }
                try session.updateSources(difference.sourceUpdates)
                if let newDigest { try session.updateSourceDigest(newDigest, revision: current) }
                willCommit()
                return (.unchanged(revision: current), true)
            }
            try session.updateSources(difference.sourceUpdates)
            let plan = difference.plan
            let deletes = plan.count(.delete)
            if deletes > 0, !allowDeletes { throw StoreError.deletionsNeedConfirmation(deletes) }
            let revision = current + 1
            // The snapshot is deflated (all of a first apply's pieces) while the rows are written.
            let previous = try SnapshotCompression.previousPieces(session)
            let encoding = Background { SnapshotCompression.stored(desired.snapshot, revision: revision, reusing: previous) }
            try session.upsertEntities(difference.entityWrites, revision: revision)
            try session.deleteEntities(difference.entityDeletes)
            try session.upsertCells(difference.cellUpdates, revision: revision)
            try session.removeCells(difference.cellDeletes, revision: revision)
            let (stored, note) = encoding.value
            try session.insertRevision(
                NewRevision(
                    number: revision, time: Self.timestamp(now), author: author, message: message, digest: desired.snapshot.digest,
                    sourceDigest: desired.sourceDigest ?? "", canonicalVersion: CanonicalForm.version, snapshot: stored,
                    creates: plan.count(.create), updates: plan.count(.update), deletes: deletes))
            let outcome = ApplyOutcome.applied(revision: revision, plan: plan, rowsWritten: session.rowsWritten)
            // Bookkeeping, not counted among the rows the revision wrote.
            try session.setMeta(SnapshotCompression.piecesKey, note)
            willCommit()
            return (outcome, true)
        }
    }

    static func timestamp(_ date: Date) -> String {
        LicenceWindow.text(date)
    }
}
