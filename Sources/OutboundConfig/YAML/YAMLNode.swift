/// A node with its document: the convenient, self-contained view of the tree for tests and
/// occasional callers. Decoders work on `YAMLDocument.NodeID`s instead, which copy without
/// reference counting.
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

    public let document: YAMLDocument
    public let id: YAMLDocument.NodeID

    public var line: Int32 { document.line(id) }
    public var column: Int32 { document.column(id) }
    public var scalar: String? { document.scalar(id) }
    public var isNull: Bool { document.isNull(id) }
    public var typeName: String { document.typeName(id) }

    public var kind: Kind {
        switch document.kind(id) {
        case .plainScalar: return .scalar(document.string(id), plain: true)
        case .quotedScalar: return .scalar(document.string(id), plain: false)
        case .sequence:
            return .sequence((0..<document.count(id)).map { YAMLNode(document: document, id: document.item(id, $0)) })
        case .mapping:
            return .mapping(
                (0..<document.count(id)).map {
                    Pair(
                        key: YAMLNode(document: document, id: document.key(id, $0)),
                        value: YAMLNode(document: document, id: document.value(id, $0)))
                })
        }
    }
}
