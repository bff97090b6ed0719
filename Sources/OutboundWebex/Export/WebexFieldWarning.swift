import OutboundConfig

/// Items of one list that break Cisco's schema in one field without being refused (SPEC §9):
/// the mapping does not read the field, or reads its `null` as absent. Counted per list and
/// field, with the first occurrence located, rather than said item by item: a 50,000-user
/// tenant with a `null` in one unread field would otherwise print 50,000 lines.
public struct WebexFieldWarning: Hashable, Sendable {
    public enum Reason: String, Sendable {
        /// The mapping does not read the field.
        case notRead = "not-read"
        /// A `null` in an optional field the mapping reads, read as absent.
        case nullReadAsAbsent = "null-read-as-absent"
    }

    public var resource: WebexResource
    /// The item's member the problems are in (`createdTime`); what is below it counts as it.
    public var field: String
    public var reason: Reason
    /// How many items break the schema there.
    public var items: Int
    /// The first problem there, in page and item order: its file, JSON path and what is wrong.
    public var first: WebexInputProblem

    /// The report's line: "user: 50000 items break Cisco's schema in createdTime (expected an
    /// integer, found null; first at user.json $.data[0].createdTime) — not read by the import,
    /// kept as a warning".
    public var summary: String {
        "\(resource.rawValue): \(breaking) in \(field) (\(first.message); first at \(first.file) \(first.jsonPath)) — \(verdict)"
    }

    /// The first occurrence as a located warning that counts the others (`webex pull` says
    /// one per page and field).
    public var problem: WebexInputProblem {
        WebexInputProblem(
            .warning, file: first.file, jsonPath: first.jsonPath, message: "\(first.message); \(breaking) in \(field), this the first — \(verdict)")
    }

    private var breaking: String { items == 1 ? "1 item breaks Cisco's schema" : "\(items) items break Cisco's schema" }

    private var verdict: String {
        switch reason {
        case .notRead: "not read by the import, kept as a warning"
        case .nullReadAsAbsent: "read as absent, kept as a warning"
        }
    }

    /// Adds the warnings of what comes after those in `warnings` (a later chunk, page or file),
    /// field by field: counts add up, and the first stays first.
    static func add(_ later: [String: WebexFieldWarning], to warnings: inout [String: WebexFieldWarning]) {
        warnings.merge(later) { earlier, next in
            var merged = earlier
            merged.items += next.items
            return merged
        }
    }
}
