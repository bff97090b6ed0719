import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Plan between two configurations without a store (e.g. a pull request's base and head).",
        discussion: HelpText.discussion(
            ["Compares two checkouts of the configuration, impact included, without a store: for a pull request's base and head."],
            exits: [
                (0, "success (with --detailed-exitcode: no changes)"), (1, "invalid configuration"),
                (2, "changes found (with --detailed-exitcode)"), HelpText.usageError,
            ],
            examples: ["outboundctl diff base/config head/config --detailed-exitcode"])
    )

    @Argument(help: "The old configuration: a file or directory.")
    var old: String

    @Argument(help: "The new configuration: a file or directory.")
    var new: String

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "The evaluation date for licences, YYYY-MM-DD (default: today in the tenant's time zone).")
    var date: CalendarDate?

    @Option(help: "Output format: text, json or markdown (a pull-request comment).")
    var format: PlanFormat = .text

    @OptionGroup var output: OutputOptions

    func run() throws {
        let now = Date()
        let before = DesiredState(try loadValidConfiguration([old], date: date, quiet: output.quiet), date: date, now: now)
        let after = DesiredState(try loadValidConfiguration([new], date: date, quiet: output.quiet), date: date, now: now)
        let plan = after.plan(from: before, baseRevision: nil)
        var output = PlanReporter(terminal: output.terminal).report(plan, format: format)
        if format == .text, !plan.hasChanges { output = "No changes between \(old) and \(new).\n" }
        emit(output)
        finish(status: detailedExitcode && plan.hasChanges ? 2 : 0, keeping: (before, after, plan))
    }
}
