import Foundation
import ArgumentParser
import OutboundConfig
import OutboundStore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain why an agent can or cannot start an outbound SMS or email.",
        discussion: HelpText.discussion(
            ["Runs every check of the outbound gate and shows what decided it and how to fix it.",
             "Reads the configuration files when paths are given, else the store."],
            exits: [(0, "available (the best answer when several)"), (1, "unavailable, invalid configuration, unknown agent or team"),
                    HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl explain ana.silva examples/acme --channel email", "outboundctl explain ana.silva --date 2027-01-02"])
    )

    @Argument(help: "The agent id.")
    var agent: String

    @Argument(help: "Configuration files or directories; without them, the store is read.")
    var paths: [String] = []

    @Option(help: "The channel: sms or email (default: both).")
    var channel: OutboundChannel?

    @Option(help: "The team the agent is signed into (default: each of the agent's teams).")
    var team: String?

    @Option(help: "The agent's runtime state: \(AgentState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: AgentState?

    @Option(help: "The evaluation date, YYYY-MM-DD (default: today in the tenant's time zone).")
    var date: CalendarDate?

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let configuration: Configuration
        let source: AnswerSource
        if paths.isEmpty {
            let found: (context: ExplainingContext?, known: [String]) = try store.reading { store in
                if let context = try store.configurationForExplaining(agent: agent) { return (context, []) }
                return (nil, try store.ids(in: .agents))
            }
            guard let context = found.context else {
                throw CommandFailure("agent-not-found", "unknown agent '\(agent)'\(Suggestion.hint(for: agent, in: found.known))")
            }
            configuration = context.configuration
            source = .store(context)
        } else {
            configuration = try loadValidConfiguration(paths, date: date, quiet: output.quiet)
            source = .files
        }
        let gate = OutboundGate(configuration: configuration, date: date, state: state, now: Date())
        guard let found = configuration.agents[agent] else {
            throw CommandFailure("agent-not-found", "unknown agent '\(agent)'\(Suggestion.hint(for: agent, in: configuration.agents.keys))")
        }
        if let team, !found.teams.contains(where: { $0.value == team }) {
            throw CommandFailure("not-in-team", "\(agent) is not in team '\(team)'; its teams are \(found.teams.map(\.value).joined(separator: ", "))")
        }
        let answers = gate.answers(for: found, team: team, channels: channel.map { [$0.channel] } ?? Channel.outbound)
        let available = answers.contains(where: \.available)
        switch format {
        case .text:
            emit(ExplainTextReporter(terminal: output.terminal, source: source, quiet: output.quiet).report(answers, date: gate.date))
        case .json:
            let json = GateAnswer.explainJSON(agent: agent, answers: answers, source: source.json)
            emit(json.rendered(pretty: true) + "\n")
        }
        finish(status: available ? 0 : 1, keeping: gate)
    }
}

enum AnswerFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
