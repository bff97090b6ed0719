import OutboundConfig

/// The JSON shapes of the contract that come from a store (docs/reference.md §5).
extension ExplainingContext {
    /// A check's `source` from the store: the revision that last changed the deciding node's
    /// entity and, when kept, where the node stood in the files it was applied from.
    public func sourceJSON(for check: CheckResult) -> JSON {
        guard let origin = check.node.flatMap(origin) else { return .null }
        var members: [(String, JSON)] = [("revision", .int(origin.revision))]
        if let place = origin.place {
            members += [("file", .string(place.file)), ("line", .int(place.line)), ("column", .int(place.column))]
        }
        return .object(members)
    }
}

extension RevisionInfo {
    /// `history --format json`, the whole document.
    public static func historyJSON(_ revisions: [RevisionInfo]) -> JSON {
        .object([("revisions", .array(revisions.map(\.json)))])
    }

    public var json: JSON {
        .object([
            ("revision", .int(number)),
            ("time", .string(time)),
            ("author", .string(author)),
            ("message", .string(message)),
            ("digest", .string(digest)),
            ("changes", .object([("create", .int(creates)), ("update", .int(updates)), ("delete", .int(deletes))])),
        ])
    }
}
