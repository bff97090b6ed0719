import Foundation

/// Collects the diagnostics of one decoding run and knows which document it reads.
package final class DecodingContext {
    package typealias Node = YAMLDocument.NodeID

    package var diagnostics: [Diagnostic] = []
    package let document: YAMLDocument
    private let fileIndex: Int32

    package init(document: YAMLDocument, file: String) {
        self.document = document
        fileIndex = SourceLocation(file: file, line: 0, column: 0).fileIndexValue
    }

    package func location(_ node: Node) -> SourceLocation {
        SourceLocation(fileIndex: fileIndex, line: document.line(node), column: document.column(node))
    }

    package func report(_ code: DiagnosticCode, _ message: String, at node: Node, path: String, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(code, message, at: location(node), path: path, notes: notes))
    }

    /// The fields of a mapping node, after reporting its unknown keys; nil (and a diagnostic)
    /// when the node is not a mapping.
    /// `owner` is where "missing field" errors point (an entry's id key); the node itself by default.
    /// An unknown key that looks like a misspelt known key which is absent (`licnce`) is said
    /// once, with the hint: that key is then not reported missing as well.
    package func fields(of node: Node, path: DottedPath, known: [String], owner: SourceLocation? = nil) -> FieldReader? {
        guard document.isMapping(node) else {
            report(.wrongType, "\(path) must be a mapping, found \(document.typeName(node))", at: node, path: path.description)
            return nil
        }
        var misspelt: [String] = []
        for index in 0..<document.count(node) {
            let keyNode = document.key(node, index)
            guard !known.contains(where: { document.scalarEquals(keyNode, $0) }) else { continue }
            let key = document.string(keyNode)
            let suggestion = Suggestion.closest(to: key, in: known)
            if let suggestion, document.value(node, forKey: suggestion) == nil { misspelt.append(suggestion) }
            report(
                .unknownKey, "unknown key '\(key)' in \(path)\(suggestion.map { "; did you mean '\($0)'?" } ?? "")",
                at: keyNode, path: "\(path).\(key)")
        }
        return FieldReader(node: node, owner: owner ?? location(node), path: path, context: self, misspelt: misspelt)
    }
}

/// Typed access to the fields of one mapping. Each accessor reports a located diagnostic
/// when the value is missing, of the wrong type or out of range, and returns nil then.
/// A class: every accessor's message closure captures it, and a 50,000-agent file would
/// otherwise copy its fields hundreds of thousands of times.
package final class FieldReader {
    package typealias Node = YAMLDocument.NodeID

    package let node: Node
    package let owner: SourceLocation
    package let path: DottedPath
    package let context: DecodingContext

    /// Known keys an unknown key was taken for a misspelling of (already reported).
    private let misspelt: [String]
    /// Required keys found absent, reported together by `reportMissingFields()`.
    private var missing: [String] = []

    package init(node: Node, owner: SourceLocation, path: DottedPath, context: DecodingContext, misspelt: [String] = []) {
        self.node = node
        self.owner = owner
        self.path = path
        self.context = context
        self.misspelt = misspelt
    }

    /// One error for all the required fields an entry lacks ("missing required fields 'a',
    /// 'b'"), at the entry; a field taken for a misspelt key is not repeated here.
    package func reportMissingFields() {
        let absent = missing.filter { !misspelt.contains($0) }
        guard let first = absent.first else { return }
        let message =
            absent.count == 1
            ? "\(path) is missing required field '\(first)'"
            : "\(path) is missing required fields \(absent.map { "'\($0)'" }.joined(separator: ", "))"
        context.diagnostics.append(Diagnostic(.missingField, message, at: owner, path: absent.count == 1 ? "\(path).\(first)" : path.description))
    }

    subscript(key: String) -> Node? {
        context.document.value(node, forKey: key)
    }

    /// The value node of `key`; nil when absent (reported when required) or null (treated as absent).
    package func value(_ key: String, required: Bool) -> Node? {
        guard let value = self[key], !context.document.isNull(value) else {
            if required {
                if let present = self[key] {
                    context.diagnostics.append(
                        Diagnostic(
                            .missingField, "\(path).\(key) is required and cannot be empty", at: context.location(present), path: "\(path).\(key)"))
                } else {
                    missing.append(key)
                }
            }
            return nil
        }
        return value
    }

    package func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let value = value(key, required: required) else { return nil }
        return context.string(value, path: "\(path).\(key)")
    }

    package func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Located<Int>? {
        guard let value = value(key, required: required) else { return nil }
        return context.int(value, in: range, path: "\(path).\(key)")
    }

    package func bool(_ key: String, default defaultValue: Bool) -> Located<Bool>? {
        guard let value = value(key, required: false) else { return Located(defaultValue, at: context.location(node)) }
        return context.bool(value, path: "\(path).\(key)")
    }

    package func enumeration<E: ConfigEnum>(_ key: String, _ type: E.Type, required: Bool = false) -> Located<E>? {
        guard let value = value(key, required: required) else { return nil }
        return context.enumeration(value, type, path: "\(path).\(key)")
    }

    /// An IANA time zone name; an unknown one is reported (OB311).
    package func timeZone(_ key: String) -> Located<String>? {
        guard let name = string(key) else { return nil }
        if TimeZone(identifier: name.value) == nil {
            context.diagnostics.append(
                Diagnostic(
                    .invalidTimezone, "\(path).\(key) '\(name.value)' is not an IANA time zone name (e.g. Europe/Lisbon)",
                    at: name.location, path: "\(path).\(key)"))
        }
        return name
    }

    package func date(_ key: String) -> Located<CalendarDate>? {
        guard let value = value(key, required: false), let text = context.string(value, path: "\(path).\(key)") else { return nil }
        guard let date = CalendarDate(text.value) else {
            context.report(.invalidValue, "\(path).\(key) must be a date as YYYY-MM-DD, found '\(text.value)'", at: value, path: "\(path).\(key)")
            return nil
        }
        return Located(date, at: text.location)
    }

    /// A list of ids; `nonEmpty` reports an empty list.
    package func idList(_ key: String, required: Bool = false, nonEmpty: Bool = false) -> [Located<String>]? {
        guard let value = value(key, required: required) else { return nil }
        return context.idList(value, path: "\(path).\(key)", nonEmpty: nonEmpty)
    }

    /// `all` or a list of ids; absent means `all`.
    package func selection(_ key: String) -> Located<Selection>? {
        guard let value = value(key, required: false) else { return Located(.all, at: context.location(node)) }
        if context.document.scalarEquals(value, "all") { return Located(.all, at: context.location(value)) }
        guard context.document.isSequence(value) else {
            context.report(
                .wrongType, "\(path).\(key) must be 'all' or a list of ids, found \(context.document.typeName(value))", at: value,
                path: "\(path).\(key)")
            return nil
        }
        return context.idList(value, path: "\(path).\(key)", nonEmpty: false).map { Located(.only($0), at: context.location(value)) }
    }
}

extension DecodingContext {
    package func string(_ node: Node, path: @autoclosure () -> String) -> Located<String>? {
        guard document.isScalar(node), !document.isNull(node) else {
            report(.wrongType, "\(path()) must be a string, found \(document.typeName(node))", at: node, path: path())
            return nil
        }
        return Located(document.string(node), at: location(node))
    }

    package func int(_ node: Node, in range: ClosedRange<Int>, path: @autoclosure () -> String) -> Located<Int>? {
        guard document.isPlainScalar(node), let number = Int(document.string(node)) else {
            report(.wrongType, "\(path()) must be an integer, found \(document.typeName(node))", at: node, path: path())
            return nil
        }
        guard range.contains(number) else {
            let bounds = range.upperBound == .max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            report(.invalidValue, "\(path()) must be \(bounds), found \(number)", at: node, path: path())
            return nil
        }
        return Located(number, at: location(node))
    }

    package func bool(_ node: Node, path: @autoclosure () -> String) -> Located<Bool>? {
        if document.isPlainScalar(node) {
            let text = document.string(node)
            switch text {
            case "true", "True", "TRUE": return Located(true, at: location(node))
            case "false", "False", "FALSE": return Located(false, at: location(node))
            case "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
                report(.wrongType, "\(path()) must be true or false; '\(text)' is ambiguous across YAML versions, write true", at: node, path: path())
                return nil
            case "no", "No", "NO", "off", "Off", "OFF", "n", "N":
                report(
                    .wrongType, "\(path()) must be true or false; '\(text)' is ambiguous across YAML versions, write false", at: node, path: path())
                return nil
            default: break
            }
        }
        report(.wrongType, "\(path()) must be true or false, found \(document.typeName(node))", at: node, path: path())
        return nil
    }

    package func enumeration<E: ConfigEnum>(_ node: Node, _ type: E.Type, path: @autoclosure () -> String) -> Located<E>? {
        guard document.isScalar(node), !document.isNull(node) else {
            let allowed = E.allCases.map(\.rawValue)
            report(
                .wrongType, "\(path()) must be one of \(allowed.joined(separator: ", ")), found \(document.typeName(node))", at: node, path: path())
            return nil
        }
        let text = document.string(node)
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue)
            report(
                .invalidValue,
                "\(path()) must be one of \(allowed.joined(separator: ", ")), found '\(text)'\(Suggestion.hint(for: text, in: allowed))", at: node,
                path: path())
            return nil
        }
        return Located(value, at: location(node))
    }

    package func idList(_ node: Node, path: @autoclosure () -> String, nonEmpty: Bool) -> [Located<String>]? {
        guard document.isSequence(node) else {
            report(.wrongType, "\(path()) must be a list of ids, found \(document.typeName(node))", at: node, path: path())
            return nil
        }
        let count = document.count(node)
        if nonEmpty, count == 0 {
            report(.invalidValue, "\(path()) must list at least one id", at: node, path: path())
            return nil
        }
        var ids: [Located<String>] = []
        ids.reserveCapacity(count)
        // Agents' lists are short: a scan beats hashing there; long lists get an index.
        var positions: [String: Int]? = count > 16 ? [:] : nil
        for index in 0..<count {
            guard let id = string(document.item(node, index), path: "\(path())[\(index)]") else { continue }
            let earlier = if let positions { positions[id.value] } else { ids.firstIndex { $0.value == id.value } }
            if let earlier {
                report(
                    .duplicateListEntry, "\(path()) lists '\(id.value)' twice", at: document.item(node, index), path: "\(path())[\(index)]",
                    notes: [.init("first listed here", at: ids[earlier].location)])
                continue
            }
            positions?[id.value] = ids.count
            ids.append(id)
        }
        return ids
    }
}

/// A dotted path built only when a message needs it: `parent.last` (`agents.ana.silva`).
package struct DottedPath: CustomStringConvertible {
    package let parent: String
    package let last: String

    package init(parent: String, last: String) {
        self.parent = parent
        self.last = last
    }

    package var description: String { parent.isEmpty ? last : "\(parent).\(last)" }
}
