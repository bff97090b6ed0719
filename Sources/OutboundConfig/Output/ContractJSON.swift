/// The JSON shapes of the contract (docs/reference.md §5) that more than the CLI answers with —
/// `explain` and the plan — built here once, so the HTTP server gives the same documents.

extension Plan {
    /// `plan --format json` (and `diff`, with `baseRevision` null).
    public var json: JSON {
        .object([
            ("baseRevision", baseRevision.map { .int($0) } ?? .null),
            (
                "changes",
                .array(
                    changes.map { change in
                        .object([
                            ("action", .string(change.action.rawValue)),
                            ("kind", .string(change.key.kind)),
                            ("id", .string(change.key.id)),
                            (
                                "fields",
                                .array(
                                    change.fields.map { field in
                                        .object([("path", .string(field.path)), ("old", field.old ?? .null), ("new", field.new ?? .null)])
                                    })
                            ),
                        ])
                    })
            ),
            ("impact", .array(impact.map(\.json))),
        ])
    }
}

extension Plan.Impact {
    /// One cell of a plan's impact, as `plan` and `webex plan` show it.
    public var json: JSON {
        .object([
            ("agent", .string(key.agent)),
            ("team", .string(key.team)),
            ("channel", .string(key.channel.rawValue)),
            ("before", .bool(before)),
            ("after", .bool(after)),
            ("reasons", .array(reasons.map { .string($0.rawValue) })),
        ])
    }
}

extension GateAnswer {
    /// `explain --format json` for several answers of one agent: the best answer's verdict and
    /// every answer; for one answer, that answer alone. `source` gives each check's `source`.
    public static func explainJSON(agent: String, answers: [GateAnswer], source: (CheckResult) -> JSON) -> JSON {
        if answers.count == 1 { return answers[0].json(source: source) }
        return .object([
            ("agent", .string(agent)), ("available", .bool(answers.contains(where: \.available))),
            ("answers", .array(answers.map { $0.json(source: source) })),
        ])
    }

    /// One answer of `explain --format json`.
    public func json(source: (CheckResult) -> JSON) -> JSON {
        .object([
            ("agent", .string(agent)),
            ("channel", .string(channel.rawValue)),
            ("team", .string(team)),
            ("available", .bool(available)),
            ("reasons", .array(reasons.map { .string($0.rawValue) })),
            ("checks", .array(checks.map { $0.json(source: source($0)) })),
        ])
    }
}

extension CheckResult {
    /// One check; a skipped check has no deciding node, so its `source` is null whatever is given.
    public func json(source: JSON) -> JSON {
        var text = outcome == .skipped ? "skipped: \(detail)" : detail
        if let fix { text += "; fix: \(fix)" }
        return .object([
            ("check", .string(check)),
            ("passed", .bool(passed)),
            ("outcome", .string(outcome.rawValue)),
            ("detail", .string(text)),
            ("reason", reason.map { .string($0.rawValue) } ?? .null),
            ("source", outcome == .skipped ? .null : source),
        ])
    }

    /// The `source` of an answer from files: the deciding node's file, line and column.
    public var fileSourceJSON: JSON {
        source.map { .object([("file", .string($0.file)), ("line", .int($0.line)), ("column", .int($0.column))]) } ?? .null
    }
}
