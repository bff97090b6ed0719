import ArgumentParser
import OutboundConfig

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the file format's JSON Schema, or explain one field of it.",
        discussion: HelpText.discussion(
            [
                "Without a field, prints the JSON Schema editors use (yaml-language-server).",
                "With a dotted field path (section, then field names; no ids), explains the field: type, allowed values, default, whether it is required, description, and what it does to outbound availability.",
            ],
            exits: [(0, "success"), (1, "unknown field"), HelpText.usageError],
            examples: ["outboundctl schema multimediaProfiles.email.assignment", "outboundctl schema agents"])
    )

    @Argument(help: "A field path such as agents.licence or multimediaProfiles.email.assignment.")
    var field: String?

    @Option(help: "Output format for a field: text or json (the field's schema).")
    var format: AnswerFormat = .text

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let field else { return emit(embeddedSchema + "\n") }
        do {
            let explainer = try SchemaExplainer()
            emit(format == .json ? try explainer.node(at: field).rendered(pretty: true) + "\n" : try explainer.explain(field))
        } catch let failure as SchemaExplainer.Failure {
            throw CommandFailure("unknown-field", "\(failure)")
        }
    }
}
