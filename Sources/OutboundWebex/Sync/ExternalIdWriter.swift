import Foundation
import OutboundConfig

/// `webex push --write-ids`: a created entity's Webex id written into its YAML entry as one
/// `externalId:` line, right under the entry's key, indented as the entry's first field. The
/// rest of the file stays byte for byte as it was (comments, order, quoting), so the change is
/// one line in a review.
public enum ExternalIdWriter {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Inserts `externalId: webexId` into the entry `id` whose key is on `line` of `file`.
    public static func insert(_ webexId: String, entry id: String, line: Int, in given: String) throws(Refusal) {
        // A symbolic link stays one: the file it points to is the one rewritten.
        let file = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        guard let data = FileManager.default.contents(atPath: file) else { throw Refusal(description: "\(file): cannot be read") }
        // Split on bytes: as Characters, "\r\n" is one and would not split on "\n".
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let ending = lines.first?.hasSuffix("\r") == true ? "\r" : ""
        guard line >= 1, line <= lines.count else { throw Refusal(description: "\(file):\(line): the file changed since it was read") }
        let keyLine = lines[line - 1]
        let indent = keyLine.prefix { $0 == " " }.count
        let key = keyLine.dropFirst(indent)
        let plain = "\(id):"
        let quoted = ["\"\(id)\":", "'\(id)':"]
        guard let keyText = ([plain] + quoted).first(where: { key.hasPrefix($0) }),
            key.dropFirst(keyText.count).allSatisfy({ $0 == " " || $0 == "\r" })
                || key.dropFirst(keyText.count).trimmingCharacters(in: .whitespaces).hasPrefix("#")
        else {
            throw Refusal(description: "\(file):\(line): the entry '\(id)' is not a block of fields there; add externalId: \(webexId) by hand")
        }
        // An entry that already names its Webex id (written by another push) keeps it.
        for field in lines[line...].prefix(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.prefix { $0 == " " }.count > indent }) {
            let text = field.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("externalId:") else { continue }
            let given = text.dropFirst("externalId:".count).trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'\r"))
            if given == webexId { return }
            throw Refusal(description: "\(file):\(line): the entry '\(id)' already has externalId \(given), not \(webexId); check it by hand")
        }
        // The entry's fields' indentation: its first field's.
        var fieldIndent = indent + 2
        if let next = lines[line...].first(where: {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#")
        }) {
            let nextIndent = next.prefix { $0 == " " }.count
            if nextIndent > indent { fieldIndent = nextIndent }
        }
        let value = webexId.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) ? webexId : JSON.string(webexId).rendered()
        lines.insert(String(repeating: " ", count: fieldIndent) + "externalId: " + value + ending, at: line)
        let url = URL(fileURLWithPath: file)
        let staged = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).outboundctl-\(getpid())")
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            try Data(lines.joined(separator: "\n").utf8).write(to: staged)
            if let permissions = attributes[.posixPermissions] {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: staged.path)
            }
            guard rename(staged.path, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: staged)
            throw Refusal(description: "\(file): cannot be written: \(error.localizedDescription)")
        }
    }
}
