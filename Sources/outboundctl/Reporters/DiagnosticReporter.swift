import ArgumentParser
import OutboundConfig

/// What `validate` (and the diagnostics of other commands) can print.
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, github, junit
}

/// Turns a load result into the text of one output format. One type per format.
protocol DiagnosticReporter {
    func report(_ result: LoadResult) -> String
}

extension DiagnosticFormat {
    func reporter(terminal: Terminal, quiet: Bool = false) -> DiagnosticReporter {
        switch self {
        case .text: TextDiagnosticReporter(terminal: terminal, quiet: quiet)
        case .json: JSONDiagnosticReporter()
        case .sarif: SARIFDiagnosticReporter()
        case .github: GitHubDiagnosticReporter()
        case .junit: JUnitDiagnosticReporter()
        }
    }
}
