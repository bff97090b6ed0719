import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// The options `webex plan` and `webex push` share, and the plan they make: the files loaded
/// and checked, the tenant pulled (or a saved pull read), imported in memory, and compared.
struct WebexPlanningOptions: ParsableArguments {
    @Argument(help: "Configuration files or directories (default: the current directory).")
    var paths: [String] = []

    @Option(help: "What the API does not hold, as import webex reads it from extra.yaml (default: none, or DIR's with --from).")
    var extra: String?

    @Flag(help: "Delete the tenant's entities that no file holds (never users; never what import webex leaves out).")
    var prune = false
}

/// A plan made: what the tenant read and the files gave it.
struct WebexPlanning {
    var plan: WebexPlan
    var files: LoadResult

    /// Makes the plan; a client given means the tenant is pulled with it, none that `from`
    /// (a saved pull) is read instead. Problems end the command: invalid files or items exit 1,
    /// the API's failures 3.
    static func make(
        _ options: WebexPlanningOptions, from: String?, org: String, client: WebexClient?, status: StatusLine?, quiet: Bool, json: Bool
    ) async throws -> WebexPlanning {
        let paths = options.paths.isEmpty ? ["."] : options.paths
        let files = try loadValidResult(paths, quiet: quiet)
        let extra = options.extra.map { WebexExtra.read(file: URL(fileURLWithPath: $0), path: $0) }
        var tenant: WebexTenantRead
        if let client {
            let outcome: WebexPull.Outcome
            let workType: WebexLookup
            do {
                outcome = try await WebexPull.run(client: client, pageSize: 100)
                workType = try await WebexTenantRead.wrapUpWorkType(client: client)
            } catch let error as WebexAPIError {
                status?.clear()
                throw CommandFailure(error.code, "\(error)", status: 3)
            }
            status?.clear()
            if outcome.hasErrors { fail(outcome.problems, [], json: json, what: "in what the tenant sent") }
            tenant = WebexTenantRead.read(files: outcome.files, extra: extra ?? (WebexExtra(), []))
            tenant.wrapUpWorkType = workType
        } else {
            let directory = from ?? "."
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure("not-a-directory", "--from \(VisibleText.escaping(directory)): not a directory (a webex pull --out DIR)")
            }
            tenant = WebexTenantRead.read(directory: URL(fileURLWithPath: directory), extra: extra)
        }
        let run = tenant.run
        guard let imported = run.imported, !imported.hasErrors else {
            fail(run.problems, run.diagnostics, json: json, what: "in the tenant's lists or the extra data")
        }
        let (plan, errors) = WebexPlanner.plan(
            files: files.configuration, tenant: tenant, imported: imported, org: org, prune: options.prune, now: Date())
        if !errors.isEmpty {
            for error in errors { printError(VisibleText.escaping("\(error)")) }
            let message = "\(plural(errors.count, "error")) matching the files with the tenant; nothing planned"
            guard json else { throw CommandFailure("unmatched-external-id", message) }
            printError("error: \(message)")
            let problems = errors.map { error in
                JSON.object([
                    ("file", error.location.map { .string($0.file) } ?? .null), ("line", error.location.map { .int($0.line) } ?? .null),
                    ("column", error.location.map { .int($0.column) } ?? .null), ("path", .string(error.path)), ("message", .string(error.message)),
                ])
            }
            emit(
                JSON.object([
                    ("error", .object([("code", .string("unmatched-external-id")), ("message", .string(message))])), ("problems", .array(problems)),
                ]).rendered(pretty: true) + "\n")
            finish(status: 1, keeping: ())
        }
        return WebexPlanning(plan: plan, files: files)
    }

    private static func fail(_ problems: [WebexInputProblem], _ diagnostics: [Diagnostic], json: Bool, what: String) -> Never {
        WebexProblemReporter.print(problems, directory: nil)
        let reporter = TextDiagnosticReporter(terminal: Terminal.standardError())
        let sources = SourceLines()
        for diagnostic in diagnostics { printError(reporter.render(diagnostic, sources: sources), terminator: "") }
        let errors = problems.filter { $0.severity == .error }.count + diagnostics.errorCount
        let message = "\(plural(errors, "error")) \(what); nothing planned"
        printError("error: \(message)")
        if json {
            emit(
                JSON.object([
                    ("error", .object([("code", .string("invalid-items")), ("message", .string(message))])),
                    ("problems", .array(problems.map(\.json))), ("diagnostics", .array(diagnostics.map(\.json))),
                ]).rendered(pretty: true) + "\n")
        }
        finish(status: 1, keeping: ())
    }
}
