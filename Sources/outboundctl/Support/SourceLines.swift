import Foundation

/// Reads source lines on demand for the caret excerpts of the text reporter.
final class SourceLines {
    private var cache: [String: [Substring]] = [:]

    func line(_ number: Int, in file: String) -> String? {
        if cache[file] == nil {
            let text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) } ?? ""
            cache[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        guard let lines = cache[file], number >= 1, number <= lines.count else { return nil }
        return String(lines[number - 1]).replacingOccurrences(of: "\r", with: "")
    }
}
