/// One parsed YAML document, stored flat: every node is a fixed-size record in one array,
/// collections list their children in a second one, and scalar text lives in a single byte
/// buffer. A 50,000-agent tenant has about a million nodes; as separate values with their own
/// arrays and strings they cost a million allocations to build and as many to free, which
/// was most of what validation spent beyond libyaml's own parse. Strings are made only for
/// the scalars a decoder actually reads.
///
/// Immutable once built, so the parts of one file can be decoded on several cores at once.
public final class YAMLDocument: Sendable {
    /// A node of this document. Cheap to copy and compare; only meaningful with its document.
    public struct NodeID: Hashable, Sendable {
        let index: Int32
    }

    let store: NodeStore
    public let root: NodeID

    init(store: NodeStore, root: NodeID) {
        self.store = store
        self.root = root
    }

    // MARK: Any node

    public func line(_ node: NodeID) -> Int32 { store[node].line }
    public func column(_ node: NodeID) -> Int32 { store[node].column }

    func kind(_ node: NodeID) -> NodeStore.Kind { store[node].kind }

    public func isScalar(_ node: NodeID) -> Bool { store[node].kind.isScalar }
    public func isPlainScalar(_ node: NodeID) -> Bool { store[node].kind == .plainScalar }
    public func isMapping(_ node: NodeID) -> Bool { store[node].kind == .mapping }
    public func isSequence(_ node: NodeID) -> Bool { store[node].kind == .sequence }

    /// True for an unquoted `~`, `null`, `Null`, `NULL` or empty scalar.
    public func isNull(_ node: NodeID) -> Bool {
        let record = store[node]
        guard record.kind == .plainScalar else { return false }
        switch record.count {
        case 0: return true
        case 1: return scalarEquals(node, "~")
        case 4: return scalarEquals(node, "null") || scalarEquals(node, "Null") || scalarEquals(node, "NULL")
        default: return false
        }
    }

    /// What a person would call this node's type, for "expected X, found Y" messages.
    public func typeName(_ node: NodeID) -> String {
        switch kind(node) {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .quotedScalar: return "a string"
        case .plainScalar:
            if isNull(node) { return "nothing (null)" }
            let text = string(node)
            if Int(text) != nil { return "an integer" }
            if Double(text) != nil, let first = text.first, first.isNumber || "+-.".contains(first) { return "a decimal number" }
            if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) { return "a boolean" }
            return "a string"
        }
    }

    // MARK: Scalars

    /// The text of a scalar (empty for a collection).
    public func string(_ node: NodeID) -> String { store.string(node) }

    /// The text of a scalar, nil for a collection.
    public func scalar(_ node: NodeID) -> String? {
        isScalar(node) ? string(node) : nil
    }

    /// Whether `node` is a scalar (plain or quoted) whose text is exactly `expected`, without
    /// making a string: how keys are looked up.
    public func scalarEquals(_ node: NodeID, _ expected: String) -> Bool { store.scalarEquals(node, expected) }

    // MARK: Collections

    /// Items of a sequence, entries of a mapping; 0 for a scalar.
    public func count(_ node: NodeID) -> Int {
        let record = store[node]
        switch record.kind {
        case .sequence: return Int(record.count)
        case .mapping: return Int(record.count / 2)
        case .plainScalar, .quotedScalar: return 0
        }
    }

    /// Item `index` of a sequence.
    public func item(_ node: NodeID, _ index: Int) -> NodeID {
        store.children[Int(store[node].start) + index]
    }

    /// Key of entry `index` of a mapping.
    public func key(_ node: NodeID, _ index: Int) -> NodeID {
        store.children[Int(store[node].start) + 2 * index]
    }

    /// Value of entry `index` of a mapping.
    public func value(_ node: NodeID, _ index: Int) -> NodeID {
        store.children[Int(store[node].start) + 2 * index + 1]
    }

    /// The value of `key` in a mapping (nil when absent or when `node` is not a mapping).
    public func value(_ node: NodeID, forKey key: String) -> NodeID? {
        let record = store[node]
        guard record.kind == .mapping else { return nil }
        var child = Int(record.start)
        let end = child + Int(record.count)
        while child < end {
            if scalarEquals(store.children[child], key) { return store.children[child + 1] }
            child += 2
        }
        return nil
    }
}
