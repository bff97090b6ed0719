import ArgumentParser
import OutboundConfig

@main
struct Outboundctl: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "outboundctl",
        abstract: "Validate, plan and apply a contact center's outbound configuration; explain outbound availability.",
        version: version,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, ExplainCommand.self, MatrixCommand.self,
            DiffCommand.self, HistoryCommand.self, RollbackCommand.self, ExportCommand.self, SchemaCommand.self,
        ]
    )
}
