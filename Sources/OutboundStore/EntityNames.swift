import OutboundConfig

extension OutboundStore {
    /// Every entity of `section` with its display `name` (nil when it has none), by id: what
    /// the support console searches agents by and labels its site and team filters with.
    /// Read in one transaction; the console keeps the agents' list per revision.
    public func names(in section: Section) throws -> [(id: String, name: String?)] {
        try read { session in Self.names(try session.entities(kinds: [section.rawValue])) }
    }

    /// The entities' ids and names, by id.
    static func names(_ entities: [CanonicalForm.Key: StoredEntity]) -> [(id: String, name: String?)] {
        entities.map { key, entity in (key.id, (try? JSON.parse(entity.data))?["name"]?.stringValue) }.sorted { $0.id < $1.id }
    }
}
