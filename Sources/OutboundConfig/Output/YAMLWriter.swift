/// Writes canonical JSON values as block YAML for `export`: deterministic, readable, and read
/// back by the loader to the same canonical form. Strings are quoted whenever a YAML reader
/// could take them for something else.
public enum YAMLWriter {
    /// A mapping's members as block lines at `indent` spaces.
    public static func block(_ members: [(String, JSON)], indent: Int = 0) -> String {
        var output = ""
        let pad = String(repeating: " ", count: indent)
        for (key, value) in members {
            switch value {
            case .object(let nested) where !nested.isEmpty:
                output += "\(pad)\(scalar(key)):\n" + block(nested, indent: indent + 2)
            default:
                output += "\(pad)\(scalar(key)): \(inline(value))\n"
            }
        }
        return output
    }

    /// A value on one line: scalars, flow lists, flow mappings.
    public static func inline(_ value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .number(let number): number.isFinite ? String(number) : ".nan"
        case .string(let text): scalar(text)
        case .array(let items): "[" + items.map(inline).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { "\(scalar($0.0)): \(inline($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    /// The text plain when that is unambiguous, else double-quoted (JSON escapes are YAML's).
    public static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : { var quoted = ""; JSON.escape(text, into: &quoted); return quoted }()
    }

    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        guard last != " ", !reserved.contains(text.lowercased()), Int(text) == nil, Double(text) == nil else { return false }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " ._-@/+()'".unicodeScalars.contains(scalar)
        }
    }
}
