import Foundation
import OutboundConfig
import OutboundStore

/// One revision's gate, held in memory and never changed: the server swaps whole snapshots,
/// so a request that took one answers entirely from that revision.
///
/// Compact, because a server holds 100,000 cells and loads a revision every few seconds while
/// admins apply: a cell is 16 bytes in a flat array (its team and its answer interned, since a
/// tenant has few distinct ones), agents sit in pages of `SnapshotPage.size`, and the next
/// revision is this one with the changed agents' pages copied, every other page shared
/// (`applying`). docs/performance.md has the figures.
final class GateSnapshot: Sendable {
    /// One answer as the routes read it.
    struct Cell: Sendable {
        var team: String
        var channel: OutboundConfig.Channel
        var answer: ServedAnswer

        var cell: AvailabilityCell { answer.cell }
    }

    /// The store, revision and content mark this snapshot holds.
    let head: StoreHead
    let revisionTime: String?
    let cellCount: Int
    let agentCount: Int
    /// The changes of the last revisions, for `/v1/changes` without the store.
    let recent: RecentChanges
    private let index: AgentIndex
    private let pages: [SnapshotPage]
    private let interned: InternedValues
    /// How many answers were interned at the last whole load (`isWasteful`).
    private let answersAtWholeLoad: Int

    private init(
        head: StoreHead, revisionTime: String?, cellCount: Int, agentCount: Int, recent: RecentChanges, index: AgentIndex,
        pages: [SnapshotPage], interned: InternedValues, answersAtWholeLoad: Int
    ) {
        self.head = head
        self.revisionTime = revisionTime
        self.cellCount = cellCount
        self.agentCount = agentCount
        self.recent = recent
        self.index = index
        self.pages = pages
        self.interned = interned
        self.answersAtWholeLoad = answersAtWholeLoad
    }

    var storeId: String { head.storeId }
    var revision: Int { head.revision }

    /// A snapshot of the whole store (`changes.base` nil): agents in id order, then pages.
    convenience init(whole changes: ServedChanges) {
        var interned = InternedValues()
        var pages: [SnapshotPage] = []
        var page = SnapshotPage.Builder()
        var index: [String: UInt32] = [:]
        index.reserveCapacity(changes.agents?.count ?? 0)
        let agents = changes.agents ?? []
        var (nextAgent, nextCell) = (0, 0)
        // Both lists are sorted by id: walk them together (a cell whose agent is not listed
        // still makes the agent known, as the store answered it).
        while nextAgent < agents.count || nextCell < changes.changed.count {
            let cellAgent = nextCell < changes.changed.count ? changes.changed[nextCell].key.agent : nil
            let id: String
            if nextAgent < agents.count, cellAgent.map({ agents[nextAgent] <= $0 }) ?? true {
                id = agents[nextAgent]
                nextAgent += 1
            } else {
                id = cellAgent!
            }
            var cells: [PackedCell] = []
            while nextCell < changes.changed.count, changes.changed[nextCell].key.agent == id {
                let (key, cell, revision) = changes.changed[nextCell]
                cells.append(interned.pack(key, cell, revision: revision))
                nextCell += 1
            }
            index[id] = UInt32(pages.count * SnapshotPage.size + page.count)
            page.append(id: id, present: true, cells: cells)
            if page.count == SnapshotPage.size {
                pages.append(page.build())
                page = SnapshotPage.Builder()
            }
        }
        if page.count > 0 { pages.append(page.build()) }
        self.init(
            head: changes.head, revisionTime: changes.revisionTime, cellCount: changes.changed.count,
            agentCount: index.count, recent: RecentChanges(floor: changes.revision), index: AgentIndex(index), pages: pages, interned: interned,
            answersAtWholeLoad: interned.answers.count)
    }

    /// This snapshot moved to `changes.revision` (`changes.base` must be this revision): the
    /// pages of the agents it touches are copied with their new cells, the others shared.
    func applying(_ changes: ServedChanges) -> GateSnapshot {
        var interned = interned
        var index = index
        var pages = pages
        var edits: [UInt32: AgentEdit] = [:]
        func slot(_ agent: String) -> UInt32 {
            if let slot = index.slot(agent) { return slot }
            let slot = index.add(agent)
            if Int(slot) / SnapshotPage.size == pages.count { pages.append(SnapshotPage.empty) }
            edits[slot] = AgentEdit(id: agent)
            return slot
        }
        for (key, _) in changes.removed {
            edits[slot(key.agent), default: AgentEdit(id: key.agent)].removed.append((interned.team(key.team), key.channel))
        }
        for (key, cell, revision) in changes.changed {
            edits[slot(key.agent), default: AgentEdit(id: key.agent)].written.append(interned.pack(key, cell, revision: revision))
        }
        if let agents = changes.agents {
            // The set of agents may have changed: every slot is compared with the store's list.
            let listed = Set(agents)
            for id in agents where index.slot(id) == nil { _ = slot(id) }
            for (number, page) in pages.enumerated() {
                for (offset, id) in page.ids.enumerated() where page.present[offset] != listed.contains(id) {
                    edits[UInt32(number * SnapshotPage.size + offset), default: AgentEdit(id: id)].present = listed.contains(id)
                }
            }
            // Agents new to this snapshot, including some a later revision of the step deleted.
            for (slot, edit) in edits where edit.present == nil { edits[slot]?.present = listed.contains(edit.id) }
        }
        var (cellCount, agentCount) = (cellCount, agentCount)
        for (number, pageEdits) in Dictionary(grouping: edits, by: { Int($0.key) / SnapshotPage.size }) {
            let old = pages[number]
            var page = SnapshotPage.Builder()
            let edited = Dictionary(uniqueKeysWithValues: pageEdits.map { (Int($0.key) % SnapshotPage.size, $0.value) })
            let slots = max(old.ids.count, (edited.keys.max() ?? -1) + 1)
            for offset in 0..<slots {
                guard let edit = edited[offset] else {
                    page.append(id: old.ids[offset], present: old.present[offset], cells: Array(old.cells(at: offset)))
                    continue
                }
                let wasPresent = offset < old.ids.count && old.present[offset]
                let before = offset < old.ids.count ? Array(old.cells(at: offset)) : []
                let present = edit.present ?? (wasPresent || !edit.written.isEmpty)
                let after = present ? edit.applied(to: before, teams: interned.teams) : []
                cellCount += after.count - before.count
                agentCount += (present ? 1 : 0) - (wasPresent ? 1 : 0)
                page.append(id: edit.id, present: present, cells: after)
            }
            pages[number] = page.build()
        }
        return GateSnapshot(
            head: changes.head, revisionTime: changes.revisionTime, cellCount: cellCount,
            agentCount: agentCount, recent: recent.adding(changes), index: index, pages: pages, interned: interned,
            answersAtWholeLoad: answersAtWholeLoad)
    }

    /// True when deleted agents' slots or answers no cell may use any more have piled up:
    /// incremental loads keep both (a slot's id stays indexed, an answer stays interned), so
    /// past these bounds — an eighth more slots than agents, twice the answers of the last
    /// whole load — the loader reads the next revision whole instead.
    var isWasteful: Bool {
        index.slots - agentCount > max(1_024, agentCount / 8) || interned.answers.count > 2 * answersAtWholeLoad + 1_024
    }

    /// The cells of `agent`, by team then channel; nil for an agent this revision does not
    /// know (an agent without teams has none).
    func cells(of agent: String) -> [Cell]? {
        packedCells(of: agent)?.map { interned.cell($0) }
    }

    /// The current cell of `key` with the revision that last wrote it, nil when there is none.
    func cell(_ key: AvailabilityKey) -> (cell: AvailabilityCell, revision: Int)? {
        guard let team = interned.teamIds[key.team],
            let packed = packedCells(of: key.agent)?.first(where: { $0.team == team && $0.channel == key.channel })
        else { return nil }
        return (interned.answers[Int(packed.answer)].cell, Int(packed.revision))
    }

    /// The packed cells of an agent this revision knows, nil for any other.
    private func packedCells(of agent: String) -> ArraySlice<PackedCell>? {
        guard let slot = index.slot(agent) else { return nil }
        let page = pages[Int(slot) / SnapshotPage.size]
        let offset = Int(slot) % SnapshotPage.size
        return page.present[offset] ? page.cells(at: offset) : nil
    }

    /// The memory the snapshot holds, counted from its arrays' capacities (strings of up to
    /// 15 bytes, as ids mostly are, live inside their 16 bytes): for `/metrics` and the
    /// benchmark's bytes per cell. Pages shared with other snapshots are counted in each.
    var bytes: Int {
        let pageBytes = pages.reduce(0) { total, page in
            total + page.ids.capacity * MemoryLayout<String>.stride + page.present.capacity + page.starts.capacity * 4
                + page.cells.capacity * MemoryLayout<PackedCell>.stride + 64
        }
        return pageBytes + pages.capacity * 8 + index.bytes + interned.bytes + recent.bytes
    }

    /// Every agent id, for "did you mean" (read only after a miss, which compares with them all).
    var agentIds: [String] {
        pages.flatMap { page in page.ids.indices.lazy.filter { page.present[$0] }.map { page.ids[$0] } }
    }
}

/// What a revision does to one agent's cells.
private struct AgentEdit {
    var id: String
    /// Set when the store's agent list says the agent now exists or not.
    var present: Bool?
    var removed: [(team: UInt32, channel: OutboundConfig.Channel)] = []
    var written: [PackedCell] = []

    /// `cells` with the removals, then the writes, in team then channel order.
    func applied(to cells: [PackedCell], teams: [String]) -> [PackedCell] {
        var result = cells.filter { cell in
            !removed.contains { $0.team == cell.team && $0.channel == cell.channel }
                && !written.contains { $0.team == cell.team && $0.channel == cell.channel }
        }
        result.append(contentsOf: written)
        result.sort { (teams[Int($0.team)], $0.channel.rawValue) < (teams[Int($1.team)], $1.channel.rawValue) }
        return result
    }
}

/// One evaluated answer: a cell read at an instant, with check 9 when a state was given.
struct EvaluatedAnswer {
    var team: String
    var channel: OutboundConfig.Channel
    var reasons: [ReasonCode]
    var until: (instant: Date, text: String)?

    var available: Bool { reasons.isEmpty }

    init(_ cell: GateSnapshot.Cell, at now: Date, state: AgentState?) {
        team = cell.team
        channel = cell.channel
        reasons = cell.cell.reasons(at: now, state: state)
        until = cell.answer.until(at: now)
    }
}

extension JSON {
    /// Reason codes as the API writes them.
    static func reasons(_ reasons: [ReasonCode]) -> JSON { .array(reasons.map { .string($0.rawValue) }) }

    /// An answer's `until`: a UTC instant, or null when no boundary lies ahead.
    static func until(_ instant: Date?) -> JSON { instant.map { .string(LicenceWindow.text($0)) } ?? .null }

    /// An evaluated answer's `until`, written once per interned answer (`ServedAnswer`).
    static func until(_ until: (instant: Date, text: String)?) -> JSON { until.map { .string($0.text) } ?? .null }
}
