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

    /// Diagnostics in reading order: by file, line, column, then code.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            if a.element.location != b.element.location { return a.element.location < b.element.location }
            return a.offset < b.offset
        }.map(\.element)
    }
}
