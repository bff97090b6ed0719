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
        guard record.kind.isScalar, Int(record.count) == expected.utf8.count else { return false }
        return text.withUnsafeBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(rebasing: buffer[Int(record.start)..<Int(record.start + record.count)])
            return expected.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } ?? expected.utf8.elementsEqual(bytes)
        }
    }

    /// Whether two scalars have the same text.
    func sameScalar(_ first: NodeID, _ second: NodeID) -> Bool {
        let a = self[first]
        let b = self[second]
        guard a.count == b.count else { return false }
        return text.withUnsafeBufferPointer { buffer in
            buffer[Int(a.start)..<Int(a.start + a.count)].elementsEqual(buffer[Int(b.start)..<Int(b.start + b.count)])
        }
    }

    /// The FNV-1a hash of a scalar's bytes.
    func scalarHash(_ node: NodeID) -> UInt64 {
        let record = self[node]
        var hasher = FNV1a()
        text.withUnsafeBytes { hasher.combine(UnsafeRawBufferPointer(rebasing: $0[Int(record.start)..<Int(record.start + record.count)])) }
        return hasher.value
    }
}
