import Foundation

/// What `explain` is asked: an agent, optionally the team it is signed into, the channels,
/// optionally its runtime state (check 9) and a day (today in the tenant's time zone when nil).
public struct ExplainQuestion: Sendable {
    public var agent: String
    public var team: String?
    public var channels: [Channel]
    public var state: AgentState?
    public var date: CalendarDate?

    public init(agent: String, team: String? = nil, channels: [Channel] = Channel.outbound, state: AgentState? = nil, date: CalendarDate? = nil) {
        self.agent = agent
        self.team = team
        self.channels = channels
        self.state = state
        self.date = date
    }
}

/// The gate's answers to an `ExplainQuestion`: per team and channel, every check with its
/// detail, fix and deciding node.
public struct Explanation: Sendable {
    public var agent: Agent
    public var answers: [GateAnswer]
    /// The day check 4 judged.
    public var date: CalendarDate

    /// True when any answer is (the best answer decides `explain`'s exit code).
    public var available: Bool { answers.contains(where: \.available) }
}

/// Why the gate will not answer a question: the one wording of each refusal, for `explain`,
/// `serve`'s API, its batch and the console alike.
public struct GateRefusal: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case agentNotFound = "agent-not-found"
        case notInTeam = "not-in-team"
        case agentHasNoTeam = "agent-has-no-team"
        case teamRequired = "team-required"
    }

    public var code: Code
    public var message: String

    /// An unknown agent, with a "did you mean" among `ids` (compared with every one: callers on
    /// a server work this out off the cooperative pool).
    public static func unknownAgent(_ agent: String, among ids: some Collection<String>) -> GateRefusal {
        GateRefusal(code: .agentNotFound, message: "unknown agent '\(agent)'\(Suggestion.hint(for: agent, in: ids))")
    }

    public static func notInTeam(_ agent: String, team: String, teams: some Sequence<String>) -> GateRefusal {
        let teams = Set(teams).sorted()
        let theirs = teams.isEmpty ? "it is in no team" : "its teams are \(teams.joined(separator: ", "))"
        return GateRefusal(code: .notInTeam, message: "\(agent) is not in team '\(team)'; \(theirs)")
    }

    public static func noTeam(_ agent: String) -> GateRefusal {
        GateRefusal(code: .agentHasNoTeam, message: "\(agent) is in no team, so it has no answer")
    }

    /// One answer must stand for an agent whose teams answer differently: never a grant the
    /// team it is signed into may not allow.
    public static func teamRequired(_ agent: String, teams: [String]) -> GateRefusal {
        GateRefusal(
            code: .teamRequired, message: "\(agent)'s teams answer differently (\(teams.joined(separator: ", "))); pass the team it is signed into")
    }
}

extension OutboundGate {
    /// The one explain: the answers to `question` from `configuration` (whole, or just what
    /// `GateReads` fetched from a store), judged on the question's day or the day `now` falls
    /// on in the tenant's time zone. `knownAgents` is asked only for an unknown agent's
    /// "did you mean".
    public static func explain(
        _ question: ExplainQuestion, in configuration: Configuration, now: Date,
        knownAgents: () throws -> [String]
    ) throws -> Explanation {
        guard let agent = configuration.agents[question.agent] else { throw GateRefusal.unknownAgent(question.agent, among: try knownAgents()) }
        let teams = agent.teams.map(\.value)
        if let team = question.team, !teams.contains(team) { throw GateRefusal.notInTeam(agent.id, team: team, teams: teams) }
        let gate = OutboundGate(configuration: configuration, date: question.date, state: question.state, now: now)
        return Explanation(agent: agent, answers: gate.answers(for: agent, team: question.team, channels: question.channels), date: gate.date)
    }
}

extension AvailabilityCell {
    /// Every reason at `instant` with check 9 judged for `state` (skipped when nil): the answer
    /// the gate gives an agent in that runtime state.
    public func reasons(at instant: Date, state: AgentState?) -> [ReasonCode] {
        var reasons = reasons(at: instant)
        if let reason = GateRules.stateReason(state) { reasons.append(reason) }
        return reasons
    }
}
