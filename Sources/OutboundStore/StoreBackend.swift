import Foundation
import OutboundConfig

/// Where a store's data lives: a SQLite file, or a PostgreSQL schema. A backend opens a
/// transaction and hands the engine a `StoreSession`; everything else — the difference with a
/// desired state, the entity merge, the stale-plan and deletion rules, revision numbering, the
/// snapshot codec, the change feed — is `OutboundStore`'s, the same over every backend.
public protocol StoreBackend: AnyObject, Sendable {
    /// The store's location for messages (a path, or host, port and database; never a password).
    var location: String { get }
    /// False when opened for reading on a store of an older schema (answered as it is).
    var isCurrentSchema: Bool { get }
    /// One read transaction: sees one committed revision, never waits for a writer.
    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T
    /// One write transaction that excludes other writers; `body` says whether to commit.
    func write<T>(_ body: (any StoreWriteSession) throws -> (result: T, commit: Bool)) throws -> T
    /// Tells a watcher when the revision changes, from any process (`AsyncStore.swift` has a
    /// polling default; a backend that can be notified does better).
    func revisionChanges(of store: OutboundStore, every interval: Duration) -> AsyncThrowingStream<Int, Error>
    /// True when `revisionChanges` is told of each commit as it happens, so a watcher need not
    /// poll often (false for the polling default).
    var announcesRevisions: Bool { get }
    /// Reads from `async` code that never block a thread (PostgreSQL's `PostgresClient`); nil
    /// when the backend's reads block, and the engine runs them on a Dispatch thread instead.
    var asyncReads: (any AsyncStoreReads)? { get }
}

/// What the engine reads within one transaction. Ids compare in byte order by contract,
/// whatever the backend's collation: lists come sorted by the UTF-8 bytes of their keys.
public protocol StoreSession {
    func meta(_ key: String) throws -> String?
    func currentRevision() throws -> Int
    /// What an apply compares its sources with.
    func revisionHead(_ number: Int) throws -> RevisionHead?
    /// The revisions after `number`, oldest first.
    func revisions(after number: Int) throws -> [RevisionInfo]
    func snapshot(_ number: Int) throws -> StoredSnapshot?
    /// Every entity's hashes, sorted by kind and id.
    func entityHashes() throws -> [EntityHash]
    func entity(_ key: CanonicalForm.Key) throws -> StoredEntity?
    /// The entities of `keys` that exist.
    func entities(keys: [CanonicalForm.Key]) throws -> [CanonicalForm.Key: StoredEntity]
    /// Every entity of `kinds` (all when nil).
    func entities(kinds: [String]?) throws -> [CanonicalForm.Key: StoredEntity]
    func ids(kind: String) throws -> [String]
    /// The cells of `agents`, or every cell when nil.
    func cells(agents: Set<String>?) throws -> [AvailabilityKey: AvailabilityCell]
    /// The cells of active agents (optionally of one site), sorted by agent, team and channel.
    func activeCells(site: String?) throws -> [(AvailabilityKey, AvailabilityCell)]
    /// Cells last changed after `revision`, sorted by key, after `cursor`, at most `limit`.
    func changedCells(since revision: Int, after cursor: AvailabilityKey?, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)]
    /// Cells last changed after `revision`, in revision order (through the index on it), at
    /// most `limit`: what a server loads for the revisions it has not seen.
    func cellsWritten(after revision: Int, limit: Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)]
    /// Cells removed after `revision`, by revision then key, after `cursor`, at most `limit`.
    func removedCells(since revision: Int, after cursor: (revision: Int, key: AvailabilityKey)?, limit: Int) throws -> [(
        AvailabilityKey, revision: Int
    )]
    /// Everything the store keeps but its identity (`store copy`).
    func contents() throws -> StoreContents
}

extension StoreSession {
    /// Every revision, oldest first.
    public func revisions() throws -> [RevisionInfo] { try revisions(after: 0) }

    /// One lookup per key: a local file answers each in microseconds.
    public func entities(keys: [CanonicalForm.Key]) throws -> [CanonicalForm.Key: StoredEntity] {
        var found: [CanonicalForm.Key: StoredEntity] = [:]
        for key in keys { found[key] = try entity(key) }
        return found
    }
}

/// What the engine writes within one write transaction.
public protocol StoreWriteSession: StoreSession {
    func insertRevision(_ revision: NewRevision) throws
    /// Sets (nil: removes) a value of the store's meta.
    func setMeta(_ key: String, _ value: String?) throws
    func upsertEntities(_ rows: [EntityWrite], revision: Int) throws
    func deleteEntities(_ keys: [CanonicalForm.Key]) throws
    /// New places for entities whose content did not change.
    func updateSources(_ updates: [EntitySourcesWrite]) throws
    /// Records that `revision`'s configuration also comes from sources of `digest` (the same
    /// configuration applied again from other bytes), for the next apply's fast path.
    func updateSourceDigest(_ digest: String, revision: Int) throws
    func upsertCells(_ cells: [(AvailabilityKey, AvailabilityCell)], revision: Int) throws
    /// Deletes cells and records their removal in `revision`.
    func removeCells(_ keys: [AvailabilityKey], revision: Int) throws
    /// Rows written so far in this transaction.
    var rowsWritten: Int { get }
    /// Writes another store's `contents` into this empty one (`store copy`).
    func insert(_ contents: StoreContents) throws
}

/// A whole store as kept, but for its identity: every revision with its time, author,
/// message, snapshot and source digest; the current entities with their sources and the
/// revision that last changed each; the availability cells and the change feed's removals.
public struct StoreContents: Sendable {
    public var revisions: [NewRevision]
    public var entities: [(EntityWrite, revision: Int)]
    public var cells: [(AvailabilityKey, AvailabilityCell, revision: Int)]
    public var removals: [(AvailabilityKey, revision: Int)]

    public init(
        revisions: [NewRevision], entities: [(EntityWrite, revision: Int)], cells: [(AvailabilityKey, AvailabilityCell, revision: Int)],
        removals: [(AvailabilityKey, revision: Int)]
    ) {
        self.revisions = revisions
        self.entities = entities
        self.cells = cells
        self.removals = removals
    }
}

/// What an apply compares its sources with: the files' digest and the canonical form's version.
public struct RevisionHead: Sendable {
    public var sourceDigest: String
    public var canonicalVersion: Int

    public init(sourceDigest: String, canonicalVersion: Int) {
        self.sourceDigest = sourceDigest
        self.canonicalVersion = canonicalVersion
    }
}

/// A revision's snapshot as kept: its encoding (`SnapshotCompression.deflate` or `.text`) and bytes.
public struct StoredSnapshot: Sendable {
    public var encoding: String
    public var bytes: Data

    public init(encoding: String, bytes: Data) {
        self.encoding = encoding
        self.bytes = bytes
    }
}

public struct EntityHash: Sendable {
    public var key: CanonicalForm.Key
    public var hash: Int64
    public var sourcesHash: Int64

    public init(key: CanonicalForm.Key, hash: Int64, sourcesHash: Int64) {
        self.key = key
        self.hash = hash
        self.sourcesHash = sourcesHash
    }
}

public struct StoredEntity: Sendable {
    public var data: String
    /// The revision that last changed its content.
    public var revision: Int
    /// `EntitySources` text, "" when not kept.
    public var sources: String

    public init(data: String, revision: Int, sources: String) {
        self.data = data
        self.revision = revision
        self.sources = sources
    }
}

public struct NewRevision: Sendable {
    public var number: Int
    public var time: String
    public var author: String
    public var message: String
    public var digest: String
    public var sourceDigest: String
    public var canonicalVersion: Int
    public var snapshot: StoredSnapshot
    public var creates: Int
    public var updates: Int
    public var deletes: Int

    public init(
        number: Int, time: String, author: String, message: String, digest: String, sourceDigest: String, canonicalVersion: Int,
        snapshot: StoredSnapshot, creates: Int, updates: Int, deletes: Int
    ) {
        self.number = number
        self.time = time
        self.author = author
        self.message = message
        self.digest = digest
        self.sourceDigest = sourceDigest
        self.canonicalVersion = canonicalVersion
        self.snapshot = snapshot
        self.creates = creates
        self.updates = updates
        self.deletes = deletes
    }
}

public struct EntityWrite: Sendable {
    public var key: CanonicalForm.Key
    public var data: String
    public var hash: Int64
    public var sources: String
    public var sourcesHash: Int64

    public init(key: CanonicalForm.Key, data: String, hash: Int64, sources: String, sourcesHash: Int64) {
        self.key = key
        self.data = data
        self.hash = hash
        self.sources = sources
        self.sourcesHash = sourcesHash
    }
}

public struct EntitySourcesWrite: Sendable {
    public var key: CanonicalForm.Key
    public var sources: String
    public var sourcesHash: Int64
}

/// One line of `history`.
public struct RevisionInfo: Sendable {
    public var number: Int
    public var time: String
    public var author: String
    public var message: String
    public var digest: String
    public var creates: Int
    public var updates: Int
    public var deletes: Int

    public init(number: Int, time: String, author: String, message: String, digest: String, creates: Int, updates: Int, deletes: Int) {
        self.number = number
        self.time = time
        self.author = author
        self.message = message
        self.digest = digest
        self.creates = creates
        self.updates = updates
        self.deletes = deletes
    }
}
