import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make a revision's configuration current again, as a new revision.",
        discussion: """
            Shows the plan first. Deletions need --yes without a terminal.
            Exit status: 0 success, 1 unknown revision or refused, 3 store error.

            Example:
              outboundctl rollback 3 --yes
            """
    )

    @Argument(help: "The revision to restore.")
    var revision: Int

    @Option(help: "The new revision's message (default: \"rollback to revision REV\").")
    var message: String?

    @Option(help: "The new revision's author (default: $USER).")
    var author: String?

    @Flag(help: "Apply deletions without asking.")
    var yes = false

    @Option(help: "Output format: text or json ({\"applied\", \"revision\", \"plan\"}).")
    var format: AnswerFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        try store.withExistingStore { store in
            let snapshot = try store.snapshot(revision: revision)
            let result = ConfigurationLoader(readinessWarnings: false).load(documents: [(path: "revision \(revision)", text: snapshot.document)])
            let desired = DesiredState(result.configuration)
            try ApplyFlow(store: store, terminal: output.terminal, quiet: output.quiet, yes: yes,
                          author: author ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown", json: format == .json)
                .run(desired, message: message ?? "rollback to revision \(revision)", base: nil)
        }
    }
}
