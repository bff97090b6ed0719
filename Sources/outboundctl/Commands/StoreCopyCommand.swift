import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

/// `outboundctl store copy FROM TO`: moves a whole store, history included, between backends
/// (SQLite → PostgreSQL when a team outgrows the embedded store, and back).
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole store, every revision with its history, into an empty store (SQLite ↔ PostgreSQL).",
        discussion: HelpText.discussion(
            [
                "FROM and TO are each a SQLite file or a postgres:// URL. TO is created when missing and must have no revision.",
                "The copy gets an identity of its own: plans saved on FROM are refused by TO. FROM is only read.",
            ],
            exits: [(0, "copied"), (1, "TO already has revisions (nothing written)"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl store copy outbound.sqlite 'postgres://admin@db.example/outbound?schema=acme'"])
    )

    @Argument(help: "The store to copy: a SQLite file or a postgres:// URL.")
    var from: String

    @Argument(help: "The empty store to fill: a SQLite file or a postgres:// URL.")
    var to: String

    @Option(help: "Output format: text or json ({\"revisions\", \"revision\", \"identity\"}).")
    var format: AnswerFormat = .text

    @Option(help: "Seconds to wait for an apply on TO.")
    var lockTimeout: Double = OutboundStore.defaultLockTimeout

    @OptionGroup var output: OutputOptions

    func run() throws {
        let source = try StoreLocation(from)
        let target = try StoreLocation(to)
        let (copied, revision, identity) = try storeErrorsExit {
            let original = try source.openForReading()
            guard original.isCurrentSchema else { throw source.olderSchemaRefused }
            let copy = try target.open(lockTimeout: lockTimeout)
            let copied = try original.copy(into: copy)
            return (copied, try copy.currentRevision(), try copy.identity())
        }
        switch format {
        case .json:
            emit(
                JSON.object([("revisions", .int(copied)), ("revision", .int(revision)), ("identity", .string(identity))]).rendered(pretty: true)
                    + "\n")
        case .text:
            guard !output.quiet else { return }
            emit(
                "Copied \(copied) revision\(copied == 1 ? "" : "s") from \(source.display) to \(target.display) (now at revision \(revision); its identity is \(identity)).\n"
            )
        }
    }
}
