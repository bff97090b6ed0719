import ArgumentParser
import Foundation
import OutboundStore

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make a revision's configuration current again, as a new revision.",
        discussion: HelpText.discussion(
            [
                "Shows the plan it carried out; the message defaults to \"rollback to revision REV\".",
                "Deletions are confirmed on a terminal and need --yes without one.",
            ],
            exits: [(0, "rolled back, or nothing to change"), (1, "unknown revision, or refused"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl rollback 3 --yes"])
    )

    @Argument(help: "The revision to restore.")
    var revision: Int

    @OptionGroup var options: RevisionOptions

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        InterruptGuard.arm()
        try store.writingExisting(lockTimeout: options.lockTimeout) { store in
            let desired = try store.desiredState(ofRevision: revision, now: Date())
            try options.flow(store, output: output)
                .run(desired, message: options.message ?? "rollback to revision \(revision)", base: nil)
        }
    }
}
