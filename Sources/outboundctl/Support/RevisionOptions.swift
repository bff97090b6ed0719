import ArgumentParser
import Foundation
import OutboundStore

/// The options of commands that write a revision (`apply`, `rollback`).
struct RevisionOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The revision's message.")
    var message: String?

    @Option(help: "The revision's author (default: $USER, else the login name).")
    var author: String?

    @Flag(help: "Apply deletions without asking.")
    var yes = false

    @Option(help: "Refuse (exit 1, nothing written) unless the store is at this revision.")
    var expectRevision: Int?

    @Option(help: "Seconds to wait for another apply holding the store (then exit 3).")
    var lockTimeout: Double = OutboundStore.defaultLockTimeout

    @Option(help: "Output format: text or json ({\"applied\", \"revision\", \"plan\"}).")
    var format: AnswerFormat = .text

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else { throw ValidationError("--lock-timeout must be a number of seconds, 0 or more") }
    }

    /// The flow that writes the revision with these options.
    func flow(_ store: OutboundStore, output: OutputOptions) -> ApplyFlow {
        ApplyFlow(
            store: store, terminal: output.terminal, quiet: output.quiet, yes: yes, expectedRevision: expectRevision,
            author: author ?? Self.defaultAuthor, json: format == .json)
    }

    /// `$USER`, else the login name (of the terminal, else of the effective user).
    static var defaultAuthor: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        if let login = getlogin() { return String(cString: login) }
        if let entry = getpwuid(geteuid()) { return String(cString: entry.pointee.pw_name) }
        return "uid \(geteuid())"
    }
}
