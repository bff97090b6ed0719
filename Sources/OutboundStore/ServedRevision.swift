import Foundation
import OutboundConfig

/// What `serve` loads to move from the revision it serves to the store's current one: the
/// cells later revisions wrote and removed (the change feed's records), or, when there is no
/// served revision of this store to start from, the whole store. Read in one transaction, so
/// it ends at exactly one committed revision.
public struct ServedChanges: Sendable {
    /// The store and revision these changes reach.
    public var head: StoreHead
    public var storeId: String { head.storeId }
    public var revision: Int { head.revision }
    /// When the revision was committed (UTC, ISO 8601); nil before the first apply.
    public var revisionTime: String?
    /// The revision these changes follow; nil when they are the whole store: then `changed`
    /// holds every cell and `agents` every agent.
    public var base: Int?
    /// Cells written after `base`, sorted by key, each with the revision that last wrote it.
    public var changed: [(key: AvailabilityKey, cell: AvailabilityCell, revision: Int)]
    /// Cells removed after `base`, by revision then key (a cell may be removed, then written again).
    public var removed: [(key: AvailabilityKey, revision: Int)]
    /// Every agent id, sorted, when the set of agents may have changed (a revision after `base`
    /// created or deleted entities); nil when it has not.
    public var agents: [String]?
}

/// Which revision of which store a server holds: the store's identity, the revision's number,
/// and a mark of that revision's content (its time and configuration digest), so a store
/// restored from a backup and applied past the same number is not taken for the history the
/// server loaded.
public struct StoreHead: Sendable, Equatable {
    public var storeId: String
    public var revision: Int
    /// `TIME DIGEST` of the revision; empty before the first apply.
    public var mark: String

    public init(storeId: String, revision: Int, mark: String) {
        self.storeId = storeId
        self.revision = revision
        self.mark = mark
    }

    init(storeId: String, _ revision: RevisionInfo?) {
        self.init(storeId: storeId, revision: revision?.number ?? 0, mark: revision.map { "\($0.time) \($0.digest)" } ?? "")
    }
}

extension OutboundStore {
    /// What moves a server from `served` to the current revision: nil when it is there already;
    /// the changes after `served` when the store is the same one (same identity, and the
    /// revision `served` names still has the content it had), of the current schema, and at
    /// most `limit` cells were written and removed since; else the whole store. The changes are
    /// read through the index on the cells' revision: k rows for k changed cells, however many
    /// cells the store holds. `whole` asks for the whole store whenever the head moved.
    public func servedChanges(from served: StoreHead?, limit: Int, whole: Bool = false) throws -> ServedChanges? {
        try read { session in
            let storeId = try session.meta("store_id") ?? ""
            let last = try session.revisions(after: try session.currentRevision() - 1).last
            let head = StoreHead(storeId: storeId, last)
            if head == served { return nil }
            var changes = ServedChanges(head: head, revisionTime: last?.time, base: nil, changed: [], removed: [], agents: nil)
            if let served, !whole, served.storeId == head.storeId, served.revision < head.revision, isCurrentSchema {
                let revisions = try session.revisions(after: served.revision - 1)
                if let base = revisions.first, StoreHead(storeId: storeId, base) == served {
                    let changed = try session.cellsWritten(after: served.revision, limit: limit + 1).sorted { $0.0 < $1.0 }
                    let removed = try session.removedCells(since: served.revision, after: nil, limit: limit + 1)
                    if changed.count + removed.count <= limit {
                        changes.base = served.revision
                        changes.changed = changed.map { ($0.0, $0.1, $0.revision) }
                        changes.removed = removed.map { ($0.0, $0.revision) }
                        if revisions.dropFirst().contains(where: { $0.creates > 0 || $0.deletes > 0 }) {
                            changes.agents = try session.ids(kind: Section.agents.rawValue)
                        }
                        return changes
                    }
                }
            }
            changes.agents = try session.ids(kind: Section.agents.rawValue)
            changes.changed =
                isCurrentSchema
                ? try session.changedCells(since: 0, after: nil, limit: Int(Int32.max)).map { ($0.0, $0.1, $0.revision) }
                : try session.cells(agents: nil).sorted { $0.key < $1.key }.map { ($0.key, $0.value, 0) }
            return changes
        }
    }
}

extension ChangeFeed.Cursor {
    /// The cursor as a URL-safe token (`/v1/changes?cursor=`): `c~AGENT~TEAM~CHANNEL` after a
    /// change, `r~REVISION~AGENT~TEAM~CHANNEL` after a removal. Ids never hold `~`, so the form is
    /// the regular language of schemas/openapi.json's `Cursor` pattern (scripts/openapi.py), which
    /// `init(text:)` reads exactly.
    public var text: String {
        let fields: [String] =
            switch self {
            case .change(let key): ["c", key.agent, key.team, key.channel.rawValue]
            case .removal(let revision, let key): ["r", String(revision), key.agent, key.team, key.channel.rawValue]
            }
        return fields.joined(separator: "~")
    }

    /// Reads `text`; nil for anything outside the form `text` writes: ids of the id grammar, an
    /// outbound channel, a revision of at most 10 digits without leading zeros.
    public init?(text: String) {
        let fields = text.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        func key(_ parts: ArraySlice<String>) -> AvailabilityKey? {
            guard parts.count == 3, let channel = Channel(rawValue: parts[parts.startIndex + 2]), Channel.outbound.contains(channel),
                Identifier.isValid(parts[parts.startIndex]), Identifier.isValid(parts[parts.startIndex + 1])
            else { return nil }
            return AvailabilityKey(agent: parts[parts.startIndex], team: parts[parts.startIndex + 1], channel: channel)
        }
        switch fields.first {
        case "c":
            guard let key = key(fields.dropFirst()) else { return nil }
            self = .change(key)
        case "r":
            let digits = fields.count == 5 ? fields[1].utf8 : "".utf8
            guard (1...10).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count == 1 || digits.first != 0x30,
                let revision = Int(fields[1]), let key = key(fields.dropFirst(2))
            else { return nil }
            self = .removal(revision: revision, key)
        default: return nil
        }
    }
}
