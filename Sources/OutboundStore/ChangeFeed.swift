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
    /// A change as read: the cell's key, its state and the revision that last wrote it.
    public typealias Written = (AvailabilityKey, AvailabilityCell, revision: Int)
    /// A removal as read.
    public typealias Removed = (AvailabilityKey, revision: Int)
    /// A position among the removals.
    public typealias RemovalPosition = (revision: Int, key: AvailabilityKey)

    /// The page of the feed at `revision` that follows `cursor`, at most `limit` (1 or more)
    /// entries: changes first, in key order, then removals by revision and key. `changed(after,
    /// n)` gives the first n changes after a key (with their cell and the revision that last
    /// wrote it), `removed(after, n)` the first n removals after a position; the store and a
    /// server's memory (`/v1/changes`) answer them, and this one rule pages both.
    public static func page(
        revision: Int, after cursor: Cursor?, limit: Int, now: Date, changed: (AvailabilityKey?, Int) throws -> [Written],
        removed: (RemovalPosition?, Int) throws -> [Removed]
    ) rethrows -> ChangeFeed {
        let reads = PageReads(cursor: cursor, limit: limit)
        let changes = try reads.changes.map { try changed($0.after, $0.count) } ?? []
        let removals = try reads.removals(after: changes).map { try removed($0.after, $0.count) } ?? []
        return reads.page(revision: revision, now: now, changes: changes, removals: removals)
    }

    /// `page` over reads that are awaited (a store read through an async driver).
    public static func page(
        revision: Int, after cursor: Cursor?, limit: Int, now: Date, changed: (AvailabilityKey?, Int) async throws -> [Written],
        removed: (RemovalPosition?, Int) async throws -> [Removed]
    ) async rethrows -> ChangeFeed {
        let reads = PageReads(cursor: cursor, limit: limit)
        var changes: [Written] = []
        if let wanted = reads.changes { changes = try await changed(wanted.after, wanted.count) }
        var removals: [Removed] = []
        if let wanted = reads.removals(after: changes) { removals = try await removed(wanted.after, wanted.count) }
        return reads.page(revision: revision, now: now, changes: changes, removals: removals)
    }

    /// What a page reads from where its cursor stands, and the page made of what was read:
    /// one more entry than fits tells whether the page is cut.
    private struct PageReads {
        let cursor: Cursor?
        let limit: Int

        /// The changes to read: none when the cursor is among the removals already.
        var changes: (after: AvailabilityKey?, count: Int)? {
            switch cursor {
            case .removal: nil
            case .change(let key): (key, limit + 1)
            case nil: (nil, limit + 1)
            }
        }

        /// The removals to read after `changes`: none when the changes fill the page.
        func removals(after changes: [Written]) -> (after: RemovalPosition?, count: Int)? {
            guard changes.count <= limit else { return nil }
            let after: RemovalPosition? = if case .removal(let revision, let key) = cursor { (revision, key) } else { nil }
            return (after, limit - changes.count + 1)
        }

        func page(revision: Int, now: Date, changes: [Written], removals: [Removed]) -> ChangeFeed {
            var feed = ChangeFeed(revision: revision, changes: [], removals: [], next: nil)
            for (key, cell, changed) in changes.prefix(limit) {
                feed.changes.append(.init(key: key, reasons: cell.reasons(at: now), until: cell.until(at: now), revision: changed))
            }
            if changes.count > limit {
                feed.next = .change(feed.changes[limit - 1].key)
                return feed
            }
            for (key, removedIn) in removals.prefix(limit - feed.changes.count) {
                feed.removals.append(.init(key: key, revision: removedIn))
            }
            if removals.count > limit - feed.changes.count {
                feed.next =
                    feed.removals.last.map { Cursor.removal(revision: $0.revision, $0.key) }
                    ?? feed.changes.last.map { Cursor.change($0.key) }
            }
            return feed
        }
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
