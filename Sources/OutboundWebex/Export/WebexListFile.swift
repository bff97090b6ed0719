import Foundation
import OutboundConfig

/// One file of an export, decoded: a list endpoint's response in either form the API returns,
/// a plain array or the paged `/v2/` envelope `{"meta": …, "data": […]}`. Every item is decoded
/// on its own, so one run reports the problems of every bad item, not only of the first.
/// The text is laid out as a `JSONTape`; each item is checked against Cisco's schema on it
/// (`WebexSchemaCheck`), then decoded off it (`JSONTapeDecoder`), and its field names are counted
/// for the report.
struct WebexListFile<Item: WebexItem>: Sendable {
    var items: [Item] = []
    /// Where each item of `items` is, at the same position.
    var locations: [WebexItemLocation] = []
    /// Errors: the file's, and those of the items not decoded.
    var problems: [WebexInputProblem] = []
    /// Schema problems of the decoded items that do not refuse them, by field (SPEC §9).
    var fieldWarnings: [String: WebexFieldWarning] = [:]
    /// How many items carry each field name, so the report can list every field the mapping
    /// does not read (SPEC §9: nothing is dropped silently).
    var fieldCounts: [String: Int] = [:]
    /// Bad items whose problems are not in `problems`, once enough are (`WebexInputProblem.limit`).
    var undescribedItems = 0

    /// A step of a JSON path: the list's `data` member, or an item's position.
    private struct Step: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) {
            self.stringValue = stringValue
            intValue = nil
        }
        init(intValue: Int) {
            stringValue = "\(intValue)"
            self.intValue = intValue
        }
    }

    /// Reads a file's bytes, checking each item against Cisco's item schema of the list: an
    /// item with errors there is reported whole and not decoded; one with only warnings is
    /// decoded, and its warnings counted.
    init(file: String, bytes: [UInt8]) {
        // A byte-order mark (files saved by some Windows tools) is not part of the JSON, and
        // places are counted without it.
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let tape: JSONTape
        do {
            tape = try JSONTape(bytes: bytes)
        } catch let error as JSONTape.ParseError {
            problems.append(
                WebexInputProblem(
                    .error, file: file, message: "not valid JSON at \(Self.place(of: error.offset, in: bytes)): \(error.problem.rawValue)"))
            return
        } catch {
            problems.append(WebexInputProblem(.error, file: file, message: "not valid JSON: \(error)"))
            return
        }
        let list: Int
        let listPath: [any CodingKey]
        switch tape.kind(tape.root) {
        case .array:
            (list, listPath) = (tape.root, [])
        case .object:
            // The paged form; `meta` (page numbers and links) is not needed once the pages are files.
            // A second `data` would be read one way here and another by other JSON readers.
            var names: Set<ArraySlice<UInt8>> = []
            if let repeated = tape.keys(of: tape.root).first(where: { !names.insert(tape.utf8($0)).inserted }) {
                problems.append(
                    WebexInputProblem(
                        .error, file: file, jsonPath: "$" + WebexInputProblem.step(tape.string(repeated)), message: "appears twice in this object"))
                return
            }
            guard let data = tape.member("data", of: tape.root) else {
                problems.append(WebexInputProblem(.error, file: file, jsonPath: "$.data", message: "required by Cisco's schema, missing"))
                return
            }
            guard tape.kind(data) == .array else {
                problems.append(WebexInputProblem(.error, file: file, jsonPath: "$.data", message: "expected an array"))
                return
            }
            (list, listPath) = (data, [Step(stringValue: "data")])
        default:
            problems.append(WebexInputProblem(.error, file: file, message: "expected an array, or an object with the array in data"))
            return
        }
        let prefix = WebexInputProblem.jsonPath(listPath)
        let elements = Array(tape.items(of: list).enumerated())
        // Checked and decoded in chunks on all cores: an export may hold 50,000 users in one
        // file, and a file's items were otherwise read on one core while the other idled.
        // Past `WebexInputProblem.limit` errors a chunk only tells good items from bad ones
        // (and counts no more warnings, the import failing anyway): spelling out the 8 million
        // problems of a 3 MB list of `{}` took minutes.
        let schema = WebexSchema.item(of: Item.resource)
        let chunks = ParallelMap.mapChunks(elements) { chunk in
            let check = WebexSchemaCheck(tape: tape, reading: Item.resource.mappedFields)
            var fields = FieldCounter(tape: tape)
            var warnings: [String: WebexFieldWarning] = [:]
            var described = 0
            let outcomes = chunk.map { index, element in
                fields.count(element)
                let outcome = Self.read(
                    element, at: index, of: tape, in: file, prefix: prefix, listPath: listPath, against: schema.schema(of: element, on: tape),
                    with: check, describing: described < WebexInputProblem.limit, warnings: &warnings)
                if case .problems(let found) = outcome { described += found.count }
                return outcome
            }
            return [(outcomes, fields.counts, warnings)]
        }
        items.reserveCapacity(elements.count)
        locations.reserveCapacity(elements.count)
        for (outcomes, counts, warnings) in chunks {
            fieldCounts.merge(counts, uniquingKeysWith: +)
            WebexFieldWarning.add(warnings, to: &fieldWarnings)
            for outcome in outcomes {
                switch outcome {
                case .item(let item, let location):
                    items.append(item)
                    locations.append(location)
                case .problems(let found) where problems.count < WebexInputProblem.limit:
                    problems += found
                case .problems, .refused:
                    undescribedItems += 1
                }
            }
        }
    }

    /// How many objects carry each field name. Items of a list carry a few sets of fields: the
    /// objects of each set are counted (a set is found by a hash of its keys' bytes, confirmed
    /// by comparing them), and names are made once a set, not once an item.
    private struct FieldCounter {
        let tape: JSONTape
        private var sets: [UInt64: [(object: Int, count: Int)]] = [:]

        init(tape: JSONTape) {
            self.tape = tape
        }

        mutating func count(_ node: Int) {
            guard tape.kind(node) == .object else { return }
            let signature = tape.keySignature(of: node)
            if let index = sets[signature]?.firstIndex(where: { tape.sameKeys($0.object, node) }) {
                sets[signature]![index].count += 1
            } else {
                sets[signature, default: []].append((node, 1))
            }
        }

        var counts: [String: Int] {
            var counts: [String: Int] = [:]
            for (object, count) in sets.values.joined() {
                for key in tape.keys(of: object) { counts[tape.string(key), default: 0] += count }
            }
            return counts
        }
    }

    /// One item of a list: decoded where it was read, what is wrong with it, or only that
    /// something is (once enough problems are spelled out).
    private enum ItemOutcome: Sendable {
        case item(Item, WebexItemLocation)
        case problems([WebexInputProblem])
        case refused
    }

    /// Checks an item against Cisco's schema, and decodes it when no error is there; the
    /// warnings of a decoded item are added to `warnings`, one per field it breaks.
    private static func read(
        _ element: Int, at index: Int, of tape: JSONTape, in file: String, prefix: String, listPath: [any CodingKey],
        against schema: WebexSchema, with check: WebexSchemaCheck, describing: Bool, warnings: inout [String: WebexFieldWarning]
    ) -> ItemOutcome {
        guard describing else {
            return check.isValid(element, against: schema)
                ? decoded(element, at: index, of: tape, in: file, prefix: prefix, listPath: listPath) : .refused
        }
        let found = check.problems(of: element, against: schema)
        func located(_ problem: WebexSchemaCheck.Problem, _ severity: WebexInputProblem.Severity) -> WebexInputProblem {
            WebexInputProblem(severity, file: file, jsonPath: "\(prefix)[\(index)]\(problem.path)", message: problem.message)
        }
        let errors = found.filter { $0.weight == .error }
        guard errors.isEmpty else { return .problems(errors.map { located($0, .error) }) }
        let outcome = decoded(element, at: index, of: tape, in: file, prefix: prefix, listPath: listPath)
        guard case .item = outcome else { return outcome }
        var itemWarnings: [String: WebexFieldWarning] = [:]
        for problem in found {
            // Every problem but the item's own is in a member; only errors can be the item's.
            guard let field = problem.field, itemWarnings[field] == nil else { continue }
            itemWarnings[field] = WebexFieldWarning(
                resource: Item.resource, field: field, reason: problem.weight == .nullReadAsAbsent ? .nullReadAsAbsent : .notRead, items: 1,
                first: located(problem, .warning))
        }
        WebexFieldWarning.add(itemWarnings, to: &warnings)
        return outcome
    }

    private static func decoded(_ element: Int, at index: Int, of tape: JSONTape, in file: String, prefix: String, listPath: [any CodingKey])
        -> ItemOutcome
    {
        do {
            let item = try Item(from: JSONTapeDecoder(tape, node: element, codingPath: listPath + [Step(intValue: index)]))
            return .item(item, WebexItemLocation(file: file, jsonPath: "\(prefix)[\(index)]"))
        } catch let error as DecodingError {
            return .problems([WebexInputProblem(file: file, decodingError: error)])
        } catch {
            return .problems([WebexInputProblem(.error, file: file, jsonPath: "\(prefix)[\(index)]", message: "\(error)")])
        }
    }

    /// Where the text stops being JSON: "line L, column C" (columns count bytes).
    private static func place(of offset: Int, in bytes: [UInt8]) -> String {
        let before = bytes.prefix(offset)
        let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return "line \(line), column \(column)"
    }
}
