import OutboundConfig

/// `outboundctl schema FIELD.PATH`, like `kubectl explain`: walks the embedded JSON Schema by
/// field names (ids are not part of the path: `agents.licence`, not `agents.ana.licence`).
struct SchemaExplainer {
    let root: JSON

    init(schema: String = embeddedSchema) throws {
        root = try JSON.parse(schema)
    }

    enum Failure: Error, CustomStringConvertible {
        case unknownField(path: String, segment: String, known: [String])

        var description: String {
            switch self {
            case .unknownField(let path, let segment, let known):
                let place = path.isEmpty ? "the top level" : path
                let hint = Suggestion.closest(to: segment, in: known).map { " Did you mean '\($0)'?" } ?? ""
                return "\(place) has no field '\(segment)'.\(hint) Fields: \(known.joined(separator: ", "))."
            }
        }
    }

    /// The schema node of a dotted field path.
    func node(at path: String) throws -> JSON {
        var node = root
        var walked: [String] = []
        for segment in path.split(separator: ".").map(String.init) {
            guard let child = field(segment, of: node) else {
                throw Failure.unknownField(path: walked.joined(separator: "."), segment: segment, known: fieldNames(of: node))
            }
            node = child
            walked.append(segment)
        }
        return resolve(node)
    }

    func explain(_ path: String) throws -> String {
        let node = try node(at: path)
        var output = "FIELD:       \(path)\nTYPE:        \(typeDescription(node))\n"
        var segments = path.split(separator: ".").map(String.init)
        if let name = segments.popLast() {
            let parent = try self.node(at: segments.joined(separator: "."))
            output += "REQUIRED:    \(requiredNames(of: parent).contains(name) ? "yes" : "no")\n"
        }
        if let value = node["default"] { output += "DEFAULT:     \(value.rendered())\n" }
        if let description = node["description"]?.stringValue { output += "\nDESCRIPTION:\n  \(description)\n" }
        if let effect = node["x-outbound"]?.stringValue { output += "\nOUTBOUND AVAILABILITY:\n  \(effect)\n" }
        let fields = fieldNames(of: node)
        if !fields.isEmpty {
            output += "\nFIELDS:\n"
            let width = fields.map(\.count).max() ?? 0
            for name in fields {
                let child = field(name, of: node).map(resolve) ?? .null
                let required = requiredNames(of: node).contains(name) ? " (required)" : ""
                output += "  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(typeDescription(child))\(required)\n"
            }
        }
        return output
    }

    private func resolve(_ node: JSON) -> JSON {
        guard let reference = node["$ref"]?.stringValue, reference.hasPrefix("#/$defs/") else { return node }
        let target = root["$defs"]?[String(reference.dropFirst("#/$defs/".count))] ?? .null
        guard case .object(var members) = target, case .object(let own) = node else { return target }
        for (key, value) in own where key != "$ref" {
            members.removeAll { $0.0 == key }
            members.append((key, value))
        }
        return .object(members)
    }

    /// The alternatives a node may take: itself, or each of its oneOf branches.
    private func alternatives(_ node: JSON) -> [JSON] {
        let node = resolve(node)
        if case .array(let branches)? = node["oneOf"] { return branches.map(resolve) }
        return [node]
    }

    private func field(_ name: String, of node: JSON) -> JSON? {
        for alternative in alternatives(node) {
            if let child = alternative["properties"]?[name] { return child }
            if case .object? = alternative["additionalProperties"], let child = field(name, of: alternative["additionalProperties"]!) {
                return child
            }
        }
        return nil
    }

    private func fieldNames(of node: JSON) -> [String] {
        var names: [String] = []
        for alternative in alternatives(node) {
            if case .object(let properties)? = alternative["properties"] { names += properties.map(\.0) }
            if case .object? = alternative["additionalProperties"] { names += fieldNames(of: alternative["additionalProperties"]!) }
        }
        return names
    }

    /// The fields a node's schema requires (`required`, through its alternatives and the
    /// definitions of a section's entries).
    private func requiredNames(of node: JSON) -> Set<String> {
        var names = Set<String>()
        for alternative in alternatives(node) {
            if case .array(let list)? = alternative["required"] { names.formUnion(list.compactMap(\.stringValue)) }
            if case .object? = alternative["additionalProperties"] { names.formUnion(requiredNames(of: alternative["additionalProperties"]!)) }
        }
        return names
    }

    private func typeDescription(_ node: JSON) -> String {
        let node = resolve(node)
        if case .array(let values)? = node["enum"] {
            return "string, one of: " + values.map { $0.stringValue ?? $0.rendered() }.joined(separator: ", ")
        }
        if let value = node["const"] { return "exactly \(value.rendered())" }
        if case .array(let branches)? = node["oneOf"] { return branches.map(typeDescription).joined(separator: " or ") }
        var kinds: [String] = []
        switch node["type"] {
        case .string(let kind)?: kinds = [kind]
        case .array(let list)?: kinds = list.compactMap(\.stringValue)
        default: break
        }
        kinds = kinds.filter { $0 != "null" }
        guard let kind = kinds.first else { return "any" }
        switch kind {
        case "object" where node["additionalProperties"] != nil && node["properties"] == nil: return "mapping of id to definition"
        case "array": return "list of " + (node["items"].map(typeDescription) ?? "any")
        case "integer":
            let low = node["minimum"].map { $0.rendered() }
            let high = node["maximum"].map { $0.rendered() }
            switch (low, high) {
            case (let low?, let high?): return "integer \(low)..\(high)"
            case (let low?, nil): return "integer ≥ \(low)"
            default: return "integer"
            }
        case "string": return node["pattern"].map { _ in "string (id)" } ?? "string"
        default: return kind
        }
    }
}
