import Foundation

/// The flat storage behind `YAMLDocument`: node records, the children of collections and the
/// text of scalars. `YAMLLoader` appends to it while it walks libyaml's events.
struct NodeStore {
    typealias NodeID = YAMLDocument.NodeID

    enum Kind: UInt8 {
        case plainScalar, quotedScalar, sequence, mapping

        var isScalar: Bool { self == .plainScalar || self == .quotedScalar }
    }

    struct Record {
        var kind: Kind
        var line: Int32
        var column: Int32
        /// Scalars: the text's offset in `text`; collections: the first child's offset in `children`.
        var start: Int32
        /// Scalars: the text's length in bytes; sequences: items; mappings: keys and values (two per pair).
        var count: Int32
        /// Nodes in this subtree, which is what an alias to it costs.
        var size: Int32
    }

    var records: [Record] = []
    /// Children of collections: a sequence's items, a mapping's keys and values alternating.
    var children: [NodeID] = []
    var text: [UInt8] = []

    subscript(node: NodeID) -> Record { records[Int(node.index)] }

    /// The text of a scalar (empty for a collection).
    func string(_ node: NodeID) -> String {
        let record = self[node]
        guard record.kind.isScalar, record.count > 0 else { return "" }
        return text.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(record.start)..<Int(record.start + record.count)]), as: UTF8.self)
        }
    }

    /// Whether `node` is a scalar whose text is exactly `expected`, without making a string.
    func scalarEquals(_ node: NodeID, _ expected: String) -> Bool {
        let record = self[node]
        let count = Int(record.count)
        guard record.kind.isScalar, count == expected.utf8.count else { return false }
        guard count > 0 else { return true }
        var expected = expected
        return expected.withUTF8 { wanted in
            text.withUnsafeBytes { memcmp($0.baseAddress! + Int(record.start), wanted.baseAddress!, count) == 0 }
        }
    }

    /// Whether two scalars have the same text.
    func sameScalar(_ first: NodeID, _ second: NodeID) -> Bool {
        let a = self[first]
        let b = self[second]
        guard a.kind.isScalar, b.kind.isScalar, a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return text.withUnsafeBytes { memcmp($0.baseAddress! + Int(a.start), $0.baseAddress! + Int(b.start), Int(a.count)) == 0 }
    }

    /// The FNV-1a hash of a scalar's bytes.
    func scalarHash(_ node: NodeID) -> UInt64 {
        let record = self[node]
        var hasher = FNV1a()
        text.withUnsafeBytes { hasher.combine(UnsafeRawBufferPointer(rebasing: $0[Int(record.start)..<Int(record.start + record.count)])) }
        return hasher.value
    }
}
