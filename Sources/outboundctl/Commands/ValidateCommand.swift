import ArgumentParser
import Foundation
import OutboundConfig

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load the configuration files and report every problem with its location.",
        discussion: HelpText.discussion(
            ["Directories are searched for *.yaml and *.yml files (hidden entries skipped), in sorted order."],
            exits: [(0, "valid (warnings allowed)"), (1, "invalid"), HelpText.usageError],
            examples: ["outboundctl validate examples/acme", "outboundctl validate . --format sarif > results.sarif"])
    )

    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: "Output format: \(DiagnosticFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: DiagnosticFormat = .text

    @OptionGroup var output: OutputOptions

    func run() throws {
        let paths = paths.isEmpty ? ["."] : paths
        let result = loadWithProgress(paths, quiet: output.quiet) { ConfigurationLoader(now: Date()).load(paths: paths) }
        emit(format.reporter(terminal: output.terminal, quiet: output.quiet).report(result))
        finish(status: result.isValid ? 0 : 1, keeping: result)
    }
}
