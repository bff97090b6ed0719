import Foundation
import GRDB
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

/// The desired state, prepared once outside the write transaction: canonical entity rows,
/// the snapshot document, its digest and the gate's availability.
public struct DesiredState: Sendable {
    public var entities: [CanonicalForm.Key: String]
    public var document: String
    public var digest: String
    public var availability: Availability

    public init(_ configuration: OutboundConfig.Configuration, date: CalendarDate? = nil) {
        entities = CanonicalForm(configuration).renderedEntities()
        document = CanonicalForm.document(from: entities)
        digest = CanonicalForm.digest(of: document)
        availability = OutboundGate(configuration: configuration, date: date).availability()
    }
}

public enum ApplyOutcome: Sendable {
    /// Nothing differs: no revision was written.
    case unchanged(revision: Int)
    /// A new revision, the plan it carried out, and how many rows it wrote (SQLite's total_changes()).
    case applied(revision: Int, plan: Plan, rowsWritten: Int)
}

extension OutboundStore {
    /// The plan from the store's current revision to `desired`.
    public func plan(to desired: DesiredState) throws -> Plan {
        try read { db in try Self.plan(db, to: desired) }
    }

    static func plan(_ db: Database, to desired: DesiredState) throws -> Plan {
        let changes = Plan.changes(from: try entities(db), to: desired.entities)
        let impact = Plan.impact(before: try availability(db), after: desired.availability)
        return Plan(baseRevision: try currentRevision(db), changes: changes, impact: impact)
    }

    /// Writes `desired` as a new revision in one IMMEDIATE transaction: the plan is recomputed
    /// inside it, so concurrent applies serialise and none is lost. Nothing is written when
    /// nothing differs, when `base` no longer matches (stale plan) or when the plan deletes
    /// and `allowDeletes` is false.
    public func apply(_ desired: DesiredState, author: String, message: String, base: PlanBase? = nil,
                      allowDeletes: Bool, now: Date = Date()) throws -> ApplyOutcome {
        var outcome = ApplyOutcome.unchanged(revision: 0)
        try StoreError.wrap(path) {
            try queue.inTransaction(.immediate) { db in
                let startChanges = db.totalChangesCount
                let current = try Self.currentRevision(db)
                if let base {
                    let identity = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'store_id'")
                    if let expected = base.storeId, expected != identity {
                        throw StoreError.stalePlan("it was made for another store (\(expected))")
                    }
                    if base.revision != current {
                        throw StoreError.stalePlan("it was made at revision \(base.revision) and the store is now at revision \(current)")
                    }
                }
                let old = try Self.entities(db)
                let oldAvailability = try Self.availability(db)
                let changes = Plan.changes(from: old, to: desired.entities)
                let impact = Plan.impact(before: oldAvailability, after: desired.availability)
                let rowUpdates = desired.availability.filter { oldAvailability[$0.key] != $0.value }
                let rowDeletes = oldAvailability.keys.filter { desired.availability[$0] == nil }
                guard !changes.isEmpty || !rowUpdates.isEmpty || !rowDeletes.isEmpty else {
                    outcome = .unchanged(revision: current)
                    return .rollback
                }
                let plan = Plan(baseRevision: current, changes: changes, impact: impact)
                let deletes = plan.count(.delete)
                if deletes > 0, !allowDeletes { throw StoreError.deletionsNeedConfirmation(deletes) }
                let revision = current + 1
                try db.execute(
                    sql: """
                        INSERT INTO revisions (number, time, author, message, digest, snapshot, creates, updates, deletes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [revision, Self.timestamp(now), author, message, desired.digest, desired.document,
                                plan.count(.create), plan.count(.update), deletes])
                let upsertEntity = try db.cachedStatement(sql: "INSERT OR REPLACE INTO entities (kind, id, data, revision) VALUES (?, ?, ?, ?)")
                let deleteEntity = try db.cachedStatement(sql: "DELETE FROM entities WHERE kind = ? AND id = ?")
                for change in changes {
                    if change.action == .delete {
                        try deleteEntity.execute(arguments: [change.key.kind, change.key.id])
                    } else {
                        try upsertEntity.execute(arguments: [change.key.kind, change.key.id, desired.entities[change.key]!, revision])
                    }
                }
                let upsertRow = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO availability (agent_id, team_id, channel, available, reasons, revision) VALUES (?, ?, ?, ?, ?, ?)
                    """)
                let deleteRow = try db.cachedStatement(sql: "DELETE FROM availability WHERE agent_id = ? AND team_id = ? AND channel = ?")
                for (key, reasons) in rowUpdates {
                    try upsertRow.execute(arguments: [key.agent, key.team, key.channel.rawValue, reasons.isEmpty ? 1 : 0,
                                                      reasons.map(\.rawValue).joined(separator: ","), revision])
                }
                for key in rowDeletes {
                    try deleteRow.execute(arguments: [key.agent, key.team, key.channel.rawValue])
                }
                outcome = .applied(revision: revision, plan: plan, rowsWritten: db.totalChangesCount - startChanges)
                return .commit
            }
        }
        return outcome
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
