import Foundation
import OutboundConfig

/// The store's reads on `serve`'s request paths (explain, a change feed older than the
/// server's memory, the console's history, names and rows), from `async` code. A backend with
/// an async driver (`StoreBackend.asyncReads`: PostgreSQL) is read without holding a thread;
/// another one (SQLite, whose reads are local and short) is read on a Dispatch thread. The
/// answers are the blocking methods' of the same names, built by the same parts.
extension OutboundStore {
    /// `explain(_:now:)`. The gate's work and a "did you mean" among every agent run on a
    /// Dispatch thread: they are CPU, and the cooperative pool has one thread per core.
    public func explain(_ question: ExplainQuestion, now: Date) async throws -> (explanation: Explanation, context: ExplainingContext) {
        guard let reads = backend.asyncReads else { return try await BlockingWork.run { try self.explain(question, now: now) } }
        let agent = question.agent
        let read = try await reads.read { session -> (revision: Int, entities: [CanonicalForm.Key: StoredEntity])? in
            let revision = try await session.currentRevision()
            var reading = ExplainingRead(agent: agent)
            while !reading.wanted.isEmpty { reading.take(try await session.entities(keys: reading.wanted)) }
            guard reading.reachedAgent else { return nil }
            reading.take(try await session.entities(kinds: ExplainingRead.wholeKinds))
            return (revision, reading.entities)
        }
        guard let read else {
            let ids = try await reads.read { try await $0.ids(kind: Section.agents.rawValue) }
            throw try await BlockingWork.run { GateRefusal.unknownAgent(agent, among: ids) }
        }
        return try await BlockingWork.run {
            let context = ExplainingContext(revision: read.revision, entities: read.entities)
            return (try OutboundGate.explain(question, in: context.configuration, now: now) { [] }, context)
        }
    }

    /// `changes(since:after:limit:now:)`.
    public func changes(since revision: Int, after cursor: ChangeFeed.Cursor? = nil, limit: Int = 10_000, now: Date) async throws -> ChangeFeed {
        guard let reads = backend.asyncReads else {
            return try await BlockingWork.run { try self.changes(since: revision, after: cursor, limit: limit, now: now) }
        }
        return try await reads.read { session in
            let current = try await session.currentRevision()
            guard revision <= current, revision >= 0 else { throw StoreError.unknownRevision(revision) }
            return try await ChangeFeed.page(
                revision: current, after: cursor, limit: limit, now: now,
                changed: { try await session.changedCells(since: revision, after: $0, limit: $1) },
                removed: { try await session.removedCells(since: revision, after: $0, limit: $1) })
        }
    }

    /// `history()`.
    public func history() async throws -> [RevisionInfo] {
        guard let reads = backend.asyncReads else { return try await BlockingWork.run { try self.history() } }
        return try await reads.read { try await $0.revisions(after: 0) }
    }

    /// `names(in:)`.
    public func names(in section: Section) async throws -> [(id: String, name: String?)] {
        guard let reads = backend.asyncReads else { return try await BlockingWork.run { try self.names(in: section) }.map { ($0.id, $0.name) } }
        let entities = try await reads.read { try await $0.entities(kinds: [section.rawValue]) }
        // Parsing every agent's JSON is CPU work.
        return try await BlockingWork.run { Self.names(entities) }
    }

    /// `availabilityRows(site:now:)` at this moment (a store of an older schema is answered
    /// from its entities, by the blocking read).
    public func availabilityRows(site: String? = nil, now: Date) async throws -> [(AvailabilityKey, [ReasonCode])] {
        guard let reads = backend.asyncReads, isCurrentSchema else {
            return try await BlockingWork.run { try self.availabilityRows(site: site, now: now).map { ($0.0, $0.1) } }
        }
        let cells = try await reads.read { try await $0.activeCells(site: site) }
        return try await BlockingWork.run { cells.map { ($0.0, $0.1.reasons(at: now)) } }
    }
}
