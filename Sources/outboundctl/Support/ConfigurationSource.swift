import ArgumentParser
import OutboundConfig

/// Loads configuration files for commands that need a valid configuration: on errors the
/// diagnostics go to standard error and the command exits 1. Warnings are `validate`'s
/// business, so the readiness pass is skipped.
func loadValidConfiguration(_ paths: [String], date: CalendarDate? = nil) throws -> Configuration {
    let result = ConfigurationLoader(date: date, readinessWarnings: false).load(paths: paths)
    guard result.isValid else {
        let reporter = TextDiagnosticReporter(terminal: .standardError())
        printError(reporter.report(LoadResult(configuration: result.configuration,
                                              diagnostics: result.diagnostics.filter { $0.severity == .error },
                                              files: result.files)), terminator: "")
        throw ExitCode.failure
    }
    return result.configuration
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
