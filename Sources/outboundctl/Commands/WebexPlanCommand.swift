import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// `outboundctl webex plan [paths]`: what `webex push` would send to the tenant.
struct WebexPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what webex push would change in a live tenant to match the files, and what it cannot.",
        discussion: HelpText.discussion(
            [
                "Pulls the tenant (or reads a saved pull with --from DIR, making no request), imports it in memory as import webex would, and matches each entity of the files with a Webex entity: by externalId, else by name (users by email).",
                "Lists per Webex entity the fields push would send (old → new), creates with every field, deletes only with --prune (otherwise the tenant's entities no file holds are unmanaged and left alone), then what is not pushable and where to change it instead, then whose outbound availability the changes move.",
                "Nothing is written to the tenant. --out saves the plan, with each touched entity's version, for webex push --plan.",
            ],
            exits: [
                (0, "planned (with --detailed-exitcode: nothing to send)"),
                (1, "invalid files or items, an externalId that names nothing in the tenant"), (2, "changes to send (with --detailed-exitcode)"),
                (3, "API or network error after retries, token refused"), HelpText.usageError,
            ],
            examples: [
                "outboundctl webex plan config/ --org $ORG --token-file ~/.webex-token",
                "outboundctl webex plan config/ --from raw/ --format markdown",
                "outboundctl webex plan config/ --out tenant.plan && outboundctl webex push --plan tenant.plan",
            ])
    )

    @OptionGroup var planning: WebexPlanningOptions

    @Option(help: "Read a saved pull (webex pull --out DIR) instead of the tenant; no request is made.")
    var from: String?

    @Flag(help: "Exit 2 when there are changes to send, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "Save the plan to this file, for webex push --plan.")
    var out: String?

    @Option(help: "Output format: text, json or markdown (a pull-request comment).")
    var format: PlanFormat = .text

    @OptionGroup var connection: WebexConnectionOptions

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let org: String
        var client: WebexClient?
        var status: StatusLine?
        if from == nil {
            let (connected, line) = try connection.connect(quiet: output.quiet || format != .text)
            (client, status, org) = (connected, line, connected.endpoint.org)
        } else {
            org = try connection.endpoint().org
        }
        let made: WebexPlanning
        do {
            made = try await WebexPlanning.make(
                planning, from: from, org: org, client: client, status: status, quiet: output.quiet, json: format == .json)
        } catch {
            await client?.shutdown()
            throw error
        }
        await client?.shutdown()
        emit(WebexPlanReporter(terminal: output.terminal).report(made.plan, format: format))
        if let out {
            let text = WebexPlanFile.text(made.plan, files: made.files.files, toolVersion: Outboundctl.version)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CommandFailure("unwritable-plan", "\(VisibleText.escaping(out)): cannot be written: \(error.localizedDescription)")
            }
            if format == .text, !output.quiet {
                emit("Saved the plan to \(VisibleText.escaping(out)); push it with `outboundctl webex push --plan \(VisibleText.escaping(out))`.\n")
            }
        }
        finish(status: detailedExitcode && made.plan.hasChanges ? 2 : 0, keeping: made)
    }
}

extension WebexPlanCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
