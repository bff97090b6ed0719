import Foundation
import OutboundWebex

/// Problems with what Webex sent, one a line on standard error: `PLACE: JSON-PATH: severity:
/// message`, the place being a file of an export (`raw/user.2.json`) or the request that read
/// the item from the tenant (`v2/user?page=3`). Shared by `import webex` and `webex pull`, so a
/// problem reads the same whichever found it.
enum WebexProblemReporter {
    /// `directory`: the export the files are in; nil when the places are requests.
    static func print(_ problems: [WebexInputProblem], directory: String?) {
        let terminal = Terminal.standardError()
        for problem in problems {
            let severity = problem.severity == .error ? terminal.paint("error", .red) : terminal.paint("warning", .yellow)
            let file = directory.map { problem.file.isEmpty ? $0 : ($0 as NSString).appendingPathComponent(problem.file) } ?? problem.file
            // A problem of the directory itself (it is empty, it cannot be listed) has no file and no path.
            let place = VisibleText.escaping(problem.file.isEmpty ? file : "\(file): \(problem.jsonPath)")
            printError("\(terminal.paint(place, .bold)): \(severity): \(VisibleText.escaping(problem.message))")
        }
    }
}
