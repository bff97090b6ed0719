import Foundation

/// The field names of a list file's items, counted, read straight from the JSON bytes: the
/// report lists every field the mapping does not read (SPEC §9). Asking the decoder for each
/// item's keys built every item's member table a second time and doubled the decoding of a
/// 50,000-user export; one pass over the bytes, skipping values, costs a fraction of that.
/// Run on text that decoded, so it is valid JSON.
enum WebexFieldScanner {
    private enum Frame {
        /// The array of the list's items; `object` a member table, `item` one of the items.
        case list, array, object, item
    }

    /// `envelope`: the items are in the `data` member of the top-level object (the paged
    /// form); otherwise the top level is their array.
    static func fieldCounts(of data: Data, envelope: Bool) -> [String: Int] {
        data.withUnsafeBytes { raw in
            count(raw.bindMemory(to: UInt8.self), envelope: envelope)
        }
    }

    private static func count(_ bytes: UnsafeBufferPointer<UInt8>, envelope: Bool) -> [String: Int] {
        var counts: [String: Int] = [:]
        var stack: [Frame] = []
        var expectingKey = false
        var lastKeyWasData = false
        // The keys of the item being read, and of the run of items before it with the same keys.
        var keys: [String] = []
        var run: (keys: [String], count: Int) = ([], 0)
        func finishRun() {
            for key in run.keys { counts[key, default: 0] += run.count }
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { escaped = true; end += 1 }
                    end += 1
                }
                if expectingKey {
                    expectingKey = false
                    let text = escaped
                        ? (try? JSON.parse(String(decoding: UnsafeBufferPointer(rebasing: bytes[(start - 1)...end]), as: UTF8.self))).flatMap { if case .string(let key) = $0 { key } else { nil } } ?? ""
                        : String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    if stack.last == .item { keys.append(text) }
                    lastKeyWasData = stack.count == 1 && text == "data"
                }
                index = end
            case UInt8(ascii: "["):
                let isList = envelope ? (stack.count == 1 && lastKeyWasData) : stack.isEmpty
                stack.append(isList ? .list : .array)
            case UInt8(ascii: "{"):
                stack.append(stack.last == .list ? .item : .object)
                expectingKey = true
            case UInt8(ascii: ","):
                expectingKey = stack.last == .object || stack.last == .item
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if stack.popLast() == .item {
                    if keys == run.keys {
                        run.count += 1
                    } else {
                        finishRun()
                        run = (keys, 1)
                    }
                    keys.removeAll(keepingCapacity: true)
                }
            default:
                break
            }
            index += 1
        }
        finishRun()
        return counts
    }
}
