import Foundation
import OutboundConfig

/// A Webex Contact Center tenant as its API lists it: what `import webex DIR` reads (SPEC §9),
/// with pages joined in page order. Reading checks every item against its list's item schema
/// in Cisco's document (WebexSchema.swift), that ids are unique and that every reference
/// between items resolves (WebexReferences.swift), and locates every problem. Schema problems
/// the import can go on with are counted per list and field instead (`fieldWarnings`).
public struct WebexExport: Sendable {
    public var multimediaProfiles: [WebexMultimediaProfile] = []
    public var sites: [WebexSite] = []
    public var teams: [WebexTeam] = []
    public var users: [WebexUser] = []
    public var userProfiles: [WebexUserProfile] = []
    public var agentProfiles: [WebexAgentProfile] = []
    public var entryPoints: [WebexEntryPoint] = []
    public var queues: [WebexQueue] = []
    public var auxiliaryCodes: [WebexAuxiliaryCode] = []
    /// Where each item was read, by resource and Webex id (the first item, if an id repeats).
    public var locations: [WebexResource: [String: WebexItemLocation]] = [:]
    /// How many items of each resource carry each field name.
    public var fieldCounts: [WebexResource: [String: Int]] = [:]
    /// The imported items' schema problems that are warnings (SPEC §9), one per list and
    /// field, in list order and by field name.
    public var fieldWarnings: [WebexFieldWarning] = []

    public init() {}

    /// Reads every `*.json` file of `directory`. A missing resource is an empty list (a tenant
    /// may have no queues); the mapping decides what a missing reference means. Other files
    /// (`extra.yaml`) are not this reader's business.
    public static func read(directory: URL) -> (export: WebexExport, problems: [WebexInputProblem]) {
        let listed: [String]
        do {
            listed = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            return (WebexExport(), [WebexInputProblem(.error, file: "", message: "cannot list the directory: \(error.localizedDescription)")])
        }
        return read(names: listed) { try Self.bytes(of: directory.appendingPathComponent($0)) }
    }

    /// The same from files in memory (`webex plan` reads what it pulled without writing it).
    public static func read(files: [(name: String, bytes: [UInt8])]) -> (export: WebexExport, problems: [WebexInputProblem]) {
        let byName = Dictionary(files.map { ($0.name, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        return read(names: byName.keys.sorted()) { byName[$0]! }
    }

    private static func read(names listed: [String], bytes: (String) throws -> [UInt8]) -> (export: WebexExport, problems: [WebexInputProblem]) {
        var export = WebexExport()
        var problems: [WebexInputProblem] = []
        var undescribedItems: [String: Int] = [:]
        var pages: [WebexResource: [Int: String]] = [:]
        for name in listed where name.hasSuffix(".json") {
            if let (resource, page) = WebexResource.parse(fileName: name) {
                pages[resource, default: [:]][page] = name
            } else {
                problems.append(
                    WebexInputProblem(.warning, file: name, message: "not a Webex list this import reads; left out" + Self.hint(for: name)))
            }
        }
        // The extra data is read from extra.yaml alone: another spelling would be left out unsaid.
        for name in listed where (name.lowercased().hasSuffix(".yaml") || name.lowercased().hasSuffix(".yml")) && name != "extra.yaml" {
            problems.append(
                WebexInputProblem(.warning, file: name, message: "not read: the import reads what the API does not hold from extra.yaml only"))
        }
        if pages.isEmpty {
            problems.append(
                WebexInputProblem(
                    .error, file: "",
                    message: "no Webex export files (NAME.json for \(WebexResource.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        for resource in WebexResource.allCases {
            guard let files = pages[resource] else { continue }
            // A missing page would silently lose its items: pages must run 1, 2, … without a gap.
            // Each gap is one problem, however many pages it spans (a file named NAME.9999999.json
            // is one file, not ten million problems).
            let last = files.keys.max()!
            var previous = 0
            for page in files.keys.sorted() {
                if page > previous + 1 {
                    let (first, end) = (previous + 1, page - 1)
                    let span = first == end ? "" : ", and so are the pages to \(resource.fileName(page: end)) (\(plural(end - first + 1, "page")))"
                    problems.append(
                        WebexInputProblem(
                            .error, file: resource.fileName(page: first),
                            message: "missing\(span): \(resource.fileName(page: last)) is there, so every page before it must be"))
                }
                previous = page
            }
            var read: [(file: String, bytes: [UInt8])] = []
            for page in files.keys.sorted() {
                let name = files[page]!
                do {
                    read.append((name, try bytes(name)))
                } catch {
                    problems.append(WebexInputProblem(.error, file: name, message: "\(error)"))
                }
            }
            problems += export.append(resource, pages: read, undescribedItems: &undescribedItems)
        }
        if !problems.contains(where: { $0.severity == .error }) {
            problems += export.referenceProblems(present: Set(pages.keys))
        }
        return (export, WebexInputProblem.capped(problems, undescribedItems: undescribedItems))
    }

    /// " (did you mean 'user.json'?)" for a name close to a list's, and how pages are named
    /// for a page number this import does not read (`user.1.json`, `user.02.json`).
    private static func hint(for name: String) -> String {
        let stem = name.dropLast(".json".count)
        if let dot = stem.firstIndex(of: "."), let resource = WebexResource(rawValue: String(stem[..<dot])) {
            return " (pages are \(resource.fileName(page: 1)), \(resource.fileName(page: 2)), \(resource.fileName(page: 3)), …)"
        }
        let names = WebexResource.allCases.map { $0.fileName(page: 1) }
        return Suggestion.closest(to: name, in: names).map { " (did you mean '\($0)'?)" }
            ?? " (the lists are \(WebexResource.allCases.map(\.rawValue).joined(separator: ", ")))"
    }

    /// A whole file, read straight into the array its tape keeps: going through `Data` copied a
    /// 50 MB export file once more, on one core. What is read is what was opened: a regular
    /// file (a FIFO would block, a device never end), within the configuration files' size limit
    /// (docs/limits.md), so a hostile export cannot make the import hold gigabytes, through a
    /// symbolic link or not.
    private static func bytes(of url: URL) throws -> [UInt8] {
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError.system(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ReadError.system(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw ReadError.notAFile }
        let size = Int(status.st_size)
        let limit = LoaderLimits.default.maxFileBytes
        guard size <= limit else { throw ReadError.tooLarge(size: size, limit: limit) }
        // Read as far as the size the file had when opened: a file that grows meanwhile is
        // cut there, and then most likely not JSON.
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = systemRead(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw ReadError.system(errno) }
                if count == 0 { break }
                initialized += count
            }
        }
    }

    #if canImport(Glibc)
        private static let systemRead = Glibc.read
    #else
        private static let systemRead = Darwin.read
    #endif

    private enum ReadError: Error, CustomStringConvertible {
        case system(Int32)
        case notAFile
        case tooLarge(size: Int, limit: Int)

        var description: String {
            switch self {
            case .system(let number): "cannot read: \(String(cString: strerror(number)))"
            case .notAFile: "not a regular file (a directory, a device or a pipe); left unread"
            case .tooLarge(let size, let limit): "\(size) bytes, over the limit of \(limit >> 20) MiB a file"
            }
        }
    }

    /// Decodes a list's pages, all at once on all cores (a 50,000-user export is 50 pages of
    /// JSON, and decoding is most of an import), then takes their items in page order.
    private mutating func append(
        _ resource: WebexResource, pages: [(file: String, bytes: [UInt8])],
        undescribedItems: inout [String: Int]
    ) -> [WebexInputProblem] {
        func decode<Item: WebexItem>(_ list: inout [Item]) -> [WebexInputProblem] {
            var problems: [WebexInputProblem] = []
            var warnings: [String: WebexFieldWarning] = [:]
            let files = ParallelMap.map(pages, minimumCount: 2) { WebexListFile<Item>(file: $0.file, bytes: $0.bytes) }
            let count = files.reduce(0) { $0 + $1.items.count }
            list.reserveCapacity(count)
            locations[resource, default: [:]].reserveCapacity(count)
            for (page, decoded) in zip(pages, files) {
                problems += decoded.problems
                if decoded.undescribedItems > 0 { undescribedItems[page.file] = decoded.undescribedItems }
                fieldCounts[resource, default: [:]].merge(decoded.fieldCounts, uniquingKeysWith: +)
                WebexFieldWarning.add(decoded.fieldWarnings, to: &warnings)
                for (item, location) in zip(decoded.items, decoded.locations) {
                    if let first = locations[resource]?[item.id] {
                        problems.append(
                            WebexInputProblem(
                                .error, file: location.file, jsonPath: location.jsonPath + ".id",
                                message: "'\(item.id)' is also the id of \(first.jsonPath) in \(first.file)"))
                        continue
                    }
                    locations[resource, default: [:]][item.id] = location
                    list.append(item)
                }
            }
            fieldWarnings += warnings.values.sorted { $0.field < $1.field }
            return problems
        }
        switch resource {
        case .multimediaProfile: return decode(&multimediaProfiles)
        case .site: return decode(&sites)
        case .team: return decode(&teams)
        case .user: return decode(&users)
        case .userProfile: return decode(&userProfiles)
        case .agentProfile: return decode(&agentProfiles)
        case .entryPoint: return decode(&entryPoints)
        case .queue: return decode(&queues)
        case .auxiliaryCode: return decode(&auxiliaryCodes)
        }
    }
}
