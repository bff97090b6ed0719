import Foundation
import OutboundConfig

/// Reads source lines on demand for the caret excerpts of the text reporter, reading no more
/// of a file than an excerpt needs: a file is read in pieces up to the line asked for, never
/// past the loader's file size limit, and of a long line only the part around the column.
/// (A 2 GB file rejected at line 1 used to be read whole, twice, for its excerpt.) Line
/// starts are found by one byte scan: splitting a 9 MB `String` into lines, character by
/// character, cost more than validating it.
final class SourceLines {
    /// One excerpt's text and whether the line goes on past it.
    struct Line {
        var text: String
        var isCut: Bool
    }

    private final class File {
        let handle: FileHandle?
        var bytes: [UInt8] = []
        /// Offset of the first byte of every line found so far. Lines end as libyaml counts
        /// them: at `\n`, `\r\n` or a lone `\r`.
        var lineStarts = [0]
        var scanned = 0
        var atEnd = false

        init(handle: FileHandle?) {
            self.handle = handle
            atEnd = handle == nil
        }
    }

    /// How much of a file may be read in all: what the loader would read.
    let maxBytes: Int
    private var cache: [String: File] = [:]
    private static let chunk = 64 << 10

    init(maxBytes: Int = LoaderLimits.default.maxFileBytes) {
        self.maxBytes = maxBytes
    }

    /// Line `number` of `path`, enough of it to show `width` characters around `column`.
    func line(_ number: Int, in path: String, column: Int, width: Int) -> Line? {
        guard number >= 1 else { return nil }
        let file = cache[path] ?? open(path)
        // Up to 4 bytes a character: enough bytes to reach the column and show the window.
        let wanted = (max(column, 1) + width) * 4
        while file.lineStarts.count <= number, !(file.lineStarts.count == number && file.bytes.count - file.lineStarts[number - 1] >= wanted) {
            guard readMore(file) else { break }
        }
        guard number <= file.lineStarts.count else { return nil }
        let start = file.lineStarts[number - 1]
        guard start < file.bytes.count || number < file.lineStarts.count || file.atEnd else { return nil }
        var end = number < file.lineStarts.count ? file.lineStarts[number] : file.bytes.count
        while end > start, file.bytes[end - 1] == UInt8(ascii: "\n") || file.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var isCut = number == file.lineStarts.count && !file.atEnd
        if end - start > wanted {
            end = start + wanted
            isCut = true
        }
        if isCut {
            // Do not end inside a UTF-8 sequence.
            while end > start, file.bytes[end - 1] & 0xC0 == 0x80 { end -= 1 }
            if end > start, file.bytes[end - 1] >= 0xC0 { end -= 1 }
        }
        return Line(text: VisibleText.decoding(file.bytes[start..<end]), isCut: isCut)
    }

    private func open(_ path: String) -> File {
        let file = File(handle: FileHandle(forReadingAtPath: path))
        cache[path] = file
        return file
    }

    /// Reads the next piece and records the line starts in it; false at the end or the limit.
    private func readMore(_ file: File) -> Bool {
        guard !file.atEnd, let handle = file.handle else { return false }
        let room = maxBytes - file.bytes.count
        guard room > 0, let data = try? handle.read(upToCount: min(Self.chunk, room)), !data.isEmpty else {
            file.atEnd = true
            try? file.handle?.close()
            return false
        }
        file.bytes += data
        file.bytes.withUnsafeBufferPointer { buffer in
            // A `\r` at the end of what is read so far waits for the next piece to tell `\r\n`.
            var offset = file.scanned
            while offset < buffer.count {
                let byte = buffer[offset]
                if byte == UInt8(ascii: "\n") {
                    file.lineStarts.append(offset + 1)
                } else if byte == UInt8(ascii: "\r") {
                    guard offset + 1 < buffer.count else { break }
                    if buffer[offset + 1] != UInt8(ascii: "\n") { file.lineStarts.append(offset + 1) }
                }
                offset += 1
            }
            file.scanned = offset
        }
        return true
    }
}
