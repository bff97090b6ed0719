import Foundation
import OutboundConfig
import OutboundStore

/// The change records of the revisions a server loaded one after another, so `/v1/changes`
/// and its long-polls answer from memory: the store is read only for a `since` older than
/// the memory holds (before the last whole load, or dropped past `maxEntries`). Each step
/// keeps what one load read (`ServedChanges`); the cells' states come from the snapshot.
struct RecentChanges: Sendable {
    /// The oldest `since` answered from memory.
    let floor: Int
    private let steps: [Step]
    private let entries: Int

    /// Entries held at most (about 60 bytes each), and loads.
    static let maxEntries = 200_000
    static let maxSteps = 1_000

    private final class Step: Sendable {
        let changed: [(key: AvailabilityKey, revision: Int)]
        /// By revision then key, as the store lists them.
        let removed: [(key: AvailabilityKey, revision: Int)]
        let through: Int

        init(_ changes: ServedChanges) {
            changed = changes.changed.map { ($0.key, $0.revision) }
            removed = changes.removed
            through = changes.revision
        }
    }

    init(floor: Int) {
        self.init(floor: floor, steps: [], entries: 0)
    }

    private init(floor: Int, steps: [Step], entries: Int) {
        self.floor = floor
        self.steps = steps
        self.entries = entries
    }

    /// About 40 bytes an entry (a key of short ids and a revision).
    var bytes: Int { entries * (MemoryLayout<AvailabilityKey>.stride + 8) + steps.count * 64 }

    /// These records followed by a load's (`changes.base` is the revision they reach).
    func adding(_ changes: ServedChanges) -> RecentChanges {
        var steps = steps + [Step(changes)]
        var entries = entries + changes.changed.count + changes.removed.count
        var floor = floor
        while entries > Self.maxEntries || steps.count > Self.maxSteps, let first = steps.first {
            floor = first.through
            entries -= first.changed.count + first.removed.count
            steps.removeFirst()
        }
        return RecentChanges(floor: floor, steps: steps, entries: entries)
    }

    /// The feed after `since` as the store would give it at `snapshot`'s revision; nil when
    /// `since` is older than the memory holds.
    func feed(since: Int, after cursor: ChangeFeed.Cursor?, limit: Int, in snapshot: GateSnapshot, now: Date) -> ChangeFeed? {
        guard since >= floor, since <= snapshot.revision else { return nil }
        let later = steps.filter { $0.through > since }
        var keys = Set<AvailabilityKey>()
        for step in later { for (key, revision) in step.changed where revision > since { keys.insert(key) } }
        let changed = keys.compactMap { key in
            snapshot.cell(key).flatMap { $0.revision > since ? (key, $0.cell, revision: $0.revision) : nil }
        }.sorted { $0.0 < $1.0 }
        let removed = later.flatMap { $0.removed.lazy.filter { $0.revision > since } }
        return ChangeFeed.page(
            revision: snapshot.revision, after: cursor, limit: limit, now: now,
            changed: { after, count in Array(changed.lazy.filter { after == nil || after! < $0.0 }.prefix(count)) },
            removed: { after, count in
                Array(removed.lazy.filter { after == nil || (after!.revision, after!.key) < ($0.revision, $0.key) }.prefix(count))
            })
    }
}
