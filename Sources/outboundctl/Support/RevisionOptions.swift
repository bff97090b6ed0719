import ArgumentParser
import Foundation
import OutboundStore

/// The options of commands that write a revision (`apply`, `rollback`).
struct RevisionOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The revision's message.")
    var message: String?

    @Option(help: "The revision's author (default: $USER).")
    var author: String?

    @Flag(help: "Apply deletions without asking.")
    var yes = false

    @Option(help: "Output format: text or json ({\"applied\", \"revision\", \"plan\"}).")
    var format: AnswerFormat = .text

    /// The flow that writes the revision with these options.
    func flow(_ store: OutboundStore, output: OutputOptions) -> ApplyFlow {
        ApplyFlow(store: store, terminal: output.terminal, quiet: output.quiet, yes: yes,
                  author: author ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown", json: format == .json)
    }
}
