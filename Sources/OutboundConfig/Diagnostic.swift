/// A problem found in the configuration: a value, collected with all the others, never thrown.
/// It always carries a location and the dotted path of the offending node, so reporters for
/// people (compiler style) and for machines (JSON, SARIF, …) can be built from the same data.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    /// Extra context pointing elsewhere, e.g. the first definition of a duplicated id.
    public struct Note: Hashable, Sendable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation
    public var path: String
    public var notes: [Note]

    public var severity: Severity { code.severity }

    public init(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation, path: String,
        notes: [Note] = []
    ) {
        self.code = code
        self.message = message
        self.location = location
        self.path = path
        self.notes = notes
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { lazy.filter { $0.severity == .error }.count }
    public var warningCount: Int { lazy.filter { $0.severity == .warning }.count }
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Diagnostics in a deterministic reading order: by file, line, column, code, message.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.code != b.code { return a.code < b.code }
            return a.message < b.message
        }
    }
}
