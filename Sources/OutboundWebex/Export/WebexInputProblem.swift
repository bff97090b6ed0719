import OutboundConfig

/// Something wrong with a Webex export, located the way the admin can find it: the file and the
/// JSON path inside it (`user.2.json`, `$.data[5].teamIds`). `import webex` writes nothing while
/// any error stands (SPEC §9); warnings (an unknown file name) do not stop it.
public struct WebexInputProblem: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    /// The file's name inside the export directory; empty for the directory itself.
    public var file: String
    /// `$` for the whole file, then `.key` and `[index]` steps.
    public var jsonPath: String
    public var message: String

    public init(_ severity: Severity, file: String, jsonPath: String = "$", message: String) {
        self.severity = severity
        self.file = file
        self.jsonPath = jsonPath
        self.message = message
    }

    public var description: String { "\(file): \(jsonPath): \(severity.rawValue): \(message)" }

    /// How many problems of one file are spelled out; the rest are counted in one more line.
    /// A small file can hold millions of bad items, and listing them all took minutes and a
    /// gigabyte of output.
    public static let limit = 100

    /// `problems` with at most `limit` of each file's, in order, and a line for each file
    /// counting the rest and the bad items whose problems were not spelled out.
    static func capped(_ problems: [WebexInputProblem], undescribedItems: [String: Int]) -> [WebexInputProblem] {
        var shown: [String: Int] = [:]
        var hidden: [String: Int] = [:]
        var kept = problems.filter { problem in
            shown[problem.file, default: 0] += 1
            guard shown[problem.file]! <= limit else {
                hidden[problem.file, default: 0] += 1
                return false
            }
            return true
        }
        for file in Set(hidden.keys).union(undescribedItems.keys).sorted() {
            let counts = [hidden[file].map { plural($0, "more problem") }, undescribedItems[file].map { "problems in \(plural($0, "more item"))" }]
            kept.append(
                WebexInputProblem(
                    .error, file: file,
                    message: "and \(counts.compactMap { $0 }.joined(separator: " and ")) in this file (the first \(limit) problems are shown)"))
        }
        return kept
    }

    /// The JSON path of a decoding step list: array positions as `[i]`, keys as `step(_:)`.
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            if let index = key.intValue { "\(path)[\(index)]" } else { path + step(key.stringValue) }
        }
    }

    /// A member's name as a step of a JSON path: `.name` for a plain name, else `['a.b[0]']`
    /// (quote and backslash escaped), so a path reads only one way. A name over 100 characters
    /// is cut short with `…`: a path is for finding the place, and a key can be a megabyte.
    static func step(_ name: String) -> String {
        let bytes = name.utf8
        let plain =
            bytes.first.map { !(0x30...0x39).contains($0) } ?? false
            && bytes.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        let shown = name.count > 100 ? String(name.prefix(99)) + "…" : name
        if plain { return "." + shown }
        return "['" + shown.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "']"
    }

    /// A decoding failure in words an admin reads, at the path where it happened.
    init(file: String, decodingError: DecodingError) {
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Int.Type: "an integer"
            case is Bool.Type: "a boolean"
            case is [Any].Type: "an array"
            case is [String: Any].Type: "an object"
            default: "\(type)"
            }
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            self.init(.error, file: file, jsonPath: Self.jsonPath(context.codingPath), message: "expected \(kind(type))")
        case .valueNotFound(let type, let context):
            self.init(.error, file: file, jsonPath: Self.jsonPath(context.codingPath), message: "expected \(kind(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(.error, file: file, jsonPath: Self.jsonPath(context.codingPath + [key]), message: "required by Cisco's schema, missing")
        case .dataCorrupted(let context):
            self.init(.error, file: file, jsonPath: Self.jsonPath(context.codingPath), message: context.debugDescription)
        @unknown default:
            self.init(.error, file: file, message: "\(decodingError)")
        }
    }
}
