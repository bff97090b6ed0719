/// Joins decoded files, in reading order, into one configuration: an id defined in more than
/// one file is an error at the later definition naming the first; the tenant must be defined
/// exactly once.
public struct ConfigurationMerger {
    private var configuration = Configuration()
    private var diagnostics: [Diagnostic] = []
    private var tenantLocation: SourceLocation?
    private var firstFile: String?
    /// Whether every file could be parsed. When one could not, what it defines is unknown:
    /// checks about what is missing (unknown references, no tenant, no default wrap-up reason)
    /// and the readiness warnings would only bury its syntax error under false reports.
    public private(set) var everyFileParsed = true

    public init() {}

    public mutating func add(_ file: DecodedFile) {
        if firstFile == nil { firstFile = file.path }
        diagnostics += file.diagnostics
        if let here = file.tenantLocation {
            if let first = tenantLocation {
                diagnostics.append(
                    Diagnostic(
                        .duplicateId, "tenant is defined more than once (first at \(first))", at: here, path: "tenant",
                        notes: [.init("first defined here", at: first)]))
            } else {
                tenantLocation = here
                configuration.tenant = file.configuration.tenant
            }
        }
        let part = file.configuration
        configuration.brokenReferences += part.brokenReferences
        for section in Section.allCases { section.visit(SectionMerge(section: section, part: part))(&self) }
    }

    /// Records a file that could not be parsed.
    public mutating func noteUnparsed(_ path: String) {
        if firstFile == nil { firstFile = path }
        everyFileParsed = false
    }

    public func finish() -> (Configuration, [Diagnostic]) {
        var diagnostics = diagnostics
        if tenantLocation == nil, everyFileParsed, let firstFile {
            diagnostics.append(
                Diagnostic(
                    .tenantMissing, "no file defines the 'tenant' section (name and digitalChannels)",
                    at: SourceLocation(file: firstFile, line: 1, column: 1), path: "tenant"))
        }
        return (configuration, diagnostics)
    }

    private mutating func merge<Entity: SectionEntity>(_ section: Section, _ type: Entity.Type, from part: Configuration) {
        let table = Entity.entries
        let incoming = part[keyPath: table]
        let broken = part.brokenIds[section] ?? [:]
        if configuration[keyPath: table].isEmpty, configuration.brokenIds[section] == nil {
            configuration[keyPath: table] = incoming
            if !broken.isEmpty { configuration.brokenIds[section] = broken }
            return
        }
        var merged: [String: Entity] = [:]
        swap(&merged, &configuration[keyPath: table])
        merged.reserveCapacity(merged.count + incoming.count)
        let earlierBroken = configuration.brokenIds[section] ?? [:]
        for (id, entity) in incoming {
            // One hash per entity: insert, and put the first definition back if there was one.
            if let first = merged.updateValue(entity, forKey: id) {
                merged[id] = first
                reportDuplicate(id, in: section, first: first.location, at: entity.location)
            } else if let first = earlierBroken[id] {
                merged[id] = nil
                reportDuplicate(id, in: section, first: first, at: entity.location)
            }
        }
        swap(&merged, &configuration[keyPath: table])
        for (id, location) in broken where !isDuplicate(id, in: section, at: location) {
            configuration.brokenIds[section, default: [:]][id] = location
        }
    }

    /// Merges one section of a file, typed for its entities.
    private struct SectionMerge: SectionVisitor {
        let section: Section
        let part: Configuration
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> (inout ConfigurationMerger) -> Void {
            { [section, part] merger in merger.merge(section, Entity.self, from: part) }
        }
    }

    private mutating func isDuplicate(_ id: String, in section: Section, at location: SourceLocation) -> Bool {
        guard let first = configuration.location(of: id, in: section) else { return false }
        reportDuplicate(id, in: section, first: first, at: location)
        return true
    }

    private mutating func reportDuplicate(_ id: String, in section: Section, first: SourceLocation, at location: SourceLocation) {
        diagnostics.append(
            Diagnostic(
                .duplicateId, "\(section.noun) '\(id)' is already defined at \(first)", at: location,
                path: "\(section.rawValue).\(id)", notes: [.init("first defined here", at: first)]))
    }
}
