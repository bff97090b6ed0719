import ArgumentParser
import Foundation
import OutboundConfig
import OutboundStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the store's revisions: number, time, author, message and change counts.",
        discussion: HelpText.discussion(
            ["Newest first. Time is UTC; changes count created, updated and deleted objects."],
            exits: [(0, "success"), HelpText.storeError, HelpText.usageError],
            examples: ["outboundctl history", "outboundctl history --format json"])
    )

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var store: StoreOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let revisions = try store.reading { try $0.history() }
        switch format {
        case .json:
            emit(RevisionInfo.historyJSON(revisions).rendered(pretty: true) + "\n")
        case .text:
            guard !revisions.isEmpty else { return emit("No revisions yet.\n") }
            emit(Self.table(revisions.reversed()))
        }
    }

    /// Columns as wide as their widest cell (authors and counts can be long); the message,
    /// last, is never cut. Text from the store is shown with control characters escaped.
    static func table(_ revisions: [RevisionInfo]) -> String {
        let header = ["REV", "TIME", "AUTHOR", "CHANGES", "MESSAGE"]
        let rows = revisions.map { revision in
            [
                String(revision.number), revision.time, VisibleText.escaping(revision.author),
                "+\(revision.creates) ~\(revision.updates) -\(revision.deletes)", VisibleText.escaping(revision.message),
            ]
        }
        let widths = (0..<header.count - 1).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            (zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) } + [cells[header.count - 1]])
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
    }
}
