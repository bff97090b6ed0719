import OutboundConfig

/// Compiler-style diagnostics: `file:line:col: error[OB201]: message`, the source line with a
/// caret under the column, `note:` lines, and a summary.
struct TextDiagnosticReporter: DiagnosticReporter {
    let terminal: Terminal
    /// Leaves out the summary line.
    var quiet = false

    func report(_ result: LoadResult) -> String {
        let sources = SourceLines()
        var output = ""
        for diagnostic in result.diagnostics {
            output += render(diagnostic, sources: sources)
        }
        if !quiet { output += summary(result) + "\n" }
        return output
    }

    func render(_ diagnostic: Diagnostic, sources: SourceLines) -> String {
        let severity = diagnostic.severity == .error
            ? terminal.paint("error[\(diagnostic.code.rawValue)]", .red)
            : terminal.paint("warning[\(diagnostic.code.rawValue)]", .yellow)
        var output = "\(terminal.paint(diagnostic.location.description, .bold)): \(severity): \(diagnostic.message)\n"
        output += excerpt(at: diagnostic.location, sources: sources)
        for note in diagnostic.notes {
            if let location = note.location, !location.isBuiltIn {
                output += "  \(terminal.paint("note", .cyan)): \(location): \(note.message)\n"
            } else {
                output += "  \(terminal.paint("note", .cyan)): \(note.message)\n"
            }
        }
        return output
    }

    private func excerpt(at location: SourceLocation, sources: SourceLines) -> String {
        guard let line = sources.line(location.line, in: location.file) else { return "" }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let caretOffset = String(line.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " })
        return "\(terminal.paint(number + " |", .dim)) \(line)\n\(terminal.paint(gutter + " |", .dim)) \(caretOffset)\(terminal.paint("^", .red))\n"
    }

    private func summary(_ result: LoadResult) -> String {
        let errors = result.diagnostics.errorCount
        let warnings = result.diagnostics.warningCount
        let text = "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(result.files.count, "file"))"
        return errors > 0 ? terminal.paint(text, .red) : (warnings > 0 ? terminal.paint(text, .yellow) : terminal.paint(text, .green))
    }
}
