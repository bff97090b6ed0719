import ArgumentParser
import OutboundConfig
import OutboundStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the store's revisions: number, time, author, message and change counts.",
        discussion: """
            Exit status: 0 success, 3 store error (including a missing store).

            Example:
              outboundctl history --format json
            """
    )

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var store: StoreOptions

    func run() throws {
        let revisions = try store.reading { try $0.history() }
        switch format {
        case .json:
            emit(JSON.object([("revisions", .array(revisions.map { revision in
                .object([
                    ("revision", .int(revision.number)),
                    ("time", .string(revision.time)),
                    ("author", .string(revision.author)),
                    ("message", .string(revision.message)),
                    ("digest", .string(revision.digest)),
                    ("changes", .object([("create", .int(revision.creates)), ("update", .int(revision.updates)), ("delete", .int(revision.deletes))])),
                ])
            }))]).rendered(pretty: true) + "\n")
        case .text:
            guard !revisions.isEmpty else { return emit("No revisions yet.\n") }
            var output = "REV  TIME                  AUTHOR          CHANGES          MESSAGE\n"
            for revision in revisions.reversed() {
                let changes = "+\(revision.creates) ~\(revision.updates) -\(revision.deletes)"
                output += "\(pad(String(revision.number), 4)) \(pad(revision.time, 21)) \(pad(revision.author, 15)) \(pad(changes, 16)) \(revision.message)\n"
            }
            emit(output)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
