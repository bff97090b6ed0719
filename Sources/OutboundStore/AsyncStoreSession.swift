import OutboundConfig

/// A backend's reads from `async` code, for a driver that awaits its answers instead of
/// blocking a thread (PostgreSQL through `PostgresClient`): `serve` reads the store on request
/// paths this way, so a slow store holds no thread, only the bounded pool's connections.
public protocol AsyncStoreReads: Sendable {
    /// One read transaction (it sees one committed revision), on a connection of the pool.
    func read<T: Sendable>(_ body: @escaping @Sendable (any AsyncStoreSession) async throws -> T) async throws -> T
    /// Keeps the pool running until the task is cancelled; reads are served while it runs.
    func run() async
}

/// What the engine's request reads (`RequestReads.swift`) ask within one async transaction:
/// the same answers as `StoreSession`'s methods of the same names.
public protocol AsyncStoreSession {
    func currentRevision() async throws -> Int
    func revisions(after number: Int) async throws -> [RevisionInfo]
    func entities(keys: [CanonicalForm.Key]) async throws -> [CanonicalForm.Key: StoredEntity]
    func entities(kinds: [String]?) async throws -> [CanonicalForm.Key: StoredEntity]
    func ids(kind: String) async throws -> [String]
    func activeCells(site: String?) async throws -> [(AvailabilityKey, AvailabilityCell)]
    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) async throws -> [ChangeFeed.Written]
    func removedCells(since revision: Int, after cursor: ChangeFeed.RemovalPosition?, limit: Int) async throws -> [ChangeFeed.Removed]
}
