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
        guard !quiet else { return output }
        if !result.everyFileParsed {
            output += "\(terminal.paint("note", .cyan)): checks across files (references, the tenant, readiness warnings) wait until every file parses\n"
        }
        return output + summary(result) + "\n"
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

    /// Widest excerpt shown: a longer line (generated or minified YAML) is cut to this many
    /// characters around the column, with `…` where text was left out.
    static let excerptWidth = 120

    private func excerpt(at location: SourceLocation, sources: SourceLines) -> String {
        guard let line = sources.line(location.line, in: location.file) else { return "" }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let (shown, caretColumn) = Self.window(line, column: location.column)
        let caretOffset = String(shown.prefix(max(0, caretColumn - 1)).map { $0 == "\t" ? "\t" : " " })
        return "\(terminal.paint(number + " |", .dim)) \(shown)\n\(terminal.paint(gutter + " |", .dim)) \(caretOffset)\(terminal.paint("^", .red))\n"
    }

    /// The part of `line` to show, and where `column` falls in it.
    static func window(_ line: String, column: Int) -> (text: String, column: Int) {
        let count = line.count
        guard count > excerptWidth else { return (line, column) }
        let start = min(max(0, column - 1 - excerptWidth / 2), count - excerptWidth)
        let from = line.index(line.startIndex, offsetBy: start)
        let to = line.index(from, offsetBy: excerptWidth)
        let lead = start > 0 ? "…" : ""
        let tail = to < line.endIndex ? "…" : ""
        return (lead + line[from..<to] + tail, column - start + lead.count)
    }

    private func summary(_ result: LoadResult) -> String {
        let errors = result.diagnostics.errorCount
        let warnings = result.diagnostics.warningCount
        let text = "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(result.files.count, "file"))"
        return errors > 0 ? terminal.paint(text, .red) : (warnings > 0 ? terminal.paint(text, .yellow) : terminal.paint(text, .green))
    }
}
