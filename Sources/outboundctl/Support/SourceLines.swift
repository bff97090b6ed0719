import Foundation

/// Reads source lines on demand for the caret excerpts of the text reporter. A file is read
/// once as bytes and its line starts found by one scan: splitting a 9 MB `String` into
/// lines, character by character, cost more than validating it.
final class SourceLines {
    private struct File {
        var bytes: [UInt8]
        /// Offset of the first byte of every line. Lines end as libyaml counts them: at
        /// `\n`, `\r\n` or a lone `\r`.
        var lineStarts: [Int]
    }

    private var cache: [String: File] = [:]

    func line(_ number: Int, in path: String) -> String? {
        let file = cache[path] ?? load(path)
        guard number >= 1, number <= file.lineStarts.count else { return nil }
        let start = file.lineStarts[number - 1]
        var end = number < file.lineStarts.count ? file.lineStarts[number] : file.bytes.count
        while end > start, file.bytes[end - 1] == UInt8(ascii: "\n") || file.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: file.bytes[start..<end], as: UTF8.self)
    }

    private func load(_ path: String) -> File {
        let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
        var lineStarts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for (offset, byte) in buffer.enumerated() {
                if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && (offset + 1 == buffer.count || buffer[offset + 1] != UInt8(ascii: "\n"))) {
                    lineStarts.append(offset + 1)
                }
            }
        }
        let file = File(bytes: bytes, lineStarts: lineStarts)
        cache[path] = file
        return file
    }
}
