import Foundation

/// What loading a set of paths produced: the merged configuration, every diagnostic in reading
/// order, and the files that were read.
public struct LoadResult: Sendable {
    public var configuration: Configuration
    public var diagnostics: [Diagnostic]
    public var files: [String]
    /// A hash of every file's path and bytes, in reading order: identical sources give an
    /// identical configuration, which lets an unchanged apply stop early.
    public var sourceDigest: String
    /// False when a file could not be parsed: the checks across files were then skipped
    /// (see `ConfigurationValidator.complete`), and more problems may show once it parses.
    public var everyFileParsed: Bool

    public init(configuration: Configuration, diagnostics: [Diagnostic], files: [String], sourceDigest: String = "", everyFileParsed: Bool = true) {
        self.configuration = configuration
        self.diagnostics = diagnostics
        self.files = files
        self.sourceDigest = sourceDigest
        self.everyFileParsed = everyFileParsed
    }

    public var isValid: Bool { !diagnostics.hasErrors }
}

/// The front end in one call: paths → files → located YAML → model → diagnostics (the
/// file-format rules, then the gate's readiness warnings).
/// Directories contribute every `*.yaml` / `*.yml` below them (hidden entries skipped), in
/// sorted order; a path naming a file is read whatever its extension.
public struct ConfigurationLoader: Sendable {
    public var limits: LoaderLimits
    /// The day readiness warnings judge licences on (nil: the day `now` falls on in the tenant's time zone).
    public var date: CalendarDate?
    /// The caller's clock: the core never reads the time by itself.
    public var now: Date
    /// Whether to run the gate's readiness warnings (OB4xx); commands that only need a valid
    /// configuration skip them.
    public var readinessWarnings: Bool

    public init(limits: LoaderLimits = .default, date: CalendarDate? = nil, now: Date, readinessWarnings: Bool = true) {
        self.limits = limits
        self.date = date
        self.now = now
        self.readinessWarnings = readinessWarnings
    }

    public func load(paths: [String]) -> LoadResult {
        load(paths: paths, alongside: { _, _ in () }).0
    }

    /// Loads `paths` and, while the rules check the merged configuration on one core, runs
    /// `work` on it (and on the source digest) on another: a command's own work (a matrix, a
    /// plan) overlaps with the checks instead of waiting for them. `work` is skipped (nil) when
    /// the files already have errors; its result is only worth using when the whole result is valid.
    public func load<Work: Sendable>(paths: [String], alongside work: @escaping @Sendable (Configuration, _ sourceDigest: String) -> Work) -> (
        LoadResult, Work?
    ) {
        var diagnostics: [Diagnostic] = []
        let files = discover(paths: paths, diagnostics: &diagnostics)
        if files.count > limits.maxFiles {
            diagnostics.append(
                Diagnostic(
                    .limitExceeded, "\(files.count) configuration files; the limit is \(limits.maxFiles)",
                    at: SourceLocation(file: files[limits.maxFiles], line: 1, column: 1), path: ""))
            return (LoadResult(configuration: Configuration(), diagnostics: diagnostics, files: files), nil)
        }
        var merger = ConfigurationMerger()
        var source = FNV1a()
        let loading = ParallelLoad(paths: files, loader: self)
        for index in files.indices {
            let (parsed, parts) = loading.take(index)
            diagnostics += parsed.problems
            guard !parts.isEmpty else {
                merger.noteUnparsed(files[index])
                continue
            }
            source.combine(parsed.sourceHash)
            for part in parts { merger.add(part) }
        }
        return finish(merger, files: files, paths: paths, diagnostics: diagnostics, sourceDigest: source.hex, alongside: work)
    }

    /// One file read and parsed: its tree when there is something to decode (a syntax error
    /// leaves nothing; duplicate keys still leave a usable tree), its problems, and the hash
    /// of its path and bytes for `LoadResult.sourceDigest`.
    struct ParsedFile: Sendable {
        var file: YAMLFile?
        var problems: [Diagnostic]
        var sourceHash: UInt64
    }

    func parse(_ path: String) -> ParsedFile {
        var diagnostics: [Diagnostic] = []
        guard let data = read(path, diagnostics: &diagnostics) else { return ParsedFile(file: nil, problems: diagnostics, sourceHash: 0) }
        let (file, problems) = data.withUnsafeBytes { YAMLLoader(limits: limits).load(bytes: $0, path: path) }
        return ParsedFile(
            file: Self.isUsable(problems) ? file : nil, problems: problems,
            sourceHash: data.withUnsafeBytes { Self.sourceHash(path, $0) })
    }

    private static func isUsable(_ problems: [Diagnostic]) -> Bool {
        problems.allSatisfy { $0.code == .duplicateKey }
    }

    private static func sourceHash(_ path: String, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = FNV1a()
        hasher.combine(path)
        hasher.combine(UInt64(bytes.count))
        hasher.combine(bytes)
        return hasher.value
    }

    /// Loads in-memory documents (tests, `diff` of stored snapshots): (display path, text).
    public func load(documents: [(path: String, text: String)]) -> LoadResult {
        let loader = YAMLLoader(limits: limits)
        var diagnostics: [Diagnostic] = []
        var merger = ConfigurationMerger()
        var source = FNV1a()
        for document in documents {
            let bytes = Array(document.text.utf8)
            let (file, problems) = loader.load(bytes, path: document.path)
            diagnostics += problems
            source.combine(bytes.withUnsafeBytes { Self.sourceHash(document.path, $0) })
            if Self.isUsable(problems) { merger.add(ConfigurationDecoder.decode(file)) } else { merger.noteUnparsed(document.path) }
        }
        return finish(merger, files: documents.map(\.path), paths: [], diagnostics: diagnostics, sourceDigest: source.hex, alongside: { _, _ in () })
            .0
    }

    private func finish<Work: Sendable>(
        _ merger: ConfigurationMerger, files: [String], paths: [String], diagnostics: [Diagnostic], sourceDigest: String,
        alongside work: @escaping @Sendable (Configuration, String) -> Work
    ) -> (LoadResult, Work?) {
        var diagnostics = diagnostics
        let (configuration, decodingProblems) = merger.finish()
        diagnostics += decodingProblems
        let worthWorking = !diagnostics.hasErrors
        let complete = merger.everyFileParsed
        let rules = Background { ConfigurationValidator(complete: complete).validate(configuration) }
        let warnings =
            readinessWarnings && complete
            ? Background { [date, now] in ReadinessWarnings.check(configuration, date: date, now: now, paths: paths) } : nil
        let result = worthWorking ? work(configuration, sourceDigest) : nil
        diagnostics += rules.value + (warnings?.value ?? [])
        return (
            LoadResult(
                configuration: configuration, diagnostics: diagnostics.sortedByLocation(), files: files, sourceDigest: sourceDigest,
                everyFileParsed: complete), result
        )
    }

    private func read(_ path: String, diagnostics: inout [Diagnostic]) -> Data? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > limits.maxFileBytes {
            diagnostics.append(
                Diagnostic(
                    .limitExceeded, "file is \(size) bytes; the limit is \(limits.maxFileBytes) bytes",
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
                diagnostics.append(
                    Diagnostic(
                        .unreadableFile, "no such file or directory: \(path)",
                        at: SourceLocation(file: path, line: 1, column: 1), path: ""))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            collect(directory: path, depth: 0, into: &found)
            if found.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .unreadableFile, "no *.yaml or *.yml files in directory \(path)",
                        at: SourceLocation(file: path, line: 1, column: 1), path: ""))
            }
            files += found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        // The same file named twice (`. ./tenant.yaml`, a link) is read once, under its first name.
        var seen = Set<String>()
        return files.filter { seen.insert(Self.identity(of: $0)).inserted }
    }

    /// What makes two paths the same file: its device and inode, else its absolute path.
    private static func identity(of path: String) -> String {
        var status = stat()
        if stat(path, &status) == 0 { return "\(status.st_dev):\(status.st_ino)" }
        return URL(fileURLWithPath: path).standardizedFileURL.path
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
