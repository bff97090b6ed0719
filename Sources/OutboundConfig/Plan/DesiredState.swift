import Foundation

/// The desired state: a configuration prepared for comparing with a store (or with another
/// configuration, for `diff`). Its canonical rows and their hashes are computed on other
/// threads from the moment it exists (overlapping with the rule checks); its snapshot
/// (the document in pieces and its digest) from the moment a write needs it. An
/// apply whose sources are byte-for-byte those of the current revision waits for neither,
/// and `plan` and `diff` never build a snapshot.
public final class DesiredState: @unchecked Sendable {
    /// The gate judging licences at `now` (or on the caller's day): the plan's impact.
    public let gate: OutboundGate
    /// The instant the impact is judged at: stored cells are evaluated at it too.
    public let now: Date
    /// `LoadResult.sourceDigest` of the files, when they came from files.
    public let sourceDigest: String?
    private let configuration: Configuration
    /// Started on first use: a one-agent change needs only that agent's cells, and evaluating
    /// all 100,000 on the side cost a core for the whole apply.
    private var storedCells: Background<[(AvailabilityKey, AvailabilityCell)]>?
    private let sortedRows: Background<Rows>
    /// Guards the lazily started snapshot and cells.
    private let lock = NSLock()
    private var startedSnapshot: Background<Snapshot>?

    /// Every entity's row in key order (its canonical text, where its nodes stood, and their
    /// hashes as stores keep them for quick comparison).
    public struct Rows: Sendable {
        public var rows: [CanonicalForm.Row]
        /// False for a configuration that did not come from files: places already kept for
        /// unchanged entities are then left as they are.
        public var hasSources: Bool
    }

    /// The canonical document in pieces (`CanonicalForm.documentPieces`: what a store
    /// deflates, piece by piece) and its SHA-256 digest.
    public struct Snapshot: Sendable {
        public var pieces: [CanonicalForm.DocumentPiece]
        public var digest: String

        /// The whole document's bytes.
        public var document: [UInt8] {
            pieces.count == 1 ? pieces[0].bytes : Array(pieces.map(\.bytes).joined())
        }
    }

    /// `sourcePaths`: the paths the configuration was loaded from, so a store can keep where
    /// each node stood (nil when it did not come from files: a rollback, a saved plan).
    public init(
        _ configuration: Configuration, date: CalendarDate? = nil, now: Date, sourceDigest: String? = nil,
        sourcePaths: [String]? = nil
    ) {
        gate = OutboundGate(configuration: configuration, date: date, now: now)
        self.now = now
        self.sourceDigest = sourceDigest.flatMap { $0.isEmpty ? nil : $0 }
        self.configuration = configuration
        sortedRows = Background {
            // Few files hold many entities: each file's name is worked out once.
            let names = sourcePaths.map { EntitySources.fileNames(relativeTo: $0) }
            return Rows(rows: CanonicalForm.sortedRows(configuration, sourceNames: names), hasSources: names != nil)
        }
    }

    public convenience init(_ result: LoadResult, date: CalendarDate? = nil, now: Date, sourcePaths: [String]? = nil) {
        self.init(result.configuration, date: date, now: now, sourceDigest: result.sourceDigest, sourcePaths: sourcePaths)
    }

    /// Starts building the snapshot on other threads, if not started yet: a store's apply
    /// starts it before comparing; the `apply` command as soon as the configuration is loaded.
    public func prepareSnapshot() {
        _ = startSnapshot()
    }

    /// The snapshot, started now if nothing started it.
    public var snapshot: Snapshot { startSnapshot().value }

    private func startSnapshot() -> Background<Snapshot> {
        lock.lock()
        defer { lock.unlock() }
        if let startedSnapshot { return startedSnapshot }
        let rows = sortedRows
        let snapshot = Background { Snapshot(of: rows.value.rows) }
        startedSnapshot = snapshot
        return snapshot
    }

    /// Every entity's canonical text by key.
    public var entities: [CanonicalForm.Key: String] {
        Dictionary(uniqueKeysWithValues: sortedRows.value.rows.map { ($0.entity.key, $0.entity.text) })
    }

    public var rows: Rows { sortedRows.value }
    public var document: String { String(decoding: snapshot.document, as: UTF8.self) }
    public var digest: String { snapshot.digest }

    /// The day licences are judged on.
    public var date: CalendarDate { gate.date }

    /// The availability of every agent, team and channel.
    public func availability() -> Availability { gate.availability() }

    /// The plan from `previous` (nil: nothing) to this state, without a store: what `diff`
    /// shows, and `plan` against a store that does not exist yet.
    public func plan(from previous: DesiredState?, baseRevision: Int?) -> Plan {
        Plan(
            baseRevision: baseRevision, changes: Plan.changes(from: previous?.entities ?? [:], to: entities),
            impact: Plan.impact(before: previous?.availability() ?? [:], after: availability()))
    }

    /// Every cell as a store keeps it (date-independent reasons, licence windows), in key order.
    public var cells: [(AvailabilityKey, AvailabilityCell)] {
        lock.lock()
        let cells = storedCells ?? Background { [configuration] in OutboundGate.dateIndependent(configuration).availabilityCells() }
        storedCells = cells
        lock.unlock()
        return cells.value
    }

    /// The stored cells of some agents only, in key order.
    public func cells(of agents: Set<String>) -> [(AvailabilityKey, AvailabilityCell)] {
        OutboundGate.dateIndependent(configuration).availabilityCells(of: agents).sorted { $0.0 < $1.0 }
    }
}

extension DesiredState.Snapshot {
    /// The snapshot of rows in key order.
    init(of rows: [CanonicalForm.Row]) {
        pieces = CanonicalForm.documentPieces(from: rows)
        digest = CanonicalForm.digest(of: pieces)
    }
}

extension CanonicalForm {
    /// The model of canonical entity rows (all of a revision's, or just what one answer needs).
    public static func configuration(from rows: [Key: String], name: String) -> Configuration {
        ConfigurationDecoder.decode([YAMLFile(path: name, document: CanonicalDocument.document(from: rows))]).0
    }
}
