import CYAML

/// One parsed configuration file: its display path and its root node (nil when empty).
public struct YAMLFile: Sendable {
    public var path: String
    public var root: YAMLNode?
}

/// Turns bytes into a located node tree by walking libyaml's events. Never throws and never
/// traps on input: every problem becomes a located diagnostic and the file yields no tree.
/// Anchors, aliases and `<<` merge keys are resolved here, under the limits of `LoaderLimits`.
public struct YAMLLoader {
    public var limits: LoaderLimits

    public init(limits: LoaderLimits = .default) {
        self.limits = limits
    }

    public func load(bytes: UnsafeRawBufferPointer, path: String) -> (YAMLFile, [Diagnostic]) {
        var run = LoaderRun(path: path, bytes: bytes, limits: limits)
        let root = run.parse()
        return (YAMLFile(path: path, root: root), run.diagnostics)
    }

    public func load(_ bytes: [UInt8], path: String) -> (YAMLFile, [Diagnostic]) {
        bytes.withUnsafeBytes { load(bytes: $0, path: path) }
    }

    public func load(_ text: String, path: String) -> (YAMLFile, [Diagnostic]) {
        load(Array(text.utf8), path: path)
    }
}

/// Collections being built, innermost last.
private struct Frame {
    var isMapping: Bool
    /// The items of a sequence.
    var items: [YAMLNode] = []
    /// The pairs of a mapping, and its key waiting for a value.
    var pairs: [YAMLNode.Pair] = []
    var pendingKey: YAMLNode?
    var hasMergeKey = false
    var anchor: String?
    var line: Int32
    var column: Int32
    var size: Int32 = 1
}

private struct Abort: Error {}

private struct LoaderRun {
    let path: String
    let bytes: UnsafeRawBufferPointer
    let limits: LoaderLimits
    var diagnostics: [Diagnostic] = []
    var stack: [Frame] = []
    var anchors: [String: YAMLNode] = [:]
    var aliasExpansion = 0
    var documents = 0
    var root: YAMLNode?

    init(path: String, bytes: UnsafeRawBufferPointer, limits: LoaderLimits) {
        self.path = path
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parse() -> YAMLNode? {
        if bytes.count > limits.maxFileBytes {
            fail(.limitExceeded, "file is \(bytes.count) bytes; the limit is \(limits.maxFileBytes) bytes", line: 1, column: 1)
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
        if root.isNull { return nil }
        return root
    }

    private mutating func handle(_ event: yaml_event_t) throws {
        let line = Int32(clamping: event.start_mark.line + 1)
        let column = Int32(clamping: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                fail(.multipleDocuments, "a configuration file holds one YAML document; split this one into separate files", line: line, column: column)
                throw Abort()
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            if scalar.length > limits.maxScalarBytes {
                fail(.limitExceeded, "scalar of \(scalar.length) bytes; the limit is \(limits.maxScalarBytes) bytes", line: line, column: column)
                throw Abort()
            }
            let text = scalar.length == 0
                ? "" : String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode(.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line, column: column)
            if let anchor = scalar.anchor { anchors[String(cString: anchor)] = node }
            try append(node)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard var node = anchors[name] else {
                fail(.unknownAlias, "alias *\(name) refers to no anchor defined before it", line: line, column: column)
                throw Abort()
            }
            aliasExpansion += Int(node.size)
            if aliasExpansion > limits.maxAliasExpansion {
                fail(.aliasBudget, "aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand *\(name)", line: line, column: column)
                throw Abort()
            }
            node.line = line
            node.column = column
            try append(node)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if stack.count >= limits.maxDepth {
                fail(.nestingTooDeep, "nesting deeper than \(limits.maxDepth) levels", line: line, column: column)
                throw Abort()
            }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            var frame = Frame(isMapping: isMapping, anchor: anchorPointer.map { String(cString: $0) }, line: line, column: column)
            // One allocation for a typical definition instead of growing 1, 2, 4, 8.
            if isMapping { frame.pairs.reserveCapacity(8) } else { frame.items.reserveCapacity(4) }
            stack.append(frame)
        case YAML_SEQUENCE_END_EVENT:
            let frame = stack.removeLast()
            try close(YAMLNode(.sequence(frame.items), line: frame.line, column: frame.column, size: frame.size), anchor: frame.anchor)
        case YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let pairs = try mappingPairs(frame)
            try close(YAMLNode(.mapping(pairs), line: frame.line, column: frame.column, size: frame.size), anchor: frame.anchor)
        default:
            break
        }
    }

    private mutating func close(_ node: YAMLNode, anchor: String?) throws {
        if let anchor { anchors[anchor] = node }
        try append(node)
    }

    private mutating func append(_ node: YAMLNode) throws {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let index = stack.count - 1
        let (size, overflow) = stack[index].size.addingReportingOverflow(node.size)
        stack[index].size = overflow ? .max : size
        guard stack[index].isMapping else {
            stack[index].items.append(node)
            return
        }
        if let key = stack[index].pendingKey {
            stack[index].pairs.append(YAMLNode.Pair(key: key, value: node))
            stack[index].pendingKey = nil
        } else {
            guard node.scalar != nil else {
                fail(.wrongType, "mapping keys must be plain scalars, found \(node.typeName)", line: node.line, column: node.column)
                throw Abort()
            }
            if case .scalar("<<", plain: true) = node.kind { stack[index].hasMergeKey = true }
            stack[index].pendingKey = node
        }
    }

    /// Pairs of a finished mapping: rejects duplicate keys and applies `<<` merge keys
    /// (explicit keys win over merged ones, earlier merged mappings over later ones).
    private mutating func mappingPairs(_ frame: Frame) throws -> [YAMLNode.Pair] {
        var pairs = frame.pairs
        var merges: [YAMLNode] = []
        if frame.hasMergeKey {
            merges = pairs.filter { if case .scalar("<<", plain: true) = $0.key.kind { true } else { false } }.map(\.value)
            pairs.removeAll { if case .scalar("<<", plain: true) = $0.key.kind { true } else { false } }
        }
        pairs = droppingDuplicateKeys(pairs)
        guard !merges.isEmpty else { return pairs }
        var present = Set(pairs.lazy.compactMap(\.key.scalar))
        for merge in merges {
            let sources: [YAMLNode]
            switch merge.kind {
            case .mapping: sources = [merge]
            case .sequence(let items): sources = items
            case .scalar: sources = [merge]
            }
            for source in sources {
                guard case .mapping(let merged) = source.kind else {
                    fail(.wrongType, "a << merge key takes a mapping or a list of mappings, found \(source.typeName)", line: source.line, column: source.column)
                    throw Abort()
                }
                for pair in merged where present.insert(pair.key.scalar ?? "").inserted {
                    pairs.append(pair)
                }
            }
        }
        return pairs
    }

    /// Reports every repeated key at its second occurrence and keeps the first.
    private mutating func droppingDuplicateKeys(_ pairs: [YAMLNode.Pair]) -> [YAMLNode.Pair] {
        var duplicates: [(YAMLNode, YAMLNode)] = []
        var dropped = Set<Int>()
        if pairs.count <= 12 {
            for j in pairs.indices {
                guard case .scalar(let key, _) = pairs[j].key.kind else { continue }
                if let i = pairs[..<j].firstIndex(where: { $0.key.scalar?.isSameKey(as: key) == true }) {
                    duplicates.append((pairs[i].key, pairs[j].key))
                    dropped.insert(j)
                }
            }
        } else {
            var seen: [String: YAMLNode] = [:]
            seen.reserveCapacity(pairs.count)
            for (j, pair) in pairs.enumerated() {
                let text = pair.key.scalar ?? ""
                if let first = seen.updateValue(pair.key, forKey: text) {
                    duplicates.append((first, pair.key))
                    seen[text] = first
                    dropped.insert(j)
                }
            }
        }
        for (first, second) in duplicates {
            let key = second.scalar ?? ""
            diagnostics.append(Diagnostic(
                .duplicateKey, "duplicate key '\(key)' (first defined on line \(first.line))",
                at: location(second.line, second.column), path: pathOfOpenFrames(appending: key),
                notes: [.init("first defined here", at: location(first.line, first.column))]))
        }
        guard !dropped.isEmpty else { return pairs }
        return pairs.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

    private func location(_ line: Int32, _ column: Int32) -> SourceLocation {
        SourceLocation(file: path, line: Int(line), column: Int(column))
    }


    /// The dotted path of the collection being closed, from the frames still open.
    private func pathOfOpenFrames(appending last: String? = nil) -> String {
        var components: [String] = []
        for frame in stack {
            if frame.isMapping {
                if let key = frame.pendingKey?.scalar { components.append(key) }
            } else if let lastIndex = components.indices.last {
                components[lastIndex] += "[\(frame.items.count)]"
            } else {
                components.append("[\(frame.items.count)]")
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
