/// A configuration node by what it is rather than where it stands: the entity holding it and
/// the field inside it (empty for the entity itself), e.g. `multimediaProfiles` ·
/// `email-manual` · `email.assignment`. The gate names the node that decided each check this
/// way, so a store can say where that node stood in the files it was applied from.
public struct NodeReference: Sendable, Hashable, CustomStringConvertible {
    /// The section (`agents`, …) or `tenant`.
    public var kind: String
    public var id: String
    public var field: String

    public init(kind: String, id: String, field: String = "") {
        self.kind = kind
        self.id = id
        self.field = field
    }

    public init(_ section: Section, _ id: String, _ field: String = "") {
        self.init(kind: section.rawValue, id: id, field: field)
    }

    static func tenant(_ field: String) -> NodeReference { NodeReference(kind: "tenant", id: "tenant", field: field) }

    /// The dotted path of the node (`multimediaProfiles.email-manual.email.assignment`).
    public var description: String {
        let entity = kind == "tenant" ? "tenant" : "\(kind).\(id)"
        return field.isEmpty ? entity : "\(entity).\(field)"
    }
}
