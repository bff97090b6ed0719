import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// `outboundctl import …`: adopt a tenant configured elsewhere.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Adopt a tenant configured elsewhere as configuration files.",
        subcommands: [ImportWebexCommand.self]
    )
}

struct ImportWebexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webex",
        abstract: "Turn a Webex Contact Center API export into configuration files, one per section.",
        discussion: HelpText.discussion(
            [
                "DIR holds one JSON file per list endpoint, named after its API path (multimedia-profile, site, team, user, user-profile, agent-profile, entry-point, contact-service-queue, auxiliary-code), pages as NAME.2.json, …, and optionally extra.yaml with what the API does not hold (docs/webex.md).",
                "A file that is not valid JSON, or an item that breaks Cisco's schema in a field the import reads, is an error located by file and JSON path, and nothing is written; schema problems in other fields are warnings. The report lists the fields still to fill (validate of the output reports exactly those), the items not imported, the values changed to fit, the Webex fields the format has no place for, and the schema warnings, counted per list and field.",
                "--out is created if missing; a non-empty directory is refused unless --force.",
            ],
            exits: [(0, "imported"), (1, "errors in the export or extra.yaml, or --out not empty"), HelpText.usageError],
            examples: [
                "outboundctl import webex webex-export/ --out config/", "outboundctl import webex webex-export/ --out config/ --force --format json",
            ])
    )

    @Argument(help: "The directory of the Webex export.")
    var directory: String

    @Option(help: "The directory to write the configuration files to.")
    var out: String

    @Flag(help: "Write into a non-empty directory, replacing files of the same names.")
    var force = false

    @Option(help: "Output format: text or json.")
    var format: AnswerFormat = .text

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out is empty; name the directory to write the configuration files to") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("not-a-directory", "\(directory) is not a directory (the Webex export: one JSON file per list endpoint)")
        }
        let run = WebexImportRun.read(directory: URL(fileURLWithPath: directory))
        guard let imported = run.imported, let files = run.files else { fail(problems: run.problems, diagnostics: run.diagnostics) }
        try OutputDirectory(path: out, force: force).write(files)
        warn(problems: run.problems, diagnostics: run.diagnostics)
        if format == .json {
            let document = JSON.object(
                [("source", .string(directory)), ("out", .string(out)), ("files", .array(files.map { .string($0.name) }))]
                    + imported.report.jsonMembers + [("warnings", .array(run.problems.map(\.json) + run.diagnostics.map(\.json)))])
            emit(document.rendered(pretty: true) + "\n")
        } else if !output.quiet {
            emit(WebexImportReporter(terminal: output.terminal).report(imported.report, out: out))
        }
        // Exits without freeing the export and the files one object at a time.
        finish(status: 0, keeping: (run, files))
    }

    /// The located problems on standard error: export files by JSON path, extra.yaml by line.
    private func warn(problems: [WebexInputProblem], diagnostics: [Diagnostic]) {
        WebexProblemReporter.print(problems, directory: directory)
        let reporter = TextDiagnosticReporter(terminal: Terminal.standardError())
        let sources = SourceLines()
        for diagnostic in diagnostics { printError(reporter.render(diagnostic, sources: sources), terminator: "") }
    }

    private func fail(problems: [WebexInputProblem], diagnostics: [Diagnostic]) -> Never {
        warn(problems: problems, diagnostics: diagnostics)
        let errors = problems.filter { $0.severity == .error }.count + diagnostics.errorCount
        let message = "\(plural(errors, "error")) in the Webex export; nothing written"
        printError("error: \(message)")
        if format == .json {
            emit(
                JSON.object([
                    ("error", .object([("code", .string("invalid-export")), ("message", .string(message))])),
                    ("problems", .array(problems.map(\.json))), ("diagnostics", .array(diagnostics.map(\.json))),
                ]).rendered(pretty: true) + "\n")
        }
        finish(status: 1, keeping: ())
    }
}
