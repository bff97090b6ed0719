import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Validate, plan and write the configuration to the store as a new revision, in one transaction.",
        discussion: HelpText.discussion(
            [
                "The store is created on first apply. With nothing to change, apply exits 0 and writes no revision.",
                "Deletions need confirmation on a terminal, or --yes without one. Ctrl-C before the commit leaves the store as it was.",
                "The author is --author, else $USER, else the login name.",
            ],
            exits: [
                (0, "applied, or nothing to change"), (1, "invalid configuration, or refused (stale plan, unconfirmed deletions)"),
                HelpText.storeError, HelpText.usageError,
            ],
            examples: ["outboundctl apply examples/acme --message \"Q4 rollout\"", "outboundctl apply --plan plan.json --yes"])
    )

    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(name: .customLong("plan"), help: "Apply a plan saved with `plan --out` instead of reading files.")
    var planFile: String?

    @OptionGroup var revision: RevisionOptions

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if planFile != nil, !paths.isEmpty { throw ValidationError("give either paths or --plan, not both") }
    }

    func run() throws {
        InterruptGuard.arm()
        let desired: DesiredState
        var base: PlanBase?
        if let planFile {
            let saved = try savedPlanProblemsFail { try SavedPlan.read(from: planFile, toolVersion: Outboundctl.version) }
            desired = try savedPlanProblemsFail { try saved.desiredState(name: planFile, now: Date()) }
            base = saved.base
        } else {
            let paths = paths.isEmpty ? ["."] : paths
            desired = try loadValidResult(paths, quiet: output.quiet) {
                let desired = DesiredState($0, now: Date(), sourceDigest: $1, sourcePaths: paths)
                desired.prepareSnapshot()
                return desired
            }.1
        }
        try store.writing(lockTimeout: revision.lockTimeout) { store in
            try revision.flow(store, output: output)
                .run(desired, message: revision.message ?? "", base: base)
        }
        finish(status: 0, keeping: desired)
    }
}
