import Foundation

/// Decides whether an agent may start an outbound conversation on a channel, with every check
/// of `GateCheck.all`, its source and its fix. Indexes are built once per configuration, so
/// one evaluation costs the same for 100 agents as for 50,000. A class, so the evaluation of
/// each of a large tenant's 100,000 cells shares it instead of copying the configuration.
public final class OutboundGate: Sendable {
    public let configuration: Configuration
    /// The day check 4 judges licences on, in the tenant's time zone.
    public let date: CalendarDate
    public let state: AgentState?
    /// False for the gate whose cells the store keeps: check 4 then passes, and the licence
    /// window is judged whenever a cell is read (`availabilityCells()`).
    public let judgesLicenceDates: Bool
    let index: Index

    /// A gate judging licences on `date`, or on the day `now` falls on in the tenant's time
    /// zone. The clock is the caller's: nothing in the core reads the time by itself.
    public convenience init(configuration: Configuration, date: CalendarDate? = nil, state: AgentState? = nil, now: Date) {
        self.init(
            configuration: configuration, date: date ?? OutboundGate.today(in: configuration.tenant?.timezone?.value, now: now),
            state: state, judgesLicenceDates: true)
    }

    /// A gate judging licences on `date`.
    public convenience init(configuration: Configuration, date: CalendarDate, state: AgentState? = nil) {
        self.init(configuration: configuration, date: date, state: state, judgesLicenceDates: true)
    }

    private init(configuration: Configuration, date: CalendarDate, state: AgentState?, judgesLicenceDates: Bool) {
        self.configuration = configuration
        self.date = date
        self.state = state
        self.judgesLicenceDates = judgesLicenceDates
        self.index = Index(configuration)
    }

    /// The gate whose answers do not depend on the date: check 4 passes, and each cell carries
    /// its licence window instead (what the store keeps). Its `date` means nothing.
    public static func dateIndependent(_ configuration: Configuration) -> OutboundGate {
        OutboundGate(configuration: configuration, date: CalendarDate(year: 1970, month: 1, day: 1), state: nil, judgesLicenceDates: false)
    }

    struct Index: Sendable {
        /// Entry points with `outbound: true`, per channel, by id.
        var outboundEntryPoints: [Channel: [EntryPoint]] = [:]
        /// The id of each team's and site's multimedia profile, when set and defined.
        var teamProfiles: [String: String] = [:]
        var siteProfiles: [String: String] = [:]

        init(_ configuration: Configuration) {
            func profileIds<Entity>(_ entities: [String: Entity], _ reference: (Entity) -> Located<String>?) -> [String: String] {
                var ids: [String: String] = [:]
                for (id, entity) in entities {
                    if let profile = reference(entity)?.value, configuration.multimediaProfile(profile) != nil { ids[id] = profile }
                }
                return ids
            }
            teamProfiles = profileIds(configuration.teams, \.multimediaProfile)
            siteProfiles = profileIds(configuration.sites, \.multimediaProfile)
            for entryPoint in configuration.entryPoints.values where entryPoint.outbound.value && entryPoint.channel.value.supportsOutbound {
                outboundEntryPoints[entryPoint.channel.value, default: []].append(entryPoint)
            }
            for channel in outboundEntryPoints.keys { outboundEntryPoints[channel]!.sort { $0.id < $1.id } }
        }
    }

    /// The outbound entry points of `channel` a desktop profile shows in *From*.
    public func visibleEntryPoints(desktop: DesktopProfile, channel: Channel) -> [EntryPoint] {
        let all = index.outboundEntryPoints[channel] ?? []
        return desktop.outboundEntryPoints.value == .all ? all : all.filter { desktop.outboundEntryPoints.value.includes($0.id) }
    }

    /// The answer for one agent signed into one team, on one channel, every check explained.
    public func evaluate(_ agent: Agent, team: String, channel: Channel) -> GateAnswer {
        let subject = subject(agent, team: team, channel: channel)
        let checks = GateCheck.all.map { check -> CheckResult in
            let decision = check.decide(subject)
            let (detail, fix) = check.describe(subject, decision)
            return CheckResult(
                check: check.id, outcome: decision.outcome, detail: detail, reason: decision.reason, fix: fix,
                source: decision.source.flatMap { $0.isBuiltIn ? nil : $0 },
                node: decision.source?.isBuiltIn == true ? nil : decision.node)
        }
        let available = checks.allSatisfy(\.passed)
        return GateAnswer(
            agent: agent.id, team: team, channel: channel, checks: checks, profile: subject.profile,
            offer: available ? offer(for: subject) : nil)
    }

    /// Only the reason codes (empty when available): the same checks, no text, for bulk use.
    public func reasons(_ agent: Agent, team: String, channel: Channel) -> [ReasonCode] {
        let subject = subject(agent, team: team, channel: channel)
        var reasons: [ReasonCode] = []
        for check in GateCheck.all {
            if let reason = check.decide(subject).reason { reasons.append(reason) }
        }
        return reasons
    }

    private func subject(_ agent: Agent, team: String, channel: Channel) -> GateSubject {
        GateSubject(agent: agent, team: team, channel: channel, profile: .resolve(agent: agent, team: team, in: configuration), gate: self)
    }

    /// Every answer for an agent: one per team (or only `team`) and channel, teams sorted by id.
    public func answers(for agent: Agent, team: String? = nil, channels: [Channel] = Channel.outbound) -> [GateAnswer] {
        let teams = team.map { [$0] } ?? agent.teams.map(\.value).sorted()
        return teams.flatMap { team in channels.map { evaluate(agent, team: team, channel: $0) } }
    }

    /// The reasons for every active agent (by id) × team (by id) × outbound channel, as
    /// `matrix` lists them; agents are evaluated on all cores.
    public func matrix(agents filter: @Sendable (Agent) -> Bool = { _ in true }) -> [(AvailabilityKey, [ReasonCode])] {
        cellsById { $0.active.value && filter($0) }
    }

    /// Every (agent, team, channel) cell of `agents`, in their order, teams and channels sorted.
    func cells(_ agents: [Agent]) -> [(AvailabilityKey, [ReasonCode])] {
        ParallelMap.mapChunks(agents) { slice in
            var memo = Memo(gate: self)
            var cells: [(AvailabilityKey, [ReasonCode])] = []
            cells.reserveCapacity(slice.count * 2 * Channel.outbound.count)
            for agent in slice { appendCells(of: agent, to: &cells, memo: &memo) }
            return cells
        }
    }

    /// The cells of the agents `include` accepts, agents by id. Agents are evaluated in memory
    /// order (in id order nearly every agent read misses the cache), each chunk keeping where
    /// its agents' cells start; the cells are then laid out by sorting those spans by id.
    func cellsById(where include: @Sendable (Agent) -> Bool) -> [(AvailabilityKey, [ReasonCode])] {
        typealias Chunk = (spans: [(id: String, start: Int, count: Int)], cells: [(AvailabilityKey, [ReasonCode])])
        let chunks: [Chunk] = ParallelMap.mapChunks(configuration.agentsInMemoryOrder()) { slice in
            var memo = Memo(gate: self)
            var chunk: Chunk = ([], [])
            chunk.spans.reserveCapacity(slice.count)
            chunk.cells.reserveCapacity(slice.count * 2 * Channel.outbound.count)
            for agent in slice where include(agent) {
                let start = chunk.cells.count
                appendCells(of: agent, to: &chunk.cells, memo: &memo)
                chunk.spans.append((agent.id, start, chunk.cells.count - start))
            }
            return [chunk]
        }
        var order: [(id: String, chunk: Int, start: Int, count: Int)] = []
        order.reserveCapacity(chunks.reduce(0) { $0 + $1.spans.count })
        for (index, chunk) in chunks.enumerated() {
            for span in chunk.spans { order.append((span.id, index, span.start, span.count)) }
        }
        order.sort { $0.id < $1.id }
        var cells: [(AvailabilityKey, [ReasonCode])] = []
        cells.reserveCapacity(chunks.reduce(0) { $0 + $1.cells.count })
        for span in order { cells += chunks[span.chunk].cells[span.start..<span.start + span.count] }
        return cells
    }

    /// Appends an agent's cells: its teams sorted by id, each with the outbound channels in order.
    private func appendCells(of agent: Agent, to cells: inout [(AvailabilityKey, [ReasonCode])], memo: inout Memo) {
        let teams = agent.teams.count == 1 ? [agent.teams[0].value] : agent.teams.map(\.value).sorted()
        for team in teams {
            for (channel, reasons) in zip(Memo.channels, memo.reasonsByChannel(agent, team: team)) {
                cells.append((AvailabilityKey(agent: agent.id, team: team, channel: channel), reasons))
            }
        }
    }

    /// Shares answers between agents whose answer depends on the same things: a large tenant
    /// has tens of thousands of agents in hundreds of teams, but few distinct combinations of
    /// licence, resolved multimedia profile and desktop profile.
    struct Memo {
        /// The outbound channels an answer covers, in this order (one lookup per agent and team).
        static let channels = Channel.outbound.sorted()

        let gate: OutboundGate
        private let index: Index
        private let profiles: [String: MultimediaProfile]
        private var answers: [Inputs: [[ReasonCode]]] = [:]

        init(gate: OutboundGate) {
            self.gate = gate
            self.index = gate.index
            self.profiles = gate.configuration.multimediaProfiles
        }

        /// Everything the reasons read that differs between agents (the team and site only
        /// through the profile they resolve to).
        private struct Inputs: Hashable {
            var active: Bool
            var licence: String
            var profile: String
            var desktop: String

            /// One FNV-1a pass over the ids instead of a SipHash round per string: this is
            /// looked up for every cell of a 100,000-cell matrix.
            func hash(into hasher: inout Hasher) {
                var ids = FNV1a()
                ids.combine(licence)
                ids.combine(profile)
                ids.combine(desktop)
                hasher.combine(ids.value)
                hasher.combine(active)
            }
        }

        /// The reasons on each of `Memo.channels`, in that order.
        mutating func reasonsByChannel(_ agent: Agent, team: String) -> [[ReasonCode]] {
            let profile = ResolvedProfile.resolvedId(
                agent: agent, team: team, teams: index.teamProfiles, sites: index.siteProfiles,
                profiles: profiles)
            let inputs = Inputs(active: agent.active.value, licence: agent.licence.value, profile: profile, desktop: agent.desktopProfile.value)
            if let known = answers[inputs] { return known }
            let computed = Self.channels.map { gate.reasons(agent, team: team, channel: $0) }
            answers[inputs] = computed
            return computed
        }
    }

    /// What an available agent will see: From entry points, transfer queues, and the wrap-up
    /// reasons offered after the conversation — those of the queues behind its From entry
    /// points (a queue's own `wrapUpReasons`, else every active reason), as far as the desktop
    /// profile allows them.
    private func offer(for subject: GateSubject) -> GateAnswer.Offer? {
        guard let desktop = subject.desktop else { return nil }
        let entryPoints = visibleEntryPoints(desktop: desktop, channel: subject.channel)
        let queues = configuration.queues.values.filter { $0.channel.value == subject.channel }.map(\.id).sorted()
        var offered = Set<String>()
        for entryPoint in entryPoints {
            let queue = entryPoint.queue.flatMap { configuration.queues[$0.value] }
            if let own = queue?.wrapUpReasons {
                offered.formUnion(own.map(\.value))
            } else {
                offered.formUnion(configuration.wrapUpReasons.keys)
            }
        }
        let reasons = offered.filter { id in
            configuration.wrapUpReasons[id].map { $0.active.value && desktop.wrapUpReasons.value.includes(id) } ?? false
        }
        return GateAnswer.Offer(fromEntryPoints: entryPoints.map(\.id), transferQueues: queues, wrapUpReasons: reasons.sorted())
    }

    /// Today's date in the tenant's time zone (UTC when it has none).
    public static func today(in timezone: String?, now: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}

/// The gate's decision for one agent, team and channel.
public struct GateAnswer: Sendable {
    public struct Offer: Sendable, Equatable {
        public var fromEntryPoints: [String]
        public var transferQueues: [String]
        public var wrapUpReasons: [String]
    }

    public var agent: String
    public var team: String
    public var channel: Channel
    public var checks: [CheckResult]
    public var profile: ResolvedProfile
    /// Set when available.
    public var offer: Offer?

    public var available: Bool { checks.allSatisfy(\.passed) }
    public var reasons: [ReasonCode] { checks.compactMap(\.reason) }
}
