import OutboundConfig
import OutboundStore

/// Where a gate answer's sources come from: files (file:line:column), or a store, which names
/// the revision that last changed the deciding node's entity and where the node stood in the
/// files that revision was applied from (when it kept that).
enum AnswerSource {
    case files
    case store(ExplainingContext)
}

extension GateAnswer {
    /// `explain --format json`, one answer (docs/reference.md §5).
    func json(source: AnswerSource) -> JSON {
        .object([
            ("agent", .string(agent)),
            ("channel", .string(channel.rawValue)),
            ("team", .string(team)),
            ("available", .bool(available)),
            ("reasons", .array(reasons.map { .string($0.rawValue) })),
            ("checks", .array(checks.map { $0.json(source: source) })),
        ])
    }
}

extension CheckResult {
    /// A skipped check has no deciding node: its `source` is null.
    func json(source origin: AnswerSource) -> JSON {
        let sourceJSON: JSON
        switch (origin, outcome) {
        case (_, .skipped):
            sourceJSON = .null
        case (.files, _):
            sourceJSON = source.map { .object([("file", .string($0.file)), ("line", .int($0.line)), ("column", .int($0.column))]) } ?? .null
        case (.store(let context), _):
            if let origin = node.flatMap(context.origin) {
                var members: [(String, JSON)] = [("revision", .int(origin.revision))]
                if let place = origin.place {
                    members += [("file", .string(place.file)), ("line", .int(place.line)), ("column", .int(place.column))]
                }
                sourceJSON = .object(members)
            } else {
                sourceJSON = .null
            }
        }
        var text = outcome == .skipped ? "skipped: \(detail)" : detail
        if let fix { text += "; fix: \(fix)" }
        return .object([
            ("check", .string(check)),
            ("passed", .bool(passed)),
            ("outcome", .string(outcome.rawValue)),
            ("detail", .string(text)),
            ("reason", reason.map { .string($0.rawValue) } ?? .null),
            ("source", sourceJSON),
        ])
    }
}
