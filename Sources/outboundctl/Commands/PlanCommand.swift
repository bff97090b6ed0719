import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change in the store, and whose outbound availability it changes.",
        discussion: HelpText.discussion(
            [
                "Creates, updates (field by field, old → new) and deletes, then whose outbound availability changes.",
                "A missing store plans from nothing (all creates) and creates nothing. The store is only read.",
            ],
            exits: [
                (0, "success (with --detailed-exitcode: no changes)"), (1, "invalid configuration"),
                (2, "changes found (with --detailed-exitcode)"), HelpText.storeError, HelpText.usageError,
            ],
            examples: ["outboundctl plan examples/acme", "outboundctl plan examples/acme --out acme.plan", "outboundctl apply --plan acme.plan"])
    )

    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: "Save the plan to this file, for `apply --plan`.")
    var out: String?

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "Output format: text, json or markdown (a pull-request comment).")
    var format: PlanFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let desired = try loadValidResult(paths.isEmpty ? ["."] : paths, quiet: output.quiet) { DesiredState($0, now: Date(), sourceDigest: $1) }.1
        let (plan, base) = try store.planIfExists(to: desired)
        emit(PlanReporter(terminal: output.terminal).report(plan, format: format))
        if let out {
            try savedPlanProblemsFail { try SavedPlan(desired, plan: plan, base: base).write(to: out, toolVersion: Outboundctl.version) }
            if format == .text, !output.quiet { emit("Saved the plan to \(out); apply it with `outboundctl apply --plan \(out)`.\n") }
        }
        finish(status: detailedExitcode && plan.hasChanges ? 2 : 0, keeping: (desired, plan))
    }
}
