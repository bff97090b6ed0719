import Foundation
import GRDB
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

extension OutboundStore {
    /// The feed after `revision`, at most `limit` entries from `cursor` on. A revision ahead of
    /// the store is `StoreError.unknownRevision`.
    public func changes(since revision: Int, after cursor: ChangeFeed.Cursor? = nil, limit: Int = 10_000, now: Date) throws -> ChangeFeed {
        try read { db in
            let current = try Self.currentRevision(db)
            guard revision <= current, revision >= 0 else { throw StoreError.unknownRevision(revision) }
            var feed = ChangeFeed(revision: current, changes: [], removals: [], next: nil)
            var removalsFrom: (revision: Int, key: AvailabilityKey)?
            switch cursor {
            case .removal(let revision, let key): removalsFrom = (revision, key)
            case .change, nil:
                var sql = "SELECT agent_id, team_id, channel, \(StoredCellColumns.list), revision FROM availability WHERE revision > ?"
                var arguments: StatementArguments = [revision]
                if case .change(let key) = cursor {
                    sql += " AND (agent_id, team_id, channel) > (?, ?, ?)"
                    arguments += [key.agent, key.team, key.channel.rawValue]
                }
                sql += " ORDER BY agent_id, team_id, channel LIMIT ?"
                arguments += [limit + 1]
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    guard let (key, cell) = StoredCellColumns.decode(row) else { continue }
                    if feed.changes.count == limit {
                        feed.next = .change(feed.changes[limit - 1].key)
                        return feed
                    }
                    feed.changes.append(.init(key: key, reasons: cell.reasons(at: now), until: cell.until(at: now), revision: row[7]))
                }
            }
            let room = limit - feed.changes.count
            var sql = "SELECT revision, agent_id, team_id, channel FROM availability_removals WHERE revision > ?"
            var arguments: StatementArguments = [revision]
            if let from = removalsFrom {
                sql += " AND (revision, agent_id, team_id, channel) > (?, ?, ?, ?)"
                arguments += [from.revision, from.key.agent, from.key.team, from.key.channel.rawValue]
            }
            sql += " ORDER BY revision, agent_id, team_id, channel LIMIT ?"
            arguments += [room + 1]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                guard let channel = Channel(rawValue: row[3]) else { continue }
                if feed.changes.count + feed.removals.count == limit {
                    let last = feed.removals.last.map { ChangeFeed.Cursor.removal(revision: $0.revision, $0.key) }
                        ?? feed.changes.last.map { ChangeFeed.Cursor.change($0.key) }
                    feed.next = last
                    return feed
                }
                feed.removals.append(.init(key: AvailabilityKey(agent: row[1], team: row[2], channel: channel), revision: row[0]))
            }
            return feed
        }
    }
}
