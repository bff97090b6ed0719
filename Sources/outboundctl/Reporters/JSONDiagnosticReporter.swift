import OutboundConfig

/// `validate --format json`, exactly the shape of docs/reference.md §5.
struct JSONDiagnosticReporter: DiagnosticReporter {
    func report(_ result: LoadResult) -> String {
        JSON.object([
            ("valid", .bool(result.isValid)),
            ("errors", .int(result.diagnostics.errorCount)),
            ("warnings", .int(result.diagnostics.warningCount)),
            ("diagnostics", .array(result.diagnostics.map(\.json))),
        ]).rendered(pretty: true) + "\n"
    }
}

extension Diagnostic {
    var json: JSON {
        .object([
            ("severity", .string(severity.rawValue)),
            ("code", .string(code.rawValue)),
            ("message", .string(message)),
            ("file", .string(location.file)),
            ("line", .int(location.line)),
            ("column", .int(location.column)),
            ("path", .string(path)),
        ])
    }
}
