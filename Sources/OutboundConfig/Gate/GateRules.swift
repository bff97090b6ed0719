/// Everything one evaluation looks at: the agent, the team it is signed into, the channel,
/// the resolved profile and the gate (configuration, date, state, indexes).
struct GateSubject {
    let agent: Agent
    let team: String
    let channel: Channel
    let profile: ResolvedProfile
    let gate: OutboundGate

    var configuration: Configuration { gate.configuration }
    var slots: SlotAssignment? { profile.profile.slots(for: channel.media) }
    var licence: Licence? { gate.configuration.licences[agent.licence.value] }
    var outboundEntryPoints: [EntryPoint] { gate.index.outboundEntryPoints[channel] ?? [] }
    var desktop: DesktopProfile? { gate.configuration.desktopProfiles[agent.desktopProfile.value] }
}

/// How each check of `GateCheck.all` decides, and how it explains the decision.
enum GateRules {
    // 1
    static func decideAgentActive(_ s: GateSubject) -> Decision {
        s.agent.active.value
            ? .passed(at: s.agent.location, NodeReference(.agents, s.agent.id))
            : .failed(.agentInactive, at: s.agent.active.location, NodeReference(.agents, s.agent.id, "active"))
    }

    static func describeAgentActive(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        d.outcome == .passed
            ? ("\(s.agent.id) is active", nil)
            : ("\(s.agent.id) is inactive (active: false)", "set agents.\(s.agent.id).active: true if \(s.agent.id) works again")
    }

    // 2
    static func decideDigitalChannels(_ s: GateSubject) -> Decision {
        guard let tenant = s.gate.configuration.tenant else { return .skipped }
        let node = NodeReference.tenant("digitalChannels")
        return tenant.digitalChannels.value == .enabled
            ? .passed(at: tenant.digitalChannels.location, node) : .failed(.tenantDigitalDisabled, at: tenant.digitalChannels.location, node)
    }

    static func describeDigitalChannels(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        switch d.outcome {
        case .passed: ("digital channels are enabled for the tenant", nil)
        case .failed: ("digital channels are disabled for the tenant", "set tenant.digitalChannels: enabled")
        case .skipped: ("no tenant is defined", nil)
        }
    }

    // 3
    static func decidePremiumLicence(_ s: GateSubject) -> Decision {
        guard let licence = s.licence else { return .skipped }
        let node = NodeReference(.licences, licence.id, "type")
        return licence.type.value.isPremium ? .passed(at: licence.type.location, node) : .failed(.licenceNotPremium, at: licence.type.location, node)
    }

    static func describePremiumLicence(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        guard let licence = s.licence else { return ("licence \(s.agent.licence.value) is not defined", nil) }
        if d.outcome == .passed { return ("licence \(licence.id) is \(licence.type.value.rawValue)", nil) }
        let premium = s.configuration.licences.values.filter { $0.type.value.isPremium }.map(\.id).min()
        return (
            "licence \(licence.id) is \(licence.type.value.rawValue), which carries no digital channels",
            premium.map { "assign a premium licence (e.g. \($0)) to \(s.agent.id)" } ?? "assign a premium-agent licence to \(s.agent.id)"
        )
    }

    // 4
    static func decideLicenceValid(_ s: GateSubject) -> Decision {
        guard let licence = s.licence else { return .skipped }
        func node(_ field: String) -> NodeReference { NodeReference(.licences, licence.id, field) }
        let window =
            licence.validUntil.map { ($0.location, node("validUntil")) } ?? licence.validFrom.map { ($0.location, node("validFrom")) }
            ?? (licence.location, node(""))
        guard s.gate.judgesLicenceDates else { return .passed(at: window.0, window.1) }
        if let from = licence.validFrom, s.gate.date < from.value { return .failed(.licenceNotYetValid, at: from.location, node("validFrom")) }
        if let until = licence.validUntil, s.gate.date > until.value { return .failed(.licenceExpired, at: until.location, node("validUntil")) }
        return .passed(at: window.0, window.1)
    }

    static func describeLicenceValid(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        guard let licence = s.licence else { return ("licence \(s.agent.licence.value) is not defined", nil) }
        let date = s.gate.date
        switch d.reason {
        case .licenceNotYetValid:
            return (
                "licence \(licence.id) is valid from \(licence.validFrom!.value); the evaluation date is \(date)",
                "wait until \(licence.validFrom!.value), or assign \(s.agent.id) a licence valid today"
            )
        case .licenceExpired:
            return (
                "licence \(licence.id) expired after \(licence.validUntil!.value); the evaluation date is \(date)",
                "extend licences.\(licence.id).validUntil, or assign \(s.agent.id) a current licence"
            )
        default:
            let window = [licence.validFrom.map { "from \($0.value)" }, licence.validUntil.map { "until \($0.value)" }].compactMap { $0 }
            return (
                "licence \(licence.id) is valid on \(date)\(window.isEmpty ? " (no validity dates)" : " (\(window.joined(separator: " ")))")", nil
            )
        }
    }

    // 5
    static func decideMediaSlots(_ s: GateSubject) -> Decision {
        let profile = NodeReference(.multimediaProfiles, s.profile.profile.id)
        let media = s.channel.media.rawValue
        if let slots = s.slots, slots.slots >= 1 { return .passed(at: slots.location, NodeReference(.multimediaProfiles, profile.id, media)) }
        // `social: 0` means the same as no `social` (the store keeps neither): both are decided
        // where the agent's profile was chosen.
        if let reference = s.profile.reference { return .failed(.slotNone, at: reference, s.profile.referenceNode(agent: s.agent.id)) }
        return .failed(.slotNone, at: s.profile.profile.location, profile)
    }

    static func describeMediaSlots(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        let profile = s.profile.profile
        let media = s.channel.media.rawValue
        if d.outcome == .passed, let slots = s.slots {
            return ("\(profile.id) (\(s.profile.originDescription)) has \(slots.slots) \(media) slot\(slots.slots == 1 ? "" : "s")", nil)
        }
        return (
            "\(profile.id) (\(s.profile.originDescription)) has no \(media) slots",
            "give multimedia profile \(profile.id) \(media) slots (e.g. `\(media): 1`), or give \(s.agent.id) a profile with \(media) slots"
        )
    }

    // 6
    static func decideAutoPushed(_ s: GateSubject) -> Decision {
        guard let slots = s.slots, slots.slots >= 1 else { return .skipped }
        let media = s.channel.media.rawValue
        // Where the assignment was decided: the `assignment` value, or the media's value when
        // none is written (the integer form, or a mapping without the key).
        let node = NodeReference(.multimediaProfiles, s.profile.profile.id, "\(media).assignment")
        return slots.assignment == .autoPushed
            ? .passed(at: slots.assignmentLocation, node) : .failed(.slotManual, at: slots.assignmentLocation, node)
    }

    static func describeAutoPushed(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        let profile = s.profile.profile
        let media = s.channel.media.rawValue
        switch d.outcome {
        case .skipped: return ("no \(media) slots, so no assignment to judge", nil)
        case .passed: return ("\(profile.id) assigns \(media) as auto-pushed (Contacts automatically pushed)", nil)
        case .failed:
            return (
                "\(profile.id) uses manual assignment for \(media)",
                "\(profile.id) uses manual assignment; set `\(media).assignment: auto-pushed`, or give \(s.agent.id) another profile"
            )
        }
    }

    // 7
    static func decideOutboundEntryPoint(_ s: GateSubject) -> Decision {
        if let first = s.outboundEntryPoints.first { return .passed(at: first.outbound.location, NodeReference(.entryPoints, first.id, "outbound")) }
        let candidate = inboundCandidate(s)
        return .failed(.noEntryPoint, at: candidate?.outbound.location, candidate.map { NodeReference(.entryPoints, $0.id, "outbound") })
    }

    private static func inboundCandidate(_ s: GateSubject) -> EntryPoint? {
        s.configuration.entryPoints.values.filter { $0.channel.value == s.channel }.min { $0.id < $1.id }
    }

    static func describeOutboundEntryPoint(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        let channel = s.channel.rawValue
        if d.outcome == .passed {
            return ("outbound \(channel) entry points: \(s.outboundEntryPoints.map(\.id).joined(separator: ", "))", nil)
        }
        return (
            "no \(channel) entry point has outbound: true",
            inboundCandidate(s).map { "set outbound: true on \(channel) entry point \($0.id)" } ?? "add an \(channel) entry point with outbound: true"
        )
    }

    // 8
    static func decideDesktopEntryPoints(_ s: GateSubject) -> Decision {
        guard !s.outboundEntryPoints.isEmpty, let desktop = s.desktop else { return .skipped }
        let node = NodeReference(.desktopProfiles, desktop.id, "outboundEntryPoints")
        return s.gate.visibleEntryPoints(desktop: desktop, channel: s.channel).isEmpty
            ? .failed(.entryPointNotAllowed, at: desktop.outboundEntryPoints.location, node)
            : .passed(at: desktop.outboundEntryPoints.location, node)
    }

    static func describeDesktopEntryPoints(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        guard let desktop = s.desktop else { return ("desktop profile \(s.agent.desktopProfile.value) is not defined", nil) }
        let all = s.outboundEntryPoints
        switch d.outcome {
        case .skipped: return ("no outbound \(s.channel.rawValue) entry point exists to list", nil)
        case .passed:
            return (
                "desktop profile \(desktop.id) lists \(s.gate.visibleEntryPoints(desktop: desktop, channel: s.channel).map(\.id).joined(separator: ", "))",
                nil
            )
        case .failed:
            return (
                "desktop profile \(desktop.id) lists none of the outbound \(s.channel.rawValue) entry points (\(all.map(\.id).joined(separator: ", ")))",
                "add \(all[0].id) to desktopProfiles.\(desktop.id).outboundEntryPoints, or give \(s.agent.id) another desktop profile"
            )
        }
    }

    // 9
    static func decideAgentState(_ s: GateSubject) -> Decision {
        guard s.gate.state != nil else { return .skipped }
        return stateReason(s.gate.state).map { .failed($0, at: nil, nil) } ?? .passed(at: nil, nil)
    }

    /// Check 9's reason for a runtime state; nil when it passes or is not given. Cells the
    /// store keeps leave it out, and readers add it with `AvailabilityCell.reasons(at:state:)`.
    static func stateReason(_ state: AgentState?) -> ReasonCode? {
        guard let state, !state.allowsOutbound else { return nil }
        return .stateNotAllowed
    }

    static func describeAgentState(_ s: GateSubject, _ d: Decision) -> (detail: String, fix: String?) {
        guard let state = s.gate.state else {
            return ("the runtime state is checked when the conversation starts (available or rona; pass --state to check it now)", nil)
        }
        return d.outcome == .passed
            ? ("state \(state.rawValue) allows starting an outbound conversation", nil)
            : ("state \(state.rawValue) does not allow starting an outbound conversation", "the agent must be available (or in rona) to start one")
    }
}
