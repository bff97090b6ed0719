import Foundation

/// One file of an export, decoded: a list endpoint's response in either form the API returns,
/// a plain array or the paged `/v2/` envelope `{"meta": …, "data": […]}`. Every item is decoded
/// on its own, so one run reports the first problem of every bad item, not only of the first.
struct WebexListFile<Item: WebexItem>: Sendable {
    var items: [Item] = []
    /// Where each item of `items` is, at the same position.
    var locations: [WebexItemLocation] = []
    var problems: [WebexInputProblem] = []
    /// How many items carry each field name, so the report can list every field the mapping
    /// does not read (SPEC §9: nothing is dropped silently).
    var fieldCounts: [String: Int] = [:]

    /// An item, or the error that stopped its decoding (its coding path is the full JSON path).
    private struct Entry: Decodable {
        let result: Result<Item, DecodingError>

        init(from decoder: any Decoder) throws {
            do {
                result = .success(try Item(from: decoder))
            } catch let error as DecodingError {
                result = .failure(error)
            }
        }
    }

    /// The paged form; `meta` (page numbers and links) is not needed once the pages are files.
    private struct Envelope: Decodable {
        let data: [Entry]
    }

    /// Where `data` stops being JSON ("Invalid value around character 11."), as
    /// JSONSerialization says it; nil when it is JSON.
    private static func syntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        }
    }

    init(file: String, data: Data) {
        let entries: [Entry]
        let listPath: String
        // The first significant byte tells the two forms apart; anything else is left to
        // the array decoder, whose error says what it found.
        let isEnvelope = data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{")
        do {
            if isEnvelope {
                entries = try JSONDecoder().decode(Envelope.self, from: data).data
                listPath = "$.data"
            } else {
                listPath = "$"
                entries = try JSONDecoder().decode([Entry].self, from: data)
            }
        } catch let error as DecodingError {
            problems.append(WebexInputProblem(file: file, decodingError: error, syntax: Self.syntaxError(in: data)))
            return
        } catch {
            problems.append(WebexInputProblem(.error, file: file, message: "\(error)"))
            return
        }
        fieldCounts = WebexFieldScanner.fieldCounts(of: data, envelope: isEnvelope)
        for (index, entry) in entries.enumerated() {
            switch entry.result {
            case let .success(item):
                items.append(item)
                locations.append(WebexItemLocation(file: file, jsonPath: "\(listPath)[\(index)]"))
            case let .failure(error): problems.append(WebexInputProblem(file: file, decodingError: error))
            }
        }
    }
}
