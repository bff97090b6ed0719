/// A field of an entity that names entries of another section. Each entity type lists its own
/// (`SectionEntity.referenceFields`): the one table of the model's reference graph. Validation
/// checks every reference through it — of entries that could not be decoded too — and
/// explaining from a store follows it to fetch just what the gate reads.
public struct ReferenceField<Entity>: Sendable {
    /// The field's key in the file format.
    public let field: String
    /// The section whose ids the field holds.
    public let target: Section
    /// A list of ids (`teams: [a, b]`, or a selection's list), not a single id.
    public let isList: Bool
    let ids: @Sendable (Entity) -> [Located<String>]

    static func single(_ field: String, _ target: Section, _ id: @escaping @Sendable (Entity) -> Located<String>?) -> ReferenceField {
        ReferenceField(field: field, target: target, isList: false) { id($0).map { [$0] } ?? [] }
    }

    static func list(_ field: String, _ target: Section, _ ids: @escaping @Sendable (Entity) -> [Located<String>]?) -> ReferenceField {
        ReferenceField(field: field, target: target, isList: true) { ids($0) ?? [] }
    }

    static func selection(_ field: String, _ target: Section, _ selection: @escaping @Sendable (Entity) -> Selection) -> ReferenceField {
        ReferenceField(field: field, target: target, isList: true) { entity in
            if case .only(let ids) = selection(entity) { ids } else { [] }
        }
    }
}

/// One id a field names, and where it stands.
public struct Reference: Sendable {
    public var target: Section
    public var id: Located<String>
    var section: Section
    var entity: String
    var field: String
    /// The place in a list field; nil for a single id.
    var index: Int?

    /// The path diagnostics give it (`agents.ana.teams[1]`); built only when one is reported.
    public var path: String { Self.path(section, entity, field, index) }

    static func path(_ section: Section, _ entity: String, _ field: String, _ index: Int?) -> String {
        let path = "\(section.rawValue).\(entity).\(field)"
        return index.map { "\(path)[\($0)]" } ?? path
    }
}

extension SectionEntity {
    /// Calls `body` with every reference this entity makes, field by field in
    /// `referenceFields` order: validation's walk (no array per entity) and `references(in:)`.
    func forEachReference(in section: Section, _ body: (Reference) -> Void) {
        for field in Self.referenceFields {
            for (index, id) in field.ids(self).enumerated() {
                body(
                    Reference(target: field.target, id: id, section: section, entity: self.id, field: field.field, index: field.isList ? index : nil))
            }
        }
    }

    /// Every reference this entity makes.
    func references(in section: Section) -> [Reference] {
        var references: [Reference] = []
        forEachReference(in: section) { references.append($0) }
        return references
    }
}

extension Section {
    /// The sections this section's entities reference, by field.
    public var referenceFields: [(field: String, target: Section, isList: Bool)] {
        visit(ReferenceFieldNames())
    }

    private struct ReferenceFieldNames: SectionVisitor {
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> [(field: String, target: Section, isList: Bool)] {
            Entity.referenceFields.map { ($0.field, $0.target, $0.isList) }
        }
    }
}

extension Configuration {
    /// Every reference the entity `id` of `section` makes (nil when it is not a decoded entity
    /// of `section`).
    public func references(of id: String, in section: Section) -> [Reference]? {
        section.visit(EntityReferenceList(id: id, section: section, configuration: self))
    }

    private struct EntityReferenceList: SectionVisitor {
        let id: String
        let section: Section
        let configuration: Configuration
        func visit<Entity: SectionEntity>(_ type: Entity.Type) -> [Reference]? {
            configuration[keyPath: Entity.entries][id]?.references(in: section)
        }
    }
}
