import CYAML

/// One parsed configuration file: its display path and its document (nil when the file is
/// empty, holds only a null, or could not be parsed).
public struct YAMLFile: Sendable {
    public var path: String
    public var document: YAMLDocument?

    /// The top-level node, as a self-contained view.
    public var root: YAMLNode? {
        document.map { YAMLNode(document: $0, id: $0.root) }
    }
}

/// Turns bytes into a located document by walking libyaml's events. Never throws and never
/// traps on input: every problem becomes a located diagnostic and the file yields no document.
/// Anchors, aliases and `<<` merge keys are resolved here, under the limits of `LoaderLimits`.
public struct YAMLLoader {
    public var limits: LoaderLimits

    public init(limits: LoaderLimits = .default) {
        self.limits = limits
    }

    public func load(bytes: UnsafeRawBufferPointer, path: String) -> (YAMLFile, [Diagnostic]) {
        var run = LoaderRun(path: path, bytes: bytes, limits: limits)
        let document = run.parse()
        return (YAMLFile(path: path, document: document), run.diagnostics)
    }

    public func load(_ bytes: [UInt8], path: String) -> (YAMLFile, [Diagnostic]) {
        bytes.withUnsafeBytes { load(bytes: $0, path: path) }
    }

    public func load(_ text: String, path: String) -> (YAMLFile, [Diagnostic]) {
        load(Array(text.utf8), path: path)
    }
}

/// A collection being built. Its children so far are `LoaderRun.open[firstChild...]` (up to
/// the next frame's first child): one shared stack, so building a collection allocates nothing.
private struct Frame {
    var isMapping: Bool
    var firstChild: Int
    var hasMergeKey = false
    var anchor: String?
    var line: Int32
    var column: Int32
    var size: Int32 = 1
}

private struct Abort: Error {}

private struct LoaderRun {
    typealias NodeID = YAMLDocument.NodeID

    let path: String
    let bytes: UnsafeRawBufferPointer
    let limits: LoaderLimits
    var diagnostics: [Diagnostic] = []
    var store = NodeStore()
    var stack: [Frame] = []
    /// The children of the open collections, innermost last.
    var open: [NodeID] = []
    var anchors: [String: NodeID] = [:]
    var aliasExpansion = 0
    var documents = 0
    var root: NodeID?

    init(path: String, bytes: UnsafeRawBufferPointer, limits: LoaderLimits) {
        self.path = path
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parse() -> YAMLDocument? {
        if bytes.count > limits.maxFileBytes || bytes.count > Int(Int32.max) {
            fail(.limitExceeded, "file is \(bytes.count) bytes; the limit is \(min(limits.maxFileBytes, Int(Int32.max))) bytes", line: 1, column: 1)
            return nil
        }
        if bytes.isEmpty { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            fail(.unreadableFile, "libyaml could not allocate a parser", line: 1, column: 1)
            return nil
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(
            &parser, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count)
        // Typical configuration files: a node per 8 bytes or so, their text about half the file.
        store.records.reserveCapacity(bytes.count / 8)
        store.children.reserveCapacity(bytes.count / 8)
        store.text.reserveCapacity(bytes.count / 2)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) != 0 else {
                reportParserError(parser)
                return nil
            }
            let done = event.type == YAML_STREAM_END_EVENT
            let outcome = Result { try handle(event) }
            yaml_event_delete(&event)
            if case .failure = outcome { return nil }
            if done { break }
        }
        guard let root else { return nil }
        let document = YAMLDocument(store: store, root: root)
        return document.isNull(root) ? nil : document
    }

    private mutating func handle(_ event: yaml_event_t) throws {
        let line = Int32(clamping: event.start_mark.line + 1)
        let column = Int32(clamping: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                fail(
                    .multipleDocuments, "a configuration file holds one YAML document; split this one into separate files", line: line, column: column
                )
                throw Abort()
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            if scalar.length > limits.maxScalarBytes {
                fail(.limitExceeded, "scalar of \(scalar.length) bytes; the limit is \(limits.maxScalarBytes) bytes", line: line, column: column)
                throw Abort()
            }
            let start = store.text.count
            if scalar.length > 0 { store.text.append(contentsOf: UnsafeBufferPointer(start: scalar.value, count: scalar.length)) }
            let node = try add(
                NodeStore.Record(
                    kind: scalar.style == YAML_PLAIN_SCALAR_STYLE ? .plainScalar : .quotedScalar, line: line, column: column,
                    start: try offset(start), count: Int32(scalar.length), size: 1))
            if let anchor = scalar.anchor { anchors[String(cString: anchor)] = node }
            try append(node)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let anchored = anchors[name] else {
                fail(.unknownAlias, "alias *\(name) refers to no anchor defined before it", line: line, column: column)
                throw Abort()
            }
            var record = store[anchored]
            aliasExpansion += Int(record.size)
            if aliasExpansion > limits.maxAliasExpansion {
                fail(
                    .aliasBudget, "aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand *\(name)", line: line,
                    column: column)
                throw Abort()
            }
            record.line = line
            record.column = column
            try append(try add(record))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count >= limits.maxDepth {
                fail(.nestingTooDeep, "nesting deeper than \(limits.maxDepth) levels", line: line, column: column)
                throw Abort()
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            stack.append(
                Frame(
                    isMapping: isMapping, firstChild: open.count, anchor: anchorPointer.map { String(cString: $0) },
                    line: line, column: column))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let start = try offset(store.children.count)
            if frame.isMapping, frame.hasMergeKey || hasDuplicateKeys(open[frame.firstChild...]) {
                let members = Array(open[frame.firstChild...])
                open.removeSubrange(frame.firstChild...)
                store.children += try mappingChildren(members, hasMergeKey: frame.hasMergeKey)
            } else {
                store.children += open[frame.firstChild...]
                open.removeSubrange(frame.firstChild...)
            }
            let node = try add(
                NodeStore.Record(
                    kind: frame.isMapping ? .mapping : .sequence, line: frame.line, column: frame.column,
                    start: start, count: try offset(store.children.count - Int(start)), size: frame.size))
            if let anchor = frame.anchor { anchors[anchor] = node }
            try append(node)
        default:
            break
        }
    }

    /// Stores a node's record and names it.
    private mutating func add(_ record: NodeStore.Record) throws -> NodeID {
        let id = NodeID(index: try offset(store.records.count))
        store.records.append(record)
        return id
    }

    /// An offset or count as stored, or a located error beyond what 32 bits hold.
    private mutating func offset(_ value: Int) throws -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            fail(.limitExceeded, "the document has more nodes or text than one file may hold", line: 1, column: 1)
            throw Abort()
        }
        return narrow
    }

    private mutating func append(_ node: NodeID) throws {
        guard let index = stack.indices.last else {
            root = node
            return
        }
        let (size, overflow) = stack[index].size.addingReportingOverflow(store[node].size)
        stack[index].size = overflow ? .max : size
        let isKey = stack[index].isMapping && (open.count - stack[index].firstChild) % 2 == 0
        open.append(node)
        guard isKey else { return }
        let record = store[node]
        guard record.kind.isScalar else {
            fail(
                .wrongType,
                "mapping keys must be plain scalars, found \(YAMLNode(document: YAMLDocument(store: store, root: node), id: node).typeName)",
                line: record.line, column: record.column)
            throw Abort()
        }
        if record.kind == .plainScalar, store.scalarEquals(node, "<<") { stack[index].hasMergeKey = true }
    }

    /// Keys and values of a finished mapping: rejects duplicate keys and applies `<<` merge
    /// keys (explicit keys win over merged ones, earlier merged mappings over later ones).
    private mutating func mappingChildren(_ members: [NodeID], hasMergeKey: Bool) throws -> [NodeID] {
        var pairs = members
        var merges: [NodeID] = []
        if hasMergeKey {
            pairs = []
            for pair in stride(from: 0, to: members.count, by: 2) {
                let key = members[pair]
                if store[key].kind == .plainScalar, store.scalarEquals(key, "<<") {
                    merges.append(members[pair + 1])
                } else {
                    pairs.append(key)
                    pairs.append(members[pair + 1])
                }
            }
        }
        pairs = droppingDuplicateKeys(pairs)
        guard !merges.isEmpty else { return pairs }
        var sources: [NodeID] = []
        for merge in merges {
            let record = store[merge]
            if record.kind == .sequence {
                sources += store.children[Int(record.start)..<Int(record.start + record.count)]
            } else {
                sources.append(merge)
            }
        }
        var capacity = pairs.count / 2
        for source in sources {
            let record = store[source]
            guard record.kind == .mapping else {
                let view = YAMLNode(document: YAMLDocument(store: store, root: source), id: source)
                fail(
                    .wrongType, "a << merge key takes a mapping or a list of mappings, found \(view.typeName)", line: record.line,
                    column: record.column)
                throw Abort()
            }
            capacity += Int(record.count) / 2
        }
        var present = KeyTable(capacity: capacity)
        for pair in stride(from: 0, to: pairs.count, by: 2) { _ = present.insert(pairs[pair], in: store) }
        for source in sources {
            let record = store[source]
            for pair in stride(from: Int(record.start), to: Int(record.start + record.count), by: 2) {
                let key = store.children[pair]
                if present.insert(key, in: store) == nil {
                    pairs.append(key)
                    pairs.append(store.children[pair + 1])
                }
            }
        }
        return pairs
    }

    /// Whether a mapping's keys and values hold a key twice: the quick check before the full one.
    private func hasDuplicateKeys(_ members: ArraySlice<NodeID>) -> Bool {
        let start = members.startIndex
        if members.count <= Self.smallMapping {
            for j in stride(from: start + 2, to: members.endIndex, by: 2) {
                for i in stride(from: start, to: j, by: 2) where store.sameScalar(members[i], members[j]) { return true }
            }
            return false
        }
        var seen = KeyTable(capacity: members.count / 2)
        return stride(from: start, to: members.endIndex, by: 2).contains { seen.insert(members[$0], in: store) != nil }
    }

    /// Keys and values up to which duplicates are looked for pairwise rather than by hash.
    private static let smallMapping = 24

    /// Reports every repeated key at its second occurrence and keeps the first.
    private mutating func droppingDuplicateKeys(_ pairs: [NodeID]) -> [NodeID] {
        var duplicates: [(first: NodeID, second: NodeID)] = []
        if pairs.count <= Self.smallMapping {
            for j in stride(from: 2, to: pairs.count, by: 2) {
                if let i = stride(from: 0, to: j, by: 2).first(where: { store.sameScalar(pairs[$0], pairs[j]) }) {
                    duplicates.append((pairs[i], pairs[j]))
                }
            }
        } else {
            var seen = KeyTable(capacity: pairs.count / 2)
            for j in stride(from: 0, to: pairs.count, by: 2) {
                if let first = seen.insert(pairs[j], in: store) { duplicates.append((first, pairs[j])) }
            }
        }
        guard !duplicates.isEmpty else { return pairs }
        for (first, second) in duplicates {
            let key = store.string(second)
            diagnostics.append(
                Diagnostic(
                    .duplicateKey, "duplicate key '\(key)' (first defined on line \(store[first].line))",
                    at: location(store[second].line, store[second].column), path: pathOfOpenFrames(appending: key),
                    notes: [.init("first defined here", at: location(store[first].line, store[first].column))]))
        }
        let dropped = Set(duplicates.map(\.second))
        var kept: [NodeID] = []
        kept.reserveCapacity(pairs.count)
        for pair in stride(from: 0, to: pairs.count, by: 2) where !dropped.contains(pairs[pair]) {
            kept.append(pairs[pair])
            kept.append(pairs[pair + 1])
        }
        return kept
    }

    private func location(_ line: Int32, _ column: Int32) -> SourceLocation {
        SourceLocation(file: path, line: Int(line), column: Int(column))
    }

    /// The dotted path of the collection being closed, from the frames still open.
    private func pathOfOpenFrames(appending last: String? = nil) -> String {
        var components: [String] = []
        for (index, frame) in stack.enumerated() {
            let end = index + 1 < stack.count ? stack[index + 1].firstChild : open.count
            let count = end - frame.firstChild
            if frame.isMapping {
                if count % 2 == 1 { components.append(store.string(open[end - 1])) }
            } else if let lastIndex = components.indices.last {
                components[lastIndex] += "[\(count)]"
            } else {
                components.append("[\(count)]")
            }
        }
        if let last { components.append(last) }
        return components.joined(separator: ".")
    }

    private mutating func fail(_ code: DiagnosticCode, _ message: String, line: Int32, column: Int32) {
        diagnostics.append(Diagnostic(code, message, at: location(line, column), path: pathOfOpenFrames()))
    }

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        var line: Int32
        var column: Int32
        var byteOffset: Int
        if parser.error == YAML_READER_ERROR {
            byteOffset = parser.problem_offset
            (line, column) = position(ofByte: byteOffset)
        } else {
            line = Int32(clamping: parser.problem_mark.line + 1)
            column = Int32(clamping: parser.problem_mark.column + 1)
            byteOffset = parser.problem_mark.index
        }
        var message: String
        switch parser.error {
        case YAML_READER_ERROR:
            message = "not valid UTF-8 text: \(problem)"
            if parser.problem_value >= 0 { message += " (byte 0x\(String(parser.problem_value, radix: 16)))" }
        case YAML_MEMORY_ERROR:
            message = "libyaml ran out of memory"
        default:
            message = "invalid YAML: \(problem)"
            if let context = parser.context.map({ String(cString: $0) }) {
                message += " (\(context) on line \(parser.context_mark.line + 1))"
            }
        }
        if byteOffset >= 0, byteOffset < bytes.count, bytes[byteOffset] == 0x09 {
            message += "; tabs are not allowed for indentation, use spaces"
        }
        diagnostics.append(Diagnostic(.yamlSyntax, message, at: location(line, column), path: pathOfOpenFrames()))
    }

    /// 1-based line and column (counted in characters) of a byte offset.
    private func position(ofByte offset: Int) -> (Int32, Int32) {
        var line: Int32 = 1
        var column: Int32 = 1
        for index in 0..<min(offset, bytes.count) {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

/// A set of scalar keys by their text, without making strings: duplicate keys in large
/// mappings, and which keys a merge may still add.
private struct KeyTable {
    private var slots: [Int32]
    private var keys: [YAMLDocument.NodeID] = []
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        keys.reserveCapacity(capacity)
    }

    /// Adds `key`; returns the key already there with the same text, if any (and adds nothing then).
    mutating func insert(_ key: YAMLDocument.NodeID, in store: NodeStore) -> YAMLDocument.NodeID? {
        var slot = Int(truncatingIfNeeded: Self.spread(store.scalarHash(key))) & mask
        while slots[slot] >= 0 {
            let present = keys[Int(slots[slot])]
            if store.sameScalar(present, key) { return present }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        return nil
    }

    /// MurmurHash3's finaliser: FNV-1a over whole words mixes a byte only into the bits above
    /// it, so without this `agent-1234` and `agent-5634` share their low bits and pile up in
    /// one run of slots (duplicate checks of 10,000 agents cost 65 M instructions instead of 8 M).
    private static func spread(_ hash: UInt64) -> UInt64 {
        var k = hash
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        return k ^ (k >> 33)
    }
}
