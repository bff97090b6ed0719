/// What the gate reads to answer for one agent, as data: the entities its checks reach from the
/// agent by reference (site, teams, desktop profile, and the multimedia profiles of the agent,
/// its teams and its site), the sections it reads whole (licences, whose premium ones check 3's
/// fix names; every entry point for checks 7 and 8; queues and wrap-up reasons for what an
/// available agent is offered), and the tenant. Explaining from a store fetches exactly this, following the model's own reference
/// fields (`SectionEntity.referenceFields`), so a reference the gate starts to read is fetched
/// without a second list to keep in step.
public enum GateReads {
    /// Sections whose entities are reached from the agent through references.
    public static let followed: Set<Section> = [.sites, .teams, .desktopProfiles, .multimediaProfiles]
    /// Sections read whole, whichever agent is answered for.
    public static let whole: [Section] = [.licences, .entryPoints, .queues, .wrapUpReasons]

    /// The canonical rows the gate reads to answer for `agent`, fetched by key (`entity`) and by
    /// section (`section`); nil when the agent does not exist. Costs a lookup per entity
    /// reached, however many agents there are.
    public static func rows(
        agent: String, entity: (CanonicalForm.Key) throws -> String?, sections: ([Section]) throws -> [CanonicalForm.Key: String]
    ) rethrows -> [CanonicalForm.Key: String]? {
        let start = CanonicalForm.Key(kind: Section.agents.rawValue, id: agent)
        guard let agentRow = try entity(start) else { return nil }
        var rows: [CanonicalForm.Key: String] = [start: agentRow]
        var pending = [start]
        while let key = pending.popLast() {
            guard let section = Section(rawValue: key.kind), let text = rows[key] else { continue }
            let references = CanonicalForm.configuration(from: [key: text], name: "").references(of: key.id, in: section) ?? []
            for reference in references where followed.contains(reference.target) {
                let next = CanonicalForm.Key(kind: reference.target.rawValue, id: reference.id.value)
                guard rows[next] == nil, let row = try entity(next) else { continue }
                rows[next] = row
                pending.append(next)
            }
        }
        if let tenant = try entity(.tenant) { rows[.tenant] = tenant }
        rows.merge(try sections(whole)) { first, _ in first }
        return rows
    }
}
