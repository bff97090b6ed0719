import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the store's current configuration as YAML files, one per section.",
        discussion: HelpText.discussion(
            [
                "Writes the store's current configuration as YAML files that validate and plan to no change against the store.",
                "--out is created if missing; a non-empty directory is refused unless --force.",
            ],
            exits: [(0, "exported"), (1, "refused (a non-empty directory) or not writable"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl export --out exported/"])
    )

    @Option(help: "The directory to write to.")
    var out: String

    @Flag(help: "Write into a non-empty directory, replacing files of the same names.")
    var force = false

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    @Option(help: "Output format: text or json ({\"revision\", \"directory\", \"files\"}).")
    var format: AnswerFormat = .text

    func run() throws {
        let (revision, entities) = try store.reading { store in
            (try store.currentRevision(), try store.entities())
        }
        let files = ExportedFiles.render(entities: entities, revision: revision)
        try OutputDirectory(path: out, force: force).write(files)
        if format == .json {
            emit(
                JSON.object([("revision", .int(revision)), ("directory", .string(out)), ("files", .array(files.map { .string($0.0) }))]).rendered(
                    pretty: true) + "\n")
        } else if !output.quiet {
            emit("Exported revision \(revision) to \(out): \(files.map(\.0).joined(separator: ", ")).\n")
        }
    }
}
