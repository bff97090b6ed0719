import ArgumentParser
import OutboundConfig
import OutboundStore

/// `outboundctl store …`: work on the store itself.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work on the store itself.",
        subcommands: [StoreMigrateCommand.self, StoreCopyCommand.self]
    )
}

struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a store written by an older outboundctl to the current schema.",
        discussion: HelpText.discussion(
            ["Read commands never migrate a store: they read an older one as it is and say so. apply migrates too. Every revision is kept."],
            exits: [(0, "migrated, or already current"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl store migrate --store outbound.sqlite"])
    )

    @Option(help: "Output format: text or json ({\"revision\", \"migrated\"}).")
    var format: AnswerFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        // Opened directly, not through `store.reading`, whose warning would tell this very
        // command to run itself.
        let location = try store.location()
        let wasCurrent = try storeErrorsExit { try location.openForReading().isCurrentSchema }
        let revision = try store.writingExisting { try $0.currentRevision() }
        switch format {
        case .json:
            emit(JSON.object([("revision", .int(revision)), ("migrated", .bool(!wasCurrent))]).rendered(pretty: true) + "\n")
        case .text:
            guard !output.quiet else { return }
            emit(
                wasCurrent
                    ? "The store is already at the current schema (revision \(revision)).\n"
                    : "Migrated the store to the current schema; revision \(revision) and all before it kept.\n")
        }
    }
}

extension StoreMigrateCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
