import Foundation

/// What applying a configuration would do: entity changes (field by field, old → new) and
/// their impact on outbound availability. Computed the same way by `plan`, `apply`, `diff`
/// and `rollback`, from canonical forms and gate answers, never from SQL.
public struct Plan: Sendable {
    public enum Action: String, Sendable {
        case create, update, delete
    }

    public struct FieldChange: Sendable, Equatable {
        /// Dotted path inside the entity (`email.assignment`).
        public var path: String
        public var old: JSON?
        public var new: JSON?
    }

    public struct Change: Sendable {
        public var action: Action
        public var key: CanonicalForm.Key
        /// The entity's canonical JSON before and after (nil when absent).
        public var old: String?
        public var new: String?

        public init(action: Action, key: CanonicalForm.Key, old: String?, new: String?) {
            self.action = action
            self.key = key
            self.old = old
            self.new = new
        }

        /// Field-level differences, computed when asked for: an apply of 50,000 creates needs
        /// none of them.
        public var fields: [FieldChange] {
            Plan.fieldChanges(old.map(Plan.parsed), new.map(Plan.parsed), prefix: "")
        }
    }

    /// An (agent, team, channel) whose availability flips.
    public struct Impact: Sendable, Equatable {
        public var key: AvailabilityKey
        public var before: Bool
        public var after: Bool
        /// The reasons after the change (empty when it becomes available).
        public var reasons: [ReasonCode]

        public init(key: AvailabilityKey, before: Bool, after: Bool, reasons: [ReasonCode]) {
            self.key = key
            self.before = before
            self.after = after
            self.reasons = reasons
        }
    }

    public var baseRevision: Int?
    public var changes: [Change]
    /// In key order (`affectedAgents` counts on it).
    public var impact: [Impact]

    public init(baseRevision: Int?, changes: [Change], impact: [Impact]) {
        self.baseRevision = baseRevision
        self.changes = changes
        self.impact = impact
    }

    public var hasChanges: Bool { !changes.isEmpty || !impact.isEmpty }

    public func count(_ action: Action) -> Int { changes.lazy.filter { $0.action == action }.count }

    /// Agents whose outbound availability changes on some team or channel. The impact is in
    /// key order, so each agent's cells are together: agents are counted where the agent
    /// changes, with no set of 50,000 names (a first apply built one twice).
    public var affectedAgents: Int {
        var count = 0
        var last: String?
        for item in impact where item.key.agent != last {
            count += 1
            last = item.key.agent
        }
        return count
    }

    /// Entity changes between two canonical forms given as compact JSON text per entity (as
    /// the store keeps them), in stable order (tenant, sections, ids). Only the entities whose
    /// text differs are parsed for the field-level diff.
    public static func changes(from old: [CanonicalForm.Key: String], to new: [CanonicalForm.Key: String]) -> [Change] {
        var changes: [Change] = []
        for (key, text) in new {
            if let previous = old[key] {
                if previous != text { changes.append(Change(action: .update, key: key, old: previous, new: text)) }
            } else {
                changes.append(Change(action: .create, key: key, old: nil, new: text))
            }
        }
        for (key, text) in old where new[key] == nil {
            changes.append(Change(action: .delete, key: key, old: text, new: nil))
        }
        return changes.sorted { $0.key < $1.key }
    }

    static func parsed(_ text: String) -> JSON {
        (try? JSON.parse(text)) ?? .string(text)
    }

    /// Field-level differences; objects are compared member by member, anything else whole.
    static func fieldChanges(_ old: JSON?, _ new: JSON?, prefix: String) -> [FieldChange] {
        var names: [String] = []
        for case .object(let members)? in [new, old] {
            for (name, _) in members where !names.contains(name) { names.append(name) }
        }
        var fields: [FieldChange] = []
        for name in names {
            let before = old?[name]
            let after = new?[name]
            guard before != after else { continue }
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            if case .object? = before, case .object? = after {
                fields += fieldChanges(before, after, prefix: path)
            } else {
                fields.append(FieldChange(path: path, old: before, new: after))
            }
        }
        return fields
    }

    /// The (agent, team, channel) keys whose availability differs, sorted; a key missing on
    /// one side counts as unavailable there. A deleted agent fails the gate's first check
    /// (agent-inactive); an agent that left a team has no reason: the cell is simply gone.
    public static func impact(before: Availability, after: Availability) -> [Impact] {
        impact(before: before, after: after.lazy.map { ($0.key, $0.value) }, inKeyOrder: false, gone: before.keys.filter { after[$0] == nil })
    }

    /// The same with `after` in key order (as stores keep cells and the gate gives them in
    /// bulk) and the keys of `before` that `after` lacks: `after` is read in order, never
    /// hashed, and the result is sorted only when keys are gone. A first apply's 100,000 cells
    /// had been made a dictionary and their impact sorted.
    public static func impact(before: Availability, inKeyOrder after: [(AvailabilityKey, [ReasonCode])], gone: [AvailabilityKey]) -> [Impact] {
        impact(before: before, after: after, inKeyOrder: true, gone: gone)
    }

    private static func impact(
        before: Availability, after: some Sequence<(AvailabilityKey, [ReasonCode])>, inKeyOrder: Bool,
        gone: [AvailabilityKey]
    ) -> [Impact] {
        var impact: [Impact] = []
        for (key, reasons) in after {
            let wasAvailable = before.isEmpty ? false : before[key].map(\.isEmpty) ?? false
            if wasAvailable != reasons.isEmpty {
                impact.append(Impact(key: key, before: wasAvailable, after: reasons.isEmpty, reasons: reasons))
            }
        }
        let lost = gone.filter { before[$0]?.isEmpty == true }
        if !lost.isEmpty {
            let agents = Set(after.map(\.0.agent))
            for key in lost {
                impact.append(Impact(key: key, before: true, after: false, reasons: agents.contains(key.agent) ? [] : [.agentInactive]))
            }
        }
        return inKeyOrder && lost.isEmpty ? impact : impact.sorted { $0.key < $1.key }
    }
}

/// One cell of the availability table: an agent signed into a team, on an outbound channel.
public struct AvailabilityKey: Hashable, Sendable, Comparable {
    public var agent: String
    public var team: String
    public var channel: Channel

    public init(agent: String, team: String, channel: Channel) {
        self.agent = agent
        self.team = team
        self.channel = channel
    }

    public static func < (lhs: AvailabilityKey, rhs: AvailabilityKey) -> Bool {
        (lhs.agent, lhs.team, lhs.channel) < (rhs.agent, rhs.team, rhs.channel)
    }
}

/// Reasons per cell; an empty list means available.
public typealias Availability = [AvailabilityKey: [ReasonCode]]

extension OutboundGate {
    /// The availability of every agent (inactive ones too, with agent-inactive), team and
    /// outbound channel: what the store materialises.
    public func availability() -> Availability {
        availability(cells(configuration.agentsInMemoryOrder()))
    }

    /// The same cells as `availability()`, in key order (agent, team, channel): what the store
    /// writes, in the order its table keeps them.
    public func sortedCells() -> [(AvailabilityKey, [ReasonCode])] {
        cellsById { _ in true }
    }

    public func availability(_ cells: [(AvailabilityKey, [ReasonCode])]) -> Availability {
        var result: Availability = [:]
        result.reserveCapacity(cells.count)
        for (key, reasons) in cells { result[key] = reasons }
        return result
    }

    /// Every cell in key order as it stays right on every day (`AvailabilityCell`): the
    /// date-independent reasons of this gate (which must not judge licence dates) with the
    /// window of the agent's licence.
    public func availabilityCells() -> [(AvailabilityKey, AvailabilityCell)] {
        cellsWithWindows(sortedCells())
    }

    /// The same for some agents only.
    public func availabilityCells(of agents: Set<String>) -> [(AvailabilityKey, AvailabilityCell)] {
        cellsWithWindows(cells(agents.compactMap { configuration.agents[$0] }))
    }

    private func cellsWithWindows(_ cells: [(AvailabilityKey, [ReasonCode])]) -> [(AvailabilityKey, AvailabilityCell)] {
        precondition(!judgesLicenceDates, "availability cells come from the date-independent gate")
        let timezone = configuration.tenant?.timezone?.value
        let windows = configuration.licences.mapValues { LicenceWindow($0, timezone: timezone) }
        // An agent's cells come together: its licence window is looked up once for them all.
        var agent: String?
        var window = LicenceWindow()
        return cells.map { key, reasons in
            if key.agent != agent {
                agent = key.agent
                window = configuration.agents[key.agent].flatMap { windows[$0.licence.value] } ?? LicenceWindow()
            }
            return (key, AvailabilityCell(reasons: reasons, window: window))
        }
    }
}
