import ArgumentParser
import OutboundConfig
import OutboundStore

/// Why a command failed, as a value: commands throw it, and `Outboundctl.main` reports it
/// once — as text on standard error and, when the command was asked for a machine format,
/// as that format's error document on standard output, so a script always gets a document
/// it can parse (`{"error": {"code", "message"}}` for JSON).
struct CommandFailure: Error {
    /// A stable, kebab-case code (documented in docs/reference.md).
    var code: String
    var message: String
    var status: Int32
    /// The errors of a configuration that did not validate.
    var invalid: LoadResult?

    init(_ code: String, _ message: String, status: Int32 = 1, invalid: LoadResult? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.invalid = invalid
    }

    init(_ error: StoreError) {
        self.init(error.code, "\(error)", status: error.isRefusal ? 1 : 3)
    }

    /// Reports the failure; `format` is the machine format the command was asked for, if any.
    func report(format: MachineFormat?) {
        if let invalid {
            printError(TextDiagnosticReporter(terminal: .standardError()).report(invalid), terminator: "")
        } else {
            printError("error: \(message)")
        }
        if let format { emit(document(format)) }
    }

    /// The error document of `format`.
    func document(_ format: MachineFormat) -> String {
        switch format {
        case .json:
            var members: [(String, JSON)] = [("error", .object([("code", .string(code)), ("message", .string(message))]))]
            if let invalid {
                members += [("errors", .int(invalid.diagnostics.errorCount)), ("diagnostics", .array(invalid.diagnostics.map(\.json)))]
            }
            return JSON.object(members).rendered(pretty: true) + "\n"
        case .sarif:
            return SARIFDiagnosticReporter.failedRun(code: code, message: message)
        case .junit:
            return JUnitDiagnosticReporter.failedRun(code: code, message: message)
        case .github:
            return "::error title=outboundctl \(code)::\(GitHubDiagnosticReporter.escapeData(message))\n"
        }
    }
}

/// The formats whose output a program reads: they must stay parseable when a command fails.
enum MachineFormat: String {
    case json, sarif, junit, github

    /// The machine format named by `--format` in raw arguments (for usage errors, which
    /// happen before any command exists).
    static func requested(in arguments: [String]) -> MachineFormat? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--format", index + 1 < arguments.count { return MachineFormat(rawValue: arguments[index + 1]) }
            if argument.hasPrefix("--format=") { return MachineFormat(rawValue: String(argument.dropFirst("--format=".count))) }
        }
        return nil
    }
}

/// A command whose `--format` may ask for a machine format.
protocol MachineReadableCommand {
    var formatName: String { get }
}

extension MachineReadableCommand {
    var machineFormat: MachineFormat? { MachineFormat(rawValue: formatName) }
}

extension ValidateCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension PlanCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension ApplyCommand: MachineReadableCommand { var formatName: String { revision.format.rawValue } }
extension ExplainCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension MatrixCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension DiffCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension HistoryCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension RollbackCommand: MachineReadableCommand { var formatName: String { options.format.rawValue } }
extension ExportCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension SchemaCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension StoreCopyCommand: MachineReadableCommand { var formatName: String { format.rawValue } }
extension ImportWebexCommand: MachineReadableCommand { var formatName: String { format.rawValue } }

extension StoreError {
    /// The failure code of `CommandFailure` for this store error.
    var code: String {
        switch self {
        case .missing: "store-missing"
        case .unreadable: "store-unreadable"
        case .locked: "store-locked"
        case .newerSchema: "store-newer-schema"
        case .stalePlan: "stale-plan"
        case .deletionsNeedConfirmation: "deletions-need-confirmation"
        case .unknownRevision: "unknown-revision"
        case .moved: "store-moved"
        case .targetNotEmpty: "store-not-empty"
        }
    }
}

/// Runs `body`, a saved plan's problem becoming the command's failure (exit 1).
func savedPlanProblemsFail<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let problem as SavedPlan.Problem {
        throw CommandFailure(problem.code, problem.message, invalid: problem.invalid)
    }
}
