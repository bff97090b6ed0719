import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain why an agent can or cannot start an outbound SMS or email.",
        discussion: HelpText.discussion(
            [
                "Runs every check of the outbound gate and shows what decided it and how to fix it.",
                "Reads the configuration files when paths are given, else the store.",
            ],
            exits: [
                (0, "available (the best answer when several)"), (1, "unavailable, invalid configuration, unknown agent or team"),
                HelpText.storeError, HelpText.usageError,
            ],
            examples: ["outboundctl explain ana.silva examples/acme --channel email", "outboundctl explain ana.silva --date 2100-01-02"])
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
        let question = ExplainQuestion(agent: agent, team: team, channels: channel.map { [$0.channel] } ?? Channel.outbound, state: state, date: date)
        let explanation: Explanation
        let source: AnswerSource
        do {
            if paths.isEmpty {
                let found = try store.reading { try $0.explain(question, now: Date()) }
                (explanation, source) = (found.explanation, .store(found.context))
            } else {
                let configuration = try loadValidConfiguration(paths, date: date, quiet: output.quiet)
                explanation = try OutboundGate.explain(question, in: configuration, now: Date()) { Array(configuration.agents.keys) }
                source = .files
            }
            if explanation.answers.isEmpty { throw GateRefusal.noTeam(agent) }
        } catch let refusal as GateRefusal {
            throw CommandFailure(refusal.code.rawValue, refusal.message)
        }
        switch format {
        case .text:
            emit(
                ExplainTextReporter(terminal: output.terminal, source: source, quiet: output.quiet).report(
                    explanation.answers, date: explanation.date))
        case .json:
            let json = GateAnswer.explainJSON(agent: agent, answers: explanation.answers, source: source.json)
            emit(json.rendered(pretty: true) + "\n")
        }
        finish(status: explanation.available ? 0 : 1, keeping: explanation)
    }
}

enum AnswerFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
