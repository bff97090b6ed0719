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
            output +=
                "\(terminal.paint("note", .cyan)): checks across files (references, the tenant, readiness warnings) wait until every file parses\n"
        }
        return output + summary(result) + "\n"
    }

    func render(_ diagnostic: Diagnostic, sources: SourceLines) -> String {
        let severity =
            diagnostic.severity == .error
            ? terminal.paint("error[\(diagnostic.code.rawValue)]", .red)
            : terminal.paint("warning[\(diagnostic.code.rawValue)]", .yellow)
        let place = VisibleText.escaping(diagnostic.location.description)
        var output = "\(terminal.paint(place, .bold)): \(severity): \(VisibleText.escaping(diagnostic.message))\n"
        output += excerpt(at: diagnostic.location, sources: sources)
        for note in diagnostic.notes {
            let message = VisibleText.escaping(note.message)
            if let location = note.location, !location.isBuiltIn {
                output += "  \(terminal.paint("note", .cyan)): \(VisibleText.escaping(location.description)): \(message)\n"
            } else {
                output += "  \(terminal.paint("note", .cyan)): \(message)\n"
            }
        }
        return output
    }

    /// Widest excerpt shown: a longer line (generated or minified YAML) is cut to this many
    /// characters around the column, with `…` where text was left out.
    static let excerptWidth = 120

    private func excerpt(at location: SourceLocation, sources: SourceLines) -> String {
        guard let line = sources.line(location.line, in: location.file, column: location.column, width: Self.excerptWidth) else { return "" }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let (shown, caretColumn) = Self.window(line.text, column: location.column, isCut: line.isCut)
        let caretOffset = String(shown.prefix(max(0, caretColumn - 1)).map { $0 == "\t" ? "\t" : " " })
        return "\(terminal.paint(number + " |", .dim)) \(shown)\n\(terminal.paint(gutter + " |", .dim)) \(caretOffset)\(terminal.paint("^", .red))\n"
    }

    /// The part of `line` to show, with its control characters made visible, and where
    /// `column` falls in it. `isCut`: the line goes on past `line` (shown with `…`).
    static func window(_ line: String, column: Int, isCut: Bool = false) -> (text: String, column: Int) {
        let characters = Array(line)
        let start = characters.count > excerptWidth ? min(max(0, column - 1 - excerptWidth / 2), characters.count - excerptWidth) : 0
        let end = min(characters.count, start + excerptWidth)
        let lead = start > 0 ? "…" : ""
        let tail = end < characters.count || isCut ? "…" : ""
        let caretIndex = min(max(0, column - 1), characters.count)
        // Escapes widen what they replace: the caret moves with them.
        let before = VisibleText.escaping(String(characters[start..<max(start, min(caretIndex, end))]), keepingTabs: true)
        let after = VisibleText.escaping(String(characters[max(start, min(caretIndex, end))..<end]), keepingTabs: true)
        return (lead + before + after + tail, lead.count + before.count + 1)
    }

    private func summary(_ result: LoadResult) -> String {
        let errors = result.diagnostics.errorCount
        let warnings = result.diagnostics.warningCount
        let text = "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(result.files.count, "file"))"
        return errors > 0 ? terminal.paint(text, .red) : (warnings > 0 ? terminal.paint(text, .yellow) : terminal.paint(text, .green))
    }
}
