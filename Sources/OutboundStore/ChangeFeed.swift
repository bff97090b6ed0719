import Foundation
import OutboundConfig

/// What changed in the store after a revision: every cell a later revision wrote (its state
/// now, judged at the caller's instant) and every cell a later revision removed. Licence
/// windows need no revision and are not listed: a client re-reads a cell at its `until`.
public struct ChangeFeed: Sendable {
    public struct Change: Sendable, Equatable {
        public var key: AvailabilityKey
        public var reasons: [ReasonCode]
        public var until: Date?
        /// The revision that last changed the cell.
        public var revision: Int
    }

    public struct Removal: Sendable, Equatable {
        public var key: AvailabilityKey
        public var revision: Int
    }

    /// The store's revision when the feed was read.
    public var revision: Int
    public var changes: [Change]
    public var removals: [Removal]
    /// Where to continue when `limit` cut the feed (changes first, in key order; then removals).
    public var next: Cursor?

    /// A position in the feed: the last entry returned.
    public enum Cursor: Sendable, Equatable {
        case change(AvailabilityKey)
        case removal(revision: Int, AvailabilityKey)
    }
}

extension ChangeFeed {
    /// The page of the feed at `revision` that follows `cursor`, at most `limit` entries:
    /// changes first, in key order, then removals by revision and key. `changed(after, n)`
    /// gives the first n changes after a key (with their cell and the revision that last
    /// wrote it), `removed(after, n)` the first n removals after a position; the store and a
    /// server's memory (`/v1/changes`) answer them, and this one rule pages both.
    public static func page(
        revision: Int, after cursor: Cursor?, limit: Int, now: Date,
        changed: (AvailabilityKey?, Int) throws -> [(AvailabilityKey, AvailabilityCell, revision: Int)],
        removed: ((revision: Int, key: AvailabilityKey)?, Int) throws -> [(AvailabilityKey, revision: Int)]
    ) rethrows -> ChangeFeed {
        var feed = ChangeFeed(revision: revision, changes: [], removals: [], next: nil)
        var removalsAfter: (revision: Int, key: AvailabilityKey)?
        if case .removal(let revision, let key) = cursor {
            removalsAfter = (revision, key)
        } else {
            let after: AvailabilityKey? = if case .change(let key) = cursor { key } else { nil }
            for (key, cell, changed) in try changed(after, limit + 1) {
                if feed.changes.count == limit {
                    feed.next = .change(feed.changes[limit - 1].key)
                    return feed
                }
                feed.changes.append(.init(key: key, reasons: cell.reasons(at: now), until: cell.until(at: now), revision: changed))
            }
        }
        let room = limit - feed.changes.count
        for (key, removedIn) in try removed(removalsAfter, room + 1) {
            if feed.changes.count + feed.removals.count == limit {
                feed.next =
                    feed.removals.last.map { Cursor.removal(revision: $0.revision, $0.key) }
                    ?? feed.changes.last.map { Cursor.change($0.key) }
                return feed
            }
            feed.removals.append(.init(key: key, revision: removedIn))
        }
        return feed
    }
}

extension OutboundStore {
    /// The feed after `revision`, at most `limit` entries from `cursor` on, all from one
    /// revision of the store. A revision ahead of the store is `StoreError.unknownRevision`.
    public func changes(since revision: Int, after cursor: ChangeFeed.Cursor? = nil, limit: Int = 10_000, now: Date) throws -> ChangeFeed {
        try read { session in
            let current = try session.currentRevision()
            guard revision <= current, revision >= 0 else { throw StoreError.unknownRevision(revision) }
            return try ChangeFeed.page(
                revision: current, after: cursor, limit: limit, now: now,
                changed: { try session.changedCells(since: revision, after: $0, limit: $1) },
                removed: { try session.removedCells(since: revision, after: $0, limit: $1) })
        }
    }
}
