import Foundation
import OutboundConfig

/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=OB201::message`),
/// escaped as the runner expects; and, when `$GITHUB_STEP_SUMMARY` is set, a markdown summary
/// appended to it (GitHub shows only ten annotations per step, the summary shows 50).
struct GitHubDiagnosticReporter: DiagnosticReporter {
    var environment: [String: String] = ProcessInfo.processInfo.environment

    func report(_ result: LoadResult) -> String {
        var output = ""
        for diagnostic in result.diagnostics {
            let properties = [
                "file=\(Self.escapeProperty(diagnostic.location.file))",
                "line=\(diagnostic.location.line)",
                "col=\(diagnostic.location.column)",
                "title=\(Self.escapeProperty(diagnostic.code.rawValue))",
            ].joined(separator: ",")
            output += "::\(diagnostic.severity == .error ? "error" : "warning") \(properties)::\(Self.escapeData(diagnostic.message))\n"
        }
        if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            appendSummary(result, to: path)
        }
        return output
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    static func summary(_ result: LoadResult) -> String {
        let errors = result.diagnostics.errorCount
        let warnings = result.diagnostics.warningCount
        var text = "## outboundctl validate\n\n"
        text += errors == 0 ? "✅ " : "❌ "
        text += "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(result.files.count, "file"))\n"
        guard !result.diagnostics.isEmpty else { return text }
        text += "\n| | code | location | message |\n|---|---|---|---|\n"
        for diagnostic in result.diagnostics.prefix(50) {
            let message = diagnostic.message.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            text += "| \(diagnostic.severity == .error ? "❌" : "⚠️") | \(diagnostic.code.rawValue) | `\(diagnostic.location)` | \(message) |\n"
        }
        if result.diagnostics.count > 50 { text += "\n… and \(result.diagnostics.count - 50) more.\n" }
        return text
    }

    private func appendSummary(_ result: LoadResult, to path: String) {
        let data = Data((Self.summary(result) + "\n").utf8)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(data)
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: data)
        }
    }
}
