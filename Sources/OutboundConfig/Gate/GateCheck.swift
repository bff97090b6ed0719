/// One step of the outbound gate, as data: its id, its place in the order, the reason codes it
/// can yield, how it decides and how it explains itself. `explain`, `matrix`, the store's view
/// and the plan's impact all run this one list (`GateCheck.all`). Deciding builds no text, so
/// bulk evaluation (matrix, store) stays cheap; `describe` narrates a decision for `explain`.
public struct GateCheck: Sendable {
    public let id: String
    public let order: Int
    public let summary: String
    public let reasons: [ReasonCode]
    let decide: @Sendable (GateSubject) -> Decision
    let describe: @Sendable (GateSubject, Decision) -> (detail: String, fix: String?)

    /// docs/reference.md §3, in order.
    public static let all: [GateCheck] = [
        GateCheck(
            id: "agent-active", order: 1, summary: "agent exists and is active", reasons: [.agentInactive],
            decide: GateRules.decideAgentActive, describe: GateRules.describeAgentActive),
        GateCheck(
            id: "digital-channels", order: 2, summary: "tenant digital channels enabled", reasons: [.tenantDigitalDisabled],
            decide: GateRules.decideDigitalChannels, describe: GateRules.describeDigitalChannels),
        GateCheck(
            id: "premium-licence", order: 3, summary: "licence is a premium type", reasons: [.licenceNotPremium],
            decide: GateRules.decidePremiumLicence, describe: GateRules.describePremiumLicence),
        GateCheck(
            id: "licence-valid", order: 4, summary: "licence valid on the evaluation date", reasons: [.licenceExpired, .licenceNotYetValid],
            decide: GateRules.decideLicenceValid, describe: GateRules.describeLicenceValid),
        GateCheck(
            id: "media-slots", order: 5, summary: "the resolved multimedia profile has slots for the channel's media", reasons: [.slotNone],
            decide: GateRules.decideMediaSlots, describe: GateRules.describeMediaSlots),
        GateCheck(
            id: "auto-pushed", order: 6, summary: "those slots are auto-pushed", reasons: [.slotManual],
            decide: GateRules.decideAutoPushed, describe: GateRules.describeAutoPushed),
        GateCheck(
            id: "outbound-entry-point", order: 7, summary: "an outbound entry point of the channel exists", reasons: [.noEntryPoint],
            decide: GateRules.decideOutboundEntryPoint, describe: GateRules.describeOutboundEntryPoint),
        GateCheck(
            id: "desktop-entry-points", order: 8, summary: "the desktop profile lists at least one of them", reasons: [.entryPointNotAllowed],
            decide: GateRules.decideDesktopEntryPoints, describe: GateRules.describeDesktopEntryPoints),
        GateCheck(
            id: "agent-state", order: 9, summary: "runtime state is available or rona (when a state is given)", reasons: [.stateNotAllowed],
            decide: GateRules.decideAgentState, describe: GateRules.describeAgentState),
    ]
}

/// A check's decision: no text, just the outcome, the reason and the deciding node.
struct Decision: Sendable {
    var outcome: CheckResult.Outcome
    var reason: ReasonCode?
    var source: SourceLocation?
    var node: NodeReference?

    static func passed(at source: SourceLocation?, _ node: NodeReference?) -> Decision { Decision(outcome: .passed, source: source, node: node) }
    static func failed(_ reason: ReasonCode, at source: SourceLocation?, _ node: NodeReference?) -> Decision {
        Decision(outcome: .failed, reason: reason, source: source, node: node)
    }
    static let skipped = Decision(outcome: .skipped)
}

/// What one check found, explained: passed, failed with a reason and a fix, or skipped because
/// its subject does not exist (check 6 after slot-none, check 8 after no-entry-point, check 9
/// without a state).
public struct CheckResult: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        case passed, failed, skipped
    }

    public var check: String
    public var outcome: Outcome
    public var detail: String
    public var reason: ReasonCode?
    public var fix: String?
    /// The configuration node that decided the check; nil for built-in or absent subjects.
    public var source: SourceLocation?
    /// The same node by entity and field, for looking it up in a store's sources.
    public var node: NodeReference?

    /// Skipped checks did not fail: they count as passed in machine output.
    public var passed: Bool { outcome != .failed }
}
