import OutboundConfig

/// What `webex push` would send to a tenant, and what it cannot (SPEC §10): the changes per
/// Webex entity in the order push sends them, what is not pushable and where to do it, the
/// entities no file holds, and whose outbound availability the changes move.
public struct WebexPlan: Sendable {
    public enum Action: String, Sendable, Codable {
        case create, update, delete
    }

    public enum MatchedBy: String, Sendable, Codable {
        case externalId, name
    }

    public struct FieldChange: Sendable {
        /// Dotted (`manuallyAssignable.email`).
        public var webexField: String
        public var old: JSON?
        /// nil: the member is removed.
        public var new: JSON?
        /// The format's field it carries (nil in a saved plan, which does not keep it).
        var formatField: String? = nil

        public init(webexField: String, old: JSON?, new: JSON?) {
            self.webexField = webexField
            self.old = old
            self.new = new
        }

        init(webexField: String, old: JSON?, new: JSON?, formatField: String) {
            self.init(webexField: webexField, old: old, new: new)
            self.formatField = formatField
        }
    }

    public struct Change: Sendable {
        public var action: Action
        public var resource: WebexResource
        public var webexId: String?
        /// The entity's id in the files (or, for a delete, the id the import gives it).
        public var id: String
        public var name: String
        public var matchedBy: MatchedBy?
        public var fields: [FieldChange]
        /// The entity's `version` as read for the plan: an update lands only on that version.
        public var version: Int?
        /// The file and section of the entity, for `--write-ids` after a create.
        public var section: Section
        public var file: String?
        /// The line of the entity's key in `file`.
        public var line: Int?
    }

    public struct NotPushable: Sendable {
        /// The API's path name, or `tenant`.
        public var resource: String
        public var webexId: String?
        public var id: String
        public var field: String?
        public var reason: String
        public var place: String
    }

    public struct Unmanaged: Sendable {
        public var resource: WebexResource
        public var webexId: String
        public var name: String
    }

    public var org: String
    public var changes: [Change] = []
    public var notPushable: [NotPushable] = []
    public var unmanaged: [Unmanaged] = []
    public var impact: [Plan.Impact] = []

    public var hasChanges: Bool { !changes.isEmpty }

    /// The order push sends creates and updates in: what an entity refers to goes first
    /// (teams before queues, so the team ↔ queue cycle is two steps: a team never names a queue
    /// here). Deletes run in the reverse order.
    public static let order: [WebexResource] = [.multimediaProfile, .site, .auxiliaryCode, .team, .queue, .entryPoint, .agentProfile, .user]

    /// Changes sorted for sending: creates and updates by `order`, then deletes in reverse.
    static func sorted(_ changes: [Change]) -> [Change] {
        func rank(_ change: Change) -> Int {
            let place = order.firstIndex(of: change.resource) ?? order.count
            return change.action == .delete ? 2 * order.count - place : place
        }
        return changes.sorted { (rank($0), $0.id) < (rank($1), $1.id) }
    }

    // MARK: JSON (docs/reference.md §5)

    public var json: JSON {
        .object([
            ("org", .string(org)),
            ("changes", .array(changes.map(\.json))),
            ("notPushable", .array(notPushable.map(\.json))),
            ("unmanaged", .array(unmanaged.map(\.json))),
            ("impact", .array(impact.map(\.json))),
        ])
    }
}

extension WebexPlan.Change {
    public var json: JSON {
        .object([
            ("action", .string(action.rawValue)),
            ("resource", .string(resource.rawValue)),
            ("webexId", webexId.map(JSON.string) ?? .null),
            ("id", .string(id)),
            ("name", .string(name)),
            ("matchedBy", matchedBy.map { .string($0.rawValue) } ?? .null),
            ("fields", .array(fields.map { .object([("webexField", .string($0.webexField)), ("old", $0.old ?? .null), ("new", $0.new ?? .null)]) })),
        ])
    }
}

extension WebexPlan.NotPushable {
    public var json: JSON {
        .object([
            ("resource", .string(resource)), ("webexId", webexId.map(JSON.string) ?? .null), ("id", .string(id)),
            ("field", field.map(JSON.string) ?? .null), ("reason", .string(reason)), ("where", .string(place)),
        ])
    }
}

extension WebexPlan.Unmanaged {
    public var json: JSON {
        .object([("resource", .string(resource.rawValue)), ("webexId", .string(webexId)), ("name", .string(name))])
    }
}
