import ArgumentParser
import Foundation
import OutboundConfig

@main
struct Outboundctl: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "outboundctl",
        abstract: "Validate, plan and apply a contact center's outbound configuration; explain outbound availability.",
        discussion: """
            Exit status: 0 success, 1 invalid configuration, refused operation or unavailable verdict,
            2 changes found (plan/diff --detailed-exitcode), 3 store error (for webex commands: API or network
            error, token refused), 64 usage error.
            """,
        version: version,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, ExplainCommand.self, MatrixCommand.self,
            DiffCommand.self, HistoryCommand.self, RollbackCommand.self, ExportCommand.self, SchemaCommand.self,
            StoreCommand.self, ServeCommand.self, ImportCommand.self, WebexCommand.self,
        ]
    )

    /// Parses and runs the command, reporting a `CommandFailure` in one place: as text, and
    /// as an error document when a machine format was asked for (usage errors included).
    /// Async so that `serve` runs its server on the cooperative pool with nothing waiting for
    /// it; the other commands are synchronous and run on the main thread as before.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) != .success, let format = MachineFormat.requested(in: arguments) {
                emit(CommandFailure("usage", message(for: error), status: ExitCode.validationFailure.rawValue).document(format))
            }
            exit(withError: error)
        }
        do {
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            failure.report(format: (command as? MachineReadableCommand)?.machineFormat)
            fflush(nil)
            Foundation.exit(failure.status)
        } catch {
            exit(withError: error)
        }
    }
}
