import ArgumentParser
import OutboundConfig

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Show outbound availability of every active agent, team and channel, with reason counts.",
        discussion: """
            Reads the configuration files when paths are given, else the store.
            The summary counts rows (an agent in two teams has a row per team and channel).

            Example:
              outboundctl matrix examples/acme --unavailable-only --format csv
            """
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
            let cells = try store.reading { try $0.availabilityRows(site: site) }
            emit(bytes: reporter.report(filter(cells), format: format))
            finish(status: 0, keeping: cells)
        }
        // The rows are evaluated and rendered while the rules check the files.
        let (loaded, rendered) = try loadValidResult(paths, date: date, quiet: output.quiet) { [self] configuration, _ in
            let gate = OutboundGate(configuration: configuration, date: date)
            return reporter.report(filter(gate.matrix { [site] agent in site == nil || agent.site.value == site }), format: format)
        }
        emit(bytes: rendered)
        finish(status: 0, keeping: loaded)
    }

    private func filter(_ cells: [(AvailabilityKey, [ReasonCode])]) -> [MatrixRow] {
        var rows = cells.map { MatrixRow(agent: $0.0.agent, team: $0.0.team, channel: $0.0.channel, reasons: $0.1) }
        if let team { rows = rows.filter { $0.team == team } }
        if unavailableOnly { rows = rows.filter { !$0.available } }
        return rows
    }
}
