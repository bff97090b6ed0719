import Foundation

/// The bearer tokens of `--token-file`: one per line, blank lines and `#` comments ignored,
/// `TOKEN scope=check` for a token limited to the checks. Re-read on SIGHUP.
public struct TokenFile: Sendable {
    public enum Scope: Sendable, Equatable {
        /// Every route.
        case all
        /// The checks, the change feed and the status: what a desktop back end needs.
        case check
    }

    struct Entry: Sendable {
        var token: [UInt8]
        var scope: Scope
    }

    let entries: [Entry]

    /// Reads and checks the file; the error names the file and line.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenFileError("cannot read the token file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw TokenFileError("\(path) is not UTF-8 text") }
        var entries: [Entry] = []
        // Split on any line end: in Swift "\r\n" is one Character, which a split on "\n" misses.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let token = String(words[0])
            guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw TokenFileError("\(path):\(index + 1): a token is printable ASCII without spaces")
            }
            switch words.dropFirst().map(String.init) {
            case []: entries.append(Entry(token: Array(token.utf8), scope: .all))
            case ["scope=check"]: entries.append(Entry(token: Array(token.utf8), scope: .check))
            case let rest:
                throw TokenFileError("\(path):\(index + 1): unknown '\(rest.joined(separator: " "))' after the token; the only option is scope=check")
            }
        }
        guard !entries.isEmpty else { throw TokenFileError("\(path) holds no token") }
        self.entries = entries
    }

    /// The scope of `presented`, nil when it is no token of the file. Every token is compared,
    /// each in time independent of where the bytes differ.
    func scope(of presented: Substring) -> Scope? {
        let bytes = Array(presented.utf8)
        var found: Scope?
        for entry in entries where Self.constantTimeEqual(entry.token, bytes) { found = found ?? entry.scope }
        return found
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0 && a.count == b.count
    }
}

public struct TokenFileError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
