import Foundation

/// What loading a set of paths produced: the merged configuration, every diagnostic in reading
/// order, and the files that were read.
public struct LoadResult: Sendable {
    public var configuration: Configuration
    public var diagnostics: [Diagnostic]
    public var files: [String]

    public var isValid: Bool { !diagnostics.hasErrors }
}

/// The front end in one call: paths → files → located YAML → model → diagnostics.
/// Directories contribute every `*.yaml` / `*.yml` below them (hidden entries skipped), in
/// sorted order; a path naming a file is read whatever its extension.
public struct ConfigurationLoader {
    public var limits: LoaderLimits
    /// Extra checks run after the file-format rules (the gate's readiness warnings).
    public var additionalChecks: [@Sendable (Configuration) -> [Diagnostic]]

    public init(limits: LoaderLimits = .default, additionalChecks: [@Sendable (Configuration) -> [Diagnostic]] = []) {
        self.limits = limits
        self.additionalChecks = additionalChecks
    }

    public func load(paths: [String]) -> LoadResult {
        var diagnostics: [Diagnostic] = []
        let files = discover(paths: paths, diagnostics: &diagnostics)
        if files.count > limits.maxFiles {
            diagnostics.append(Diagnostic(.limitExceeded, "\(files.count) configuration files; the limit is \(limits.maxFiles)",
                                          at: SourceLocation(file: files[limits.maxFiles], line: 1, column: 1), path: ""))
            return LoadResult(configuration: Configuration(), diagnostics: diagnostics, files: files)
        }
        let loader = YAMLLoader(limits: limits)
        var parsed: [YAMLFile] = []
        parsed.reserveCapacity(files.count)
        for path in files {
            guard let data = read(path, diagnostics: &diagnostics) else { continue }
            let (file, problems) = data.withUnsafeBytes { loader.load(bytes: $0, path: path) }
            diagnostics += problems
            if problems.allSatisfy({ $0.code == .duplicateKey }) { parsed.append(file) }
        }
        return finish(parsed: parsed, files: files, diagnostics: diagnostics)
    }

    /// Loads in-memory documents (tests, `diff` of stored snapshots): (display path, text).
    public func load(documents: [(path: String, text: String)]) -> LoadResult {
        let loader = YAMLLoader(limits: limits)
        var diagnostics: [Diagnostic] = []
        var parsed: [YAMLFile] = []
        for document in documents {
            let (file, problems) = loader.load(document.text, path: document.path)
            diagnostics += problems
            if problems.allSatisfy({ $0.code == .duplicateKey }) { parsed.append(file) }
        }
        return finish(parsed: parsed, files: documents.map(\.path), diagnostics: diagnostics)
    }

    private func finish(parsed: [YAMLFile], files: [String], diagnostics: [Diagnostic]) -> LoadResult {
        var diagnostics = diagnostics
        let (configuration, decodingProblems) = ConfigurationDecoder().decode(parsed)
        diagnostics += decodingProblems
        diagnostics += ConfigurationValidator().validate(configuration)
        for check in additionalChecks { diagnostics += check(configuration) }
        return LoadResult(configuration: configuration, diagnostics: diagnostics.sortedByLocation(), files: files)
    }

    private func read(_ path: String, diagnostics: inout [Diagnostic]) -> Data? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > limits.maxFileBytes {
            diagnostics.append(Diagnostic(.limitExceeded, "file is \(size) bytes; the limit is \(limits.maxFileBytes) bytes",
                                          at: SourceLocation(file: path, line: 1, column: 1), path: ""))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(Diagnostic(.unreadableFile, "cannot read \(path)", at: SourceLocation(file: path, line: 1, column: 1), path: ""))
            return nil
        }
        return data
    }

    /// The configuration files named by `paths`, each directory expanded in sorted order.
    public func discover(paths: [String], diagnostics: inout [Diagnostic]) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(Diagnostic(.unreadableFile, "no such file or directory: \(path)",
                                              at: SourceLocation(file: path, line: 1, column: 1), path: ""))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            collect(directory: path, depth: 0, into: &found)
            files += found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// Walks at most 64 directories deep, so a symbolic link loop ends.
    private func collect(directory: String, depth: Int, into files: inout [String]) {
        guard depth < 64, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let prefix = directory == "." ? "" : (directory.hasSuffix("/") ? directory : directory + "/")
        for entry in entries where !entry.hasPrefix(".") {
            let path = prefix + entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                collect(directory: path, depth: depth + 1, into: &files)
            } else if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                files.append(path)
            }
        }
    }
}
