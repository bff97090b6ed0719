import Foundation
import OutboundConfig

/// The store engine: the current configuration as canonical entity rows, every revision with
/// its full snapshot, and the availability cells behind the public view
/// `outbound_availability`, over any `StoreBackend`. Reads never create a store; `apply`,
/// `rollback` and `store migrate` write.
public final class OutboundStore: Sendable {
    public let backend: any StoreBackend

    public init(backend: any StoreBackend) {
        self.backend = backend
    }

    /// Where the store lives, for messages.
    public var location: String { backend.location }

    /// False for a store of an older schema opened for reading: it is read as it is, and the
    /// commands say `outboundctl store migrate` brings it up to date.
    public var isCurrentSchema: Bool { backend.isCurrentSchema }

    /// How long a writer waits for another apply by default (`--lock-timeout`).
    public static let defaultLockTimeout: TimeInterval = 30

    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T {
        try backend.read(body)
    }

    // MARK: Reading

    /// The store's identity, set when it was created.
    public func identity() throws -> String {
        try read { try $0.meta("store_id") ?? "" }
    }

    /// The current revision (0 before the first apply).
    public func currentRevision() throws -> Int {
        try read { try $0.currentRevision() }
    }

    /// The current configuration as compact canonical JSON per entity.
    public func entities() throws -> [CanonicalForm.Key: String] {
        try read { try $0.entities(kinds: nil).mapValues(\.data) }
    }

    /// The availability of every agent, team and channel at `now`.
    public func availability(at now: Date) throws -> Availability {
        try read { try $0.cells(agents: nil).mapValues { $0.reasons(at: now) } }
    }

    /// The rows of active agents at `now`, sorted by agent, team and channel, optionally only
    /// one site's agents: what the view `outbound_availability` answers at that moment. With
    /// `date`, the answers on that day (in the tenant's time zone), from the entities; a store
    /// of an older schema, whose rows were judged on the day of their apply, is answered from
    /// its entities too, so the answer is right there as well.
    public func availabilityRows(site: String? = nil, on date: CalendarDate? = nil, now: Date) throws -> [(AvailabilityKey, [ReasonCode])] {
        try read { session in
            guard isCurrentSchema, date == nil else {
                let configuration = CanonicalForm.configuration(
                    from: try session.entities(kinds: nil).mapValues(\.data),
                    name: "store revision \(try session.currentRevision())")
                return OutboundGate(configuration: configuration, date: date, now: now).matrix { site == nil || $0.site.value == site }
            }
            return try session.activeCells(site: site).map { ($0.0, $0.1.reasons(at: now)) }
        }
    }

    /// The canonical document of a revision (the current one when nil).
    public func snapshot(revision: Int? = nil) throws -> (revision: Int, document: String) {
        try read { session in
            let number = try revision ?? session.currentRevision()
            guard let snapshot = try session.snapshot(number) else { throw StoreError.unknownRevision(number) }
            guard let document = SnapshotCompression.decode(snapshot) else {
                throw StoreError.unreadable(location, "the snapshot of revision \(number) cannot be decompressed; the store is damaged")
            }
            return (number, document)
        }
    }

    /// Every revision, oldest first.
    public func history() throws -> [RevisionInfo] {
        try read { try $0.revisions() }
    }

    /// Every id of a section, for "did you mean" after an unknown agent, team or site.
    public func ids(in section: Section) throws -> [String] {
        try read { try $0.ids(kind: section.rawValue) }
    }

    /// `OutboundGate.explain` from the current revision: the answers, and where each deciding
    /// node came from. Throws `GateRefusal` for an unknown agent (with a "did you mean" among
    /// the store's agents) or a team the agent is not in.
    public func explain(_ question: ExplainQuestion, now: Date) throws -> (explanation: Explanation, context: ExplainingContext) {
        guard let context = try configurationForExplaining(agent: question.agent) else {
            throw GateRefusal.unknownAgent(question.agent, among: try ids(in: .agents))
        }
        return (try OutboundGate.explain(question, in: context.configuration, now: now) { [] }, context)
    }

    /// Just what the gate reads to explain one agent (`GateReads`), each entity with its
    /// origin. Lookups by key: the cost does not grow with the number of agents.
    private func configurationForExplaining(agent id: String) throws -> ExplainingContext? {
        try read { session in
            let revision = try session.currentRevision()
            var reading = ExplainingRead(agent: id)
            while !reading.wanted.isEmpty { reading.take(try session.entities(keys: reading.wanted)) }
            guard reading.reachedAgent else { return nil }
            reading.take(try session.entities(kinds: ExplainingRead.wholeKinds))
            return ExplainingContext(revision: revision, entities: reading.entities)
        }
    }
}

/// The entities explain reads around one agent, as stored, gathered by `GateReads.Walk`'s
/// steps: the blocking explain and the async one (`RequestReads.swift`) drive it alike. Drive
/// `take` with the entities of `wanted` until it is empty; then, when the agent was reached,
/// with the sections read whole (`wholeKinds`).
struct ExplainingRead: Sendable {
    private var walk: GateReads.Walk
    private(set) var entities: [CanonicalForm.Key: StoredEntity] = [:]

    /// The kinds of `GateReads.whole`, the sections read whole.
    static let wholeKinds = GateReads.whole.map(\.rawValue)

    init(agent id: String) {
        walk = GateReads.Walk(agent: id)
    }

    var wanted: [CanonicalForm.Key] { walk.wanted }
    var reachedAgent: Bool { walk.reachedAgent }

    mutating func take(_ found: [CanonicalForm.Key: StoredEntity]) {
        entities.merge(found) { first, _ in first }
        if !walk.wanted.isEmpty { walk.take(found.mapValues(\.data)) }
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

    /// The configuration of `entities` as read at `revision`, with their origins.
    init(revision: Int, entities: [CanonicalForm.Key: StoredEntity]) {
        configuration = CanonicalForm.configuration(from: entities.mapValues(\.data), name: "store revision \(revision)")
        self.revision = revision
        origins = entities.mapValues { Origin(revision: $0.revision, sources: EntitySources(text: $0.sources)) }
    }

    /// The deciding node's origin: the revision of its entity and, when kept, its file:line:column.
    public func origin(of node: NodeReference) -> (revision: Int, place: (file: String, line: Int, column: Int)?)? {
        guard let origin = origins[CanonicalForm.Key(kind: node.kind, id: node.id)] else { return nil }
        return (origin.revision, origin.sources?.location(of: node.field))
    }
}
