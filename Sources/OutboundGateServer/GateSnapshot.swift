import Foundation
import OutboundConfig
import OutboundStore

/// One revision's gate, held in memory and never changed: the server swaps whole snapshots,
/// so a request that took one answers entirely from that revision.
final class GateSnapshot: Sendable {
    struct Cell: Sendable {
        var team: String
        var channel: OutboundConfig.Channel
        var cell: AvailabilityCell
    }

    let storeId: String
    let revision: Int
    let revisionTime: String?
    let cellCount: Int
    /// Each agent's cells, by team then channel; agents without teams have none.
    let cellsByAgent: [String: [Cell]]
    /// Every agent id, for "did you mean".
    let agentIds: [String]

    init(_ served: ServedRevision) {
        storeId = served.storeId
        revision = served.revision
        revisionTime = served.revisionTime
        cellCount = served.cells.count
        var byAgent: [String: [Cell]] = Dictionary(uniqueKeysWithValues: served.agents.map { ($0, []) })
        for (key, cell) in served.cells {
            byAgent[key.agent, default: []].append(Cell(team: key.team, channel: key.channel, cell: cell))
        }
        for agent in byAgent.keys {
            byAgent[agent]!.sort { ($0.team, $0.channel.rawValue) < ($1.team, $1.channel.rawValue) }
        }
        cellsByAgent = byAgent
        agentIds = served.agents
    }
}

/// One evaluated answer: a cell read at an instant, with check 9 when a state was given.
struct EvaluatedAnswer {
    var team: String
    var channel: OutboundConfig.Channel
    var reasons: [ReasonCode]
    var until: Date?

    var available: Bool { reasons.isEmpty }

    init(_ cell: GateSnapshot.Cell, at now: Date, state: AgentState?) {
        team = cell.team
        channel = cell.channel
        reasons = cell.cell.reasons(at: now, state: state)
        until = cell.cell.until(at: now)
    }
}

extension JSON {
    /// Reason codes as the API writes them.
    static func reasons(_ reasons: [ReasonCode]) -> JSON { .array(reasons.map { .string($0.rawValue) }) }

    /// An answer's `until`: a UTC instant, or null when no boundary lies ahead.
    static func until(_ instant: Date?) -> JSON { instant.map { .string(LicenceWindow.text($0)) } ?? .null }
}
