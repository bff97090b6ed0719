/// What the gate reads to answer for one agent, as data: the entities its checks reach from the
/// agent by reference (site, teams, desktop profile, and the multimedia profiles of the agent,
/// its teams and its site), the sections it reads whole (licences, whose premium ones check 3's
/// fix names; every entry point for checks 7 and 8; queues and wrap-up reasons for what an
/// available agent is offered), and the tenant. Explaining from a store fetches exactly this,
/// following the model's own reference fields (`SectionEntity.referenceFields`), so a reference
/// the gate starts to read is fetched without a second list to keep in step.
public enum GateReads {
    /// Sections whose entities are reached from the agent through references.
    public static let followed: Set<Section> = [.sites, .teams, .desktopProfiles, .multimediaProfiles]
    /// Sections read whole, whichever agent is answered for.
    public static let whole: [Section] = [.licences, .entryPoints, .queues, .wrapUpReasons]

    /// The walk from an agent through its references, one level per step: a step asks for
    /// every entity of the level at once (`wanted`), so a store answers in three or four round
    /// trips (agent and tenant; its site, teams and profiles; their profiles), however many
    /// agents there are. The walk is the same whether the caller's reads block or are awaited.
    public struct Walk: Sendable {
        /// What to fetch next by key; empty when the walk is over.
        public private(set) var wanted: [CanonicalForm.Key]
        /// False when the agent does not exist (known after the first step).
        public private(set) var reachedAgent = false
        private var asked: Set<CanonicalForm.Key>
        private let agent: CanonicalForm.Key

        public init(agent id: String) {
            agent = CanonicalForm.Key(kind: Section.agents.rawValue, id: id)
            wanted = [agent, .tenant]
            asked = Set(wanted)
        }

        /// Takes the canonical rows found for `wanted` (a key not in `found` does not exist)
        /// and sets `wanted` to the entities they reference that were not asked for yet.
        public mutating func take(_ found: [CanonicalForm.Key: String]) {
            if !reachedAgent {
                reachedAgent = found[agent] != nil
                guard reachedAgent else {
                    wanted = []
                    return
                }
            }
            var next: [CanonicalForm.Key] = []
            for key in wanted {
                guard let text = found[key], let section = Section(rawValue: key.kind) else { continue }
                let references = CanonicalForm.configuration(from: [key: text], name: "").references(of: key.id, in: section) ?? []
                for reference in references where followed.contains(reference.target) {
                    let target = CanonicalForm.Key(kind: reference.target.rawValue, id: reference.id.value)
                    if asked.insert(target).inserted { next.append(target) }
                }
            }
            wanted = next
        }
    }
}
