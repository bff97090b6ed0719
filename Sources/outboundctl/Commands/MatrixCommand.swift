import ArgumentParser
import Foundation
import OutboundConfig

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Show outbound availability of every active agent, team and channel, with reason counts.",
        discussion: HelpText.discussion(
            [
                "Reads the configuration files when paths are given, else the store.",
                "The summary counts rows (an agent in two teams has a row per team and channel).",
            ],
            exits: [(0, "success"), (1, "invalid configuration, or an unknown team or site"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl matrix examples/acme --unavailable-only", "outboundctl matrix --team support --format csv"])
    )

    @Argument(help: "Configuration files or directories; without them, the store is read.")
    var paths: [String] = []

    @Option(help: "Only this team.")
    var team: String?

    @Option(help: "Only agents of this site.")
    var site: String?

    @Flag(help: "Only rows where the channel is unavailable.")
    var unavailableOnly = false

    @Option(help: "The evaluation date, YYYY-MM-DD (default: today in the tenant's time zone).")
    var date: CalendarDate?

    @Option(help: "Output format: text, csv or json.")
    var format: MatrixFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let reporter = MatrixReporter(terminal: output.terminal, quiet: output.quiet)
        guard !paths.isEmpty else {
            let cells = try store.reading { store in
                try checkFilters(teams: store.ids(in: .teams), sites: store.ids(in: .sites))
                return try store.availabilityRows(site: site, on: date, now: Date())
            }
            emit(bytes: reporter.report(filter(cells), format: format))
            finish(status: 0, keeping: cells)
        }
        // The rows are evaluated and rendered while the rules check the files.
        let (loaded, rendered) = try loadValidResult(paths, date: date, quiet: output.quiet) { [self] configuration, _ in
            let gate = OutboundGate(configuration: configuration, date: date, now: Date())
            return reporter.report(filter(gate.matrix { [site] agent in site == nil || agent.site.value == site }), format: format)
        }
        try checkFilters(teams: loaded.configuration.teams.keys, sites: loaded.configuration.sites.keys)
        emit(bytes: rendered)
        finish(status: 0, keeping: loaded)
    }

    /// An unknown `--team` or `--site` is a mistake, not an empty table.
    private func checkFilters<Teams: Collection<String>, Sites: Collection<String>>(teams: Teams, sites: Sites) throws {
        if let team, !teams.contains(team) {
            throw CommandFailure("unknown-team", "unknown team '\(team)'\(Suggestion.hint(for: team, in: teams))")
        }
        if let site, !sites.contains(site) {
            throw CommandFailure("unknown-site", "unknown site '\(site)'\(Suggestion.hint(for: site, in: sites))")
        }
    }

    private func filter(_ cells: [(AvailabilityKey, [ReasonCode])]) -> [MatrixRow] {
        MatrixRow.rows(cells, team: team, unavailableOnly: unavailableOnly)
    }
}
