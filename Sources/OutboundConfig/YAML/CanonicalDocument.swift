/// A configuration document built straight from a store's canonical rows: each row's JSON
/// becomes nodes of one `YAMLDocument` (strings quoted, numbers, booleans and null plain, as
/// libyaml would read the same JSON), with no YAML text written and parsed again. Every node
/// gets a line of its own, so no two share a place.
struct CanonicalDocument {
    private var store = NodeStore()

    /// The document `{"tenant": …, "<section>": {"<id>": …}}` of `rows`, sections and ids in
    /// key order; nil for no rows. A row that is not JSON (a damaged store) is left out.
    static func document(from rows: [CanonicalForm.Key: String]) -> YAMLDocument? {
        var builder = CanonicalDocument()
        var sections: [(kind: String, entries: [NodeID])] = []
        for (key, text) in rows.sorted(by: { $0.key < $1.key }) {
            guard let json = try? JSON.parse(text) else { continue }
            let value = builder.node(json)
            if key.kind == CanonicalForm.Key.tenant.kind {
                sections.append((key.kind, [value]))
                continue
            }
            if sections.last?.kind != key.kind { sections.append((key.kind, [])) }
            sections[sections.count - 1].entries += [builder.scalar(key.id, quoted: true), value]
        }
        guard !sections.isEmpty else { return nil }
        var top: [NodeID] = []
        for section in sections {
            top.append(builder.scalar(section.kind, quoted: false))
            top.append(section.kind == CanonicalForm.Key.tenant.kind ? section.entries[0] : builder.collection(.mapping, section.entries))
        }
        let root = builder.collection(.mapping, top)
        return YAMLDocument(store: builder.store, root: root)
    }

    typealias NodeID = YAMLDocument.NodeID

    private mutating func node(_ json: JSON) -> NodeID {
        switch json {
        case .null: scalar("null", quoted: false)
        case .bool(let value): scalar(value ? "true" : "false", quoted: false)
        case .int(let value): scalar(String(value), quoted: false)
        case .number(let value): scalar(String(value), quoted: false)
        case .string(let value): scalar(value, quoted: true)
        case .array(let items): collection(.sequence, items.map { node($0) })
        case .object(let members): collection(.mapping, members.flatMap { [scalar($0.0, quoted: true), node($0.1)] })
        }
    }

    private mutating func scalar(_ text: String, quoted: Bool) -> NodeID {
        let start = Int32(store.text.count)
        store.text += text.utf8
        return add(
            NodeStore.Record(
                kind: quoted ? .quotedScalar : .plainScalar, line: 0, column: 1, start: start,
                count: Int32(store.text.count) - start, size: 1))
    }

    private mutating func collection(_ kind: NodeStore.Kind, _ children: [NodeID]) -> NodeID {
        let start = Int32(store.children.count)
        store.children += children
        let size = children.reduce(Int32(1)) { $0 &+ store[$1].size }
        return add(NodeStore.Record(kind: kind, line: 0, column: 1, start: start, count: Int32(children.count), size: size))
    }

    private mutating func add(_ record: NodeStore.Record) -> NodeID {
        var record = record
        record.line = Int32(store.records.count + 1)
        store.records.append(record)
        return NodeID(index: Int32(store.records.count - 1))
    }
}
