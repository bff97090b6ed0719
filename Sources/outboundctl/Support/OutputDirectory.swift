import Foundation

/// A directory a command writes its files into (`export`, `import webex`): created if missing;
/// one that holds anything is refused unless `--force`, so nobody's work is overwritten by
/// accident; files of the same names are then replaced. Other configuration files there are
/// left alone but warned about: `validate` and `apply` of the directory read them too.
struct OutputDirectory {
    let path: String
    let force: Bool

    func write(_ files: [(name: String, text: String)]) throws {
        let written = Set(files.map(\.name))
        var others: [String] = []
        if force, let walk = FileManager.default.enumerator(atPath: path) {
            while let name = walk.nextObject() as? String {
                if name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !written.contains(name) { others.append(name) }
            }
        }
        try replace(files)
        if !others.isEmpty {
            printError(
                "warning: \(VisibleText.escaping(path)) also holds \(others.sorted().map { VisibleText.escaping($0) }.joined(separator: ", ")), not written now; validate and apply of it read them too"
            )
        }
    }

    private func replace(_ files: [(name: String, text: String)]) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure("not-a-directory", "\(path) exists and is not a directory")
        }
        let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        if !contents.isEmpty, !force {
            throw CommandFailure("directory-not-empty", "\(path) is not empty; pass --force to write into it")
        }
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            for (name, text) in files {
                try text.write(toFile: (path as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        } catch {
            throw CommandFailure("write-failed", "cannot write to \(path): \(error.localizedDescription)")
        }
    }
}
