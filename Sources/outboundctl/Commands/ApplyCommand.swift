import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate, plan and write the configuration to the store as a new revision, in one transaction.",
        discussion: """
            The store is created on first apply. Nothing to change: exit 0 and no revision.
            Deletions need confirmation on a terminal, or --yes without one.
            Exit status: 0 success, 1 invalid configuration or refused (stale plan, unconfirmed deletions), 3 store error.

            Example:
              outboundctl apply examples/acme --message "Q4 rollout"
            """
    )

    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(name: .customLong("plan"), help: "Apply a plan saved with `plan --out` instead of reading files.")
    var planFile: String?

    @Option(name: [.short, .long], help: "The revision's message.")
    var message: String = ""

    @Option(help: "The revision's author (default: $USER).")
    var author: String?

    @Flag(help: "Apply deletions without asking.")
    var yes = false

    @OptionGroup var store: StoreOptions

    @Flag(help: "Never colour the output.")
    var noColor = false

    func validate() throws {
        if planFile != nil, !paths.isEmpty { throw ValidationError("give either paths or --plan, not both") }
    }

    func run() throws {
        let desired: DesiredState
        var base: PlanBase?
        if let planFile {
            let saved = try SavedPlan.read(from: planFile)
            let result = ConfigurationLoader().load(documents: [(path: planFile, text: saved.document)])
            guard result.isValid else {
                printError("error: the configuration in \(planFile) is not valid")
                throw ExitCode.failure
            }
            desired = DesiredState(result.configuration)
            base = saved.base
        } else {
            desired = DesiredState(try loadValidConfiguration(paths.isEmpty ? ["."] : paths))
        }
        try store.withStore { store in
            let reporter = PlanReporter(terminal: .standardOutput(noColor: noColor), limit: 50)
            let plan = try store.plan(to: desired)
            if let base, base.storeId != nil, base.storeId != (try store.identity()) || base.revision != plan.baseRevision {
                throw StoreError.stalePlan(base.revision != plan.baseRevision
                    ? "it was made at revision \(base.revision) and the store is now at revision \(plan.baseRevision ?? 0)"
                    : "it was made for another store")
            }
            guard plan.hasChanges else {
                emit(reporter.text(plan))
                return
            }
            emit(reporter.text(plan))
            var confirmed = yes
            let deletions = plan.count(.delete)
            if deletions > 0, !yes {
                guard Terminal.standardInputIsInteractive else { throw StoreError.deletionsNeedConfirmation(deletions) }
                emit("\nThis deletes \(plural(deletions, "object")). Only 'yes' will be accepted to approve: ")
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    printError("Apply cancelled; nothing was written.")
                    throw ExitCode.failure
                }
                confirmed = true
                base = base ?? PlanBase(storeId: nil, revision: plan.baseRevision ?? 0)
            }
            let outcome = try store.apply(desired, author: author ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown",
                                          message: message, base: base, allowDeletes: confirmed)
            switch outcome {
            case .unchanged(let revision):
                emit("No changes. The configuration matches the store (revision \(revision)).\n")
            case .applied(let revision, let applied, _):
                emit("\nApplied revision \(revision): \(applied.count(.create)) created, \(applied.count(.update)) updated, \(applied.count(.delete)) deleted; "
                     + "\(plural(applied.affectedAgents, "agent")) changed outbound availability.\n")
            }
        }
    }
}
