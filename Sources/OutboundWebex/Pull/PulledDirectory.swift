import Foundation

/// Where `webex pull` writes the export (SPEC §10): whole or not at all. The files are written
/// to a new directory beside the target, which then takes the target's place by two renames
/// (the old one aside, the new one in), so a pull that fails leaves the target as it was, and
/// one killed never leaves half an export for `import webex` to read as a whole one: killed
/// between the renames, the target is missing and its old files are in `.NAME.old-…` beside it.
/// A non-empty target is refused without `--force`, as for `export`; with it, the lists are
/// replaced (a page file from an earlier, longer pull cannot linger) and every other file there,
/// such as `extra.yaml`, is kept.
public struct PulledDirectory: Sendable {
    public let path: String
    public let force: Bool

    public struct Refusal: Error, CustomStringConvertible {
        /// `directory-not-empty`, `not-a-directory` or `write-failed`.
        public let code: String
        public let description: String
    }

    public init(path: String, force: Bool) {
        self.path = path
        self.force = force
    }

    /// Refuses a target that is a file, or not empty without `--force`: checked before the
    /// pull, so nobody waits minutes for a refusal, and again before writing.
    public func checkWritable() throws(Refusal) {
        let manager = FileManager.default
        if let destination = try? manager.destinationOfSymbolicLink(atPath: path), !manager.fileExists(atPath: path) {
            throw Refusal(code: "not-a-directory", description: "\(path) is a symbolic link to \(destination), which does not exist")
        }
        // The directory is replaced, not written into: the shell of whoever stands in it would
        // be left in a deleted directory.
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let here = URL(fileURLWithPath: manager.currentDirectoryPath).resolvingSymlinksInPath().path
        if here == target || here.hasPrefix(target == "/" ? "/" : target + "/") {
            throw Refusal(
                code: "directory-in-use", description: "\(path) is the current directory or holds it; pull into a directory of its own (raw/)")
        }
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw Refusal(code: "not-a-directory", description: "\(path) exists and is not a directory") }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if !contents.isEmpty, !force {
            throw Refusal(code: "directory-not-empty", description: "\(path) is not empty; pass --force to replace the lists in it")
        }
    }

    public func write(_ files: [(name: String, bytes: [UInt8])]) throws(Refusal) {
        try checkWritable()
        let manager = FileManager.default
        // Through a symbolic link: the directory it names is replaced, and the link stays.
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).pull-\(UUID().uuidString.prefix(8))")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw Refusal(code: "write-failed", description: "cannot write to \(path): \(error.localizedDescription)")
        }
        do {
            for (name, bytes) in files {
                guard manager.createFile(atPath: staging.appendingPathComponent(name).path, contents: Data(bytes)) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
            var old: URL?
            if manager.fileExists(atPath: target.path) {
                // The new directory is the old one's heir: an admin's 700 stays 700.
                if let mode = try? manager.attributesOfItem(atPath: target.path)[.posixPermissions] {
                    try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: staging.path)
                }
                // Kept: what is not a list this pull writes (extra.yaml, notes).
                for name in try manager.contentsOfDirectory(atPath: target.path) where WebexResource.parse(fileName: name) == nil {
                    try manager.copyItem(at: target.appendingPathComponent(name), to: staging.appendingPathComponent(name))
                }
                let aside = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
                try manager.moveItem(at: target, to: aside)
                old = aside
            }
            try manager.moveItem(at: staging, to: target)
            if let old { try? manager.removeItem(at: old) }
        } catch {
            try? manager.removeItem(at: staging)
            throw Refusal(code: "write-failed", description: "cannot write to \(path): \(error.localizedDescription)")
        }
    }
}
