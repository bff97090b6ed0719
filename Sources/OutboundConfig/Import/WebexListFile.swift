import Foundation

/// One file of an export, decoded: a list endpoint's response in either form the API returns,
/// a plain array or the paged `/v2/` envelope `{"meta": …, "data": […]}`. Every item is decoded
/// on its own, so one run reports the first problem of every bad item, not only of the first.
/// The text is parsed with `JSON.parse` and items decoded off the parsed values
/// (`JSONValueDecoder`), which also gives each item's field names for the report.
struct WebexListFile<Item: WebexItem>: Sendable {
    var items: [Item] = []
    /// Where each item of `items` is, at the same position.
    var locations: [WebexItemLocation] = []
    var problems: [WebexInputProblem] = []
    /// How many items carry each field name, so the report can list every field the mapping
    /// does not read (SPEC §9: nothing is dropped silently).
    var fieldCounts: [String: Int] = [:]

    /// A step of a JSON path: the list's `data` member, or an item's position.
    private struct Step: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
        init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
    }

    init(file: String, data: Data) {
        let root: JSON
        do {
            // A byte-order mark (files saved by some Windows tools) is not part of the JSON.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            root = try JSON.parse(bytes: data.starts(with: bom) ? Array(data.dropFirst(3)) : Array(data))
        } catch {
            let offset = (error as? JSON.ParseError)?.offset ?? 0
            problems.append(WebexInputProblem(.error, file: file, message: "not valid JSON: \(Self.place(of: offset, in: data))"))
            return
        }
        let list: [JSON]
        let listPath: [any CodingKey]
        switch root {
        case .array(let array):
            (list, listPath) = (array, [])
        case .object(let members):
            // The paged form; `meta` (page numbers and links) is not needed once the pages are files.
            guard let data = members.first(where: { $0.0 == "data" })?.1 else {
                problems.append(WebexInputProblem(.error, file: file, jsonPath: "$.data", message: "required by Cisco's schema, missing"))
                return
            }
            guard case .array(let array) = data else {
                problems.append(WebexInputProblem(.error, file: file, jsonPath: "$.data", message: "expected an array"))
                return
            }
            (list, listPath) = (array, [Step(stringValue: "data")])
        default:
            problems.append(WebexInputProblem(.error, file: file, message: "expected an array, or an object with the array in data"))
            return
        }
        let prefix = WebexInputProblem.jsonPath(listPath)
        // Items of a list mostly carry the same fields: count runs of equal field lists, and
        // each field once a run, not once an item.
        var runs: [(fields: [String], count: Int)] = []
        for (index, element) in list.enumerated() {
            if case .object(let members) = element {
                let fields = members.map(\.0)
                if let last = runs.indices.last, runs[last].fields == fields { runs[last].count += 1 } else { runs.append((fields, 1)) }
            }
            do {
                items.append(try Item(from: JSONValueDecoder(element, codingPath: listPath + [Step(intValue: index)])))
                locations.append(WebexItemLocation(file: file, jsonPath: "\(prefix)[\(index)]"))
            } catch let error as DecodingError {
                problems.append(WebexInputProblem(file: file, decodingError: error))
            } catch {
                problems.append(WebexInputProblem(.error, file: file, jsonPath: "\(prefix)[\(index)]", message: "\(error)"))
            }
        }
        for run in runs {
            for field in run.fields { fieldCounts[field, default: 0] += run.count }
        }
    }

    /// Where the text stops being JSON: "at line L, column C" (columns count bytes).
    private static func place(of offset: Int, in data: Data) -> String {
        let before = data.prefix(offset)
        let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 - data.startIndex } ?? 0) + 1
        return (offset >= data.count ? "the text ends too soon, " : "") + "at line \(line), column \(column)"
    }
}
