/// A YAML node with its position: what libyaml's events become. Keys keep their own
/// positions, so "unknown key" points at the key and "wrong type" at the value.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// `plain` is false for quoted and block scalars: `"3"` is a string, `3` an integer.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public var kind: Kind
    /// 1-based line and column of the node's first character.
    public var line: Int32
    public var column: Int32
    /// Number of nodes in this subtree, which is what an alias to it costs.
    var size: Int32

    init(_ kind: Kind, line: Int32, column: Int32, size: Int32 = 1) {
        self.kind = kind
        self.line = line
        self.column = column
        self.size = size
    }

    /// The scalar text, if this node is a scalar.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// True for an unquoted `~`, `null`, `Null`, `NULL` or empty scalar.
    public var isNull: Bool {
        guard case .scalar(let text, let plain) = kind, plain else { return false }
        switch text.utf8.count {
        case 0: return true
        case 1: return text == "~"
        case 4: return text == "null" || text == "Null" || text == "NULL"
        default: return false
        }
    }

    /// What a person would call this node's type, for "expected X, found Y" messages.
    public var typeName: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let plain):
            if isNull { return "nothing (null)" }
            guard plain else { return "a string" }
            if Int(text) != nil { return "an integer" }
            if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) { return "a boolean" }
            return "a string"
        }
    }
}

extension String {
    /// Equality that rejects strings of another UTF-8 length before comparing them: looking a
    /// key up among a mapping's keys mostly meets keys of other lengths.
    func isSameKey(as other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }
}
