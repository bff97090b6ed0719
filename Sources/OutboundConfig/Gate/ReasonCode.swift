/// Why an agent cannot start an outbound conversation on a channel (docs/reference.md §3). These strings
/// are a contract: the store's view, `explain` and `matrix` output them as they are.
public enum ReasonCode: String, CaseIterable, Hashable, Sendable, Comparable {
    case agentInactive = "agent-inactive"
    case tenantDigitalDisabled = "tenant-digital-disabled"
    case licenceNotPremium = "licence-not-premium"
    case licenceExpired = "licence-expired"
    case licenceNotYetValid = "licence-not-yet-valid"
    case slotNone = "slot-none"
    case slotManual = "slot-manual"
    case noEntryPoint = "no-entry-point"
    case entryPointNotAllowed = "entry-point-not-allowed"
    case stateNotAllowed = "state-not-allowed"

    /// The order of the check that gives this reason (from `GateCheck.all`).
    public var check: Int { Self.checkOrder[self]! }

    private static let checkOrder: [ReasonCode: Int] = Dictionary(
        uniqueKeysWithValues: GateCheck.all.flatMap { check in check.reasons.map { ($0, check.order) } })

    /// Orders by the gate's check order, so reason lists read like the checks.
    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The agent's runtime state, for check 9. Only `available` and `rona` allow starting an
/// outbound conversation (on a call, in a digital interaction or with no task: all fine).
public enum AgentState: String, CaseIterable, Sendable {
    case available, rona, idle, engaged
    case wrapUp = "wrap-up"
    case offline

    public var allowsOutbound: Bool { self == .available || self == .rona }
}
