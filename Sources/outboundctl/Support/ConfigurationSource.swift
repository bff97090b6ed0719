import ArgumentParser
import OutboundConfig

/// Loads configuration files for commands that need a valid configuration: on errors the
/// diagnostics go to standard error and the command exits 1. Warnings are `validate`'s
/// business, so the readiness pass is skipped.
func loadValidConfiguration(_ paths: [String], date: CalendarDate? = nil, quiet: Bool = false) throws -> Configuration {
    try loadValidResult(paths, date: date, quiet: quiet).configuration
}

/// The same, keeping the whole load result (its source digest lets an unchanged apply stop early).
func loadValidResult(_ paths: [String], date: CalendarDate? = nil, quiet: Bool = false) throws -> LoadResult {
    let result = loadWithProgress(paths, loader: ConfigurationLoader(date: date, readinessWarnings: false), quiet: quiet)
    guard result.isValid else {
        let reporter = TextDiagnosticReporter(terminal: .standardError())
        printError(reporter.report(LoadResult(configuration: result.configuration,
                                              diagnostics: result.diagnostics.filter { $0.severity == .error },
                                              files: result.files)), terminator: "")
        throw ExitCode.failure
    }
    return result
}

/// Loads `paths`, with a status line on a terminal when there is a lot to read.
func loadWithProgress(_ paths: [String], loader: ConfigurationLoader, quiet: Bool) -> LoadResult {
    Progress.whileRunning("Loading and checking \(paths.joined(separator: " "))…", when: Progress.megabytes(of: paths) > 2, quiet: quiet) {
        loader.load(paths: paths)
    }
}

extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}

extension AgentState: ExpressibleByArgument {}

/// `--channel`: only the outbound channels.
enum OutboundChannel: String, ExpressibleByArgument, CaseIterable {
    case sms, email

    var channel: Channel { self == .sms ? .sms : .email }
}
