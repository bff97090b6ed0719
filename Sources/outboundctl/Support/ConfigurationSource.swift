import ArgumentParser
import Foundation
import OutboundConfig

/// Loads configuration files for commands that need a valid configuration: on errors the
/// diagnostics go to standard error and the command exits 1. Warnings are `validate`'s
/// business, so the readiness pass is skipped.
func loadValidConfiguration(_ paths: [String], date: CalendarDate? = nil, quiet: Bool = false) throws -> Configuration {
    try loadValidResult(paths, date: date, quiet: quiet).configuration
}

/// The same, keeping the whole load result (its source digest lets an unchanged apply stop early).
func loadValidResult(_ paths: [String], date: CalendarDate? = nil, quiet: Bool = false) throws -> LoadResult {
    try loadValidResult(paths, date: date, quiet: quiet, alongside: { _, _ in () }).0
}

/// The same, running the command's own `work` on the configuration while the rules check it
/// (see `ConfigurationLoader.load(paths:alongside:)`); its result is returned only when valid.
func loadValidResult<Work: Sendable>(
    _ paths: [String], date: CalendarDate? = nil, quiet: Bool = false,
    alongside work: @escaping @Sendable (Configuration, _ sourceDigest: String) -> Work
) throws -> (LoadResult, Work) {
    let loader = ConfigurationLoader(date: date, now: Date(), readinessWarnings: false)
    let (result, output) = loadWithProgress(paths, quiet: quiet) { loader.load(paths: paths, alongside: work) }
    guard result.isValid, let output else {
        var errorsOnly = result
        errorsOnly.diagnostics.removeAll { $0.severity != .error }
        throw CommandFailure(
            "invalid-configuration", "the configuration has \(plural(errorsOnly.diagnostics.count, "error")); nothing was done",
            invalid: errorsOnly)
    }
    return (result, output)
}

/// Runs `load` on `paths`, with a status line on a terminal when there is a lot to read.
func loadWithProgress<Loaded>(_ paths: [String], quiet: Bool, _ load: () -> Loaded) -> Loaded {
    Progress.whileRunning("Loading and checking \(paths.joined(separator: " "))…", when: Progress.megabytes(of: paths) > 2, quiet: quiet, load)
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
