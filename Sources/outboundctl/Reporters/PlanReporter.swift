import ArgumentParser
import OutboundConfig

enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

/// Renders a plan: Terraform-style text (`+` create, `~` update, `-` delete, then the impact
/// and a summary line) or the JSON of docs/reference.md §5.
struct PlanReporter {
    let terminal: Terminal
    /// At most this many changes are listed in text (nil: all of them).
    var limit: Int?

    func report(_ plan: Plan, format: PlanFormat) -> String {
        switch format {
        case .json: plan.json.rendered(pretty: true) + "\n"
        case .text: text(plan)
        case .markdown: markdown(plan)
        }
    }

    /// A pull-request comment: the summary, the changes and the availability impact as tables
    /// (each capped at 200 rows: comments are limited to 65,536 characters).
    func markdown(_ plan: Plan) -> String {
        var output = "### outboundctl plan\n\n"
        guard plan.hasChanges else { return output + "No changes.\n" }
        output += "**\(summary(plan))**\n\n"
        if !plan.changes.isEmpty {
            output += "<details><summary>Changes (\(plan.changes.count))</summary>\n\n| | object | fields |\n|---|---|---|\n"
            for change in plan.changes.prefix(200) {
                let mark =
                    switch change.action {
                    case .create: "➕"
                    case .update: "✏️"
                    case .delete: "➖"
                    }
                let name = change.key == .tenant ? "tenant" : "\(change.key.kind).\(change.key.id)"
                let fields =
                    change.action == .delete
                    ? ""
                    : change.fields.map { field in
                        change.action == .create ? "`\(field.path)`: \(cell(field.new))" : "`\(field.path)`: \(cell(field.old)) → \(cell(field.new))"
                    }.joined(separator: "<br>")
                output += "| \(mark) | `\(name)` | \(fields) |\n"
            }
            if plan.changes.count > 200 { output += "\n… and \(plan.changes.count - 200) more changes.\n" }
            output += "\n</details>\n"
        }
        output += impactMarkdown(plan.impact)
        return output
    }

    /// The availability impact as a markdown table (200 rows at most); "" without one.
    func impactMarkdown(_ impact: [Plan.Impact]) -> String {
        guard !impact.isEmpty else { return "" }
        var output =
            "\n#### Outbound availability changes\n\n| agent | team | channel | before | after | reasons after |\n|---|---|---|---|---|---|\n"
        for item in impact.prefix(200) {
            output +=
                "| \(item.key.agent) | \(item.key.team) | \(item.key.channel.rawValue) | \(item.before ? "✅" : "❌") | \(item.after ? "✅" : "❌") | "
            output += item.reasons.map { "`\($0.rawValue)`" }.joined(separator: ", ") + " |\n"
        }
        if impact.count > 200 { output += "\n… and \(impact.count - 200) more.\n" }
        return output
    }

    func cell(_ value: JSON?) -> String {
        "`" + (value.map { $0.rendered() } ?? "(none)").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") + "`"
    }

    func text(_ plan: Plan) -> String {
        guard plan.hasChanges else {
            return "No changes. The configuration matches the store (revision \(plan.baseRevision ?? 0)).\n"
        }
        var output = ""
        let shown = limit.map { Array(plan.changes.prefix($0)) } ?? plan.changes
        for change in shown {
            let name = change.key == .tenant ? "tenant" : "\(change.key.kind).\(change.key.id)"
            switch change.action {
            case .create:
                output += terminal.paint("  + \(name)", .green) + "\n"
                for field in change.fields { output += "      \(field.path): \(render(field.new))\n" }
            case .update:
                output += terminal.paint("  ~ \(name)", .yellow) + "\n"
                for field in change.fields { output += "      \(field.path): \(render(field.old)) → \(render(field.new))\n" }
            case .delete:
                output += terminal.paint("  - \(name)", .red) + "\n"
            }
        }
        if shown.count < plan.changes.count {
            output += "  … and \(plan.changes.count - shown.count) more changes (run `outboundctl plan` to list them all)\n"
        }
        output += impactText(plan.impact)
        output += "\n" + summary(plan) + "\n"
        return output
    }

    /// The availability impact, a line per cell (up to `limit`); "" without one.
    func impactText(_ impact: [Plan.Impact]) -> String {
        guard !impact.isEmpty else { return "" }
        var output = "\nOutbound availability changes:\n"
        let shown = limit.map { Array(impact.prefix($0)) } ?? impact
        for item in shown {
            let key = item.key
            let change =
                item.after
                ? terminal.paint("unavailable → available", .green)
                : terminal.paint("available → unavailable", .red)
                    + (item.reasons.isEmpty ? " (no longer in this team)" : " (\(item.reasons.map(\.rawValue).joined(separator: ", ")))")
            output += "  \(key.agent) · \(key.team) · \(key.channel.rawValue): \(change)\n"
        }
        if shown.count < impact.count { output += "  … and \(impact.count - shown.count) more\n" }
        return output
    }

    func summary(_ plan: Plan) -> String {
        "Plan: \(plan.count(.create)) to add, \(plan.count(.update)) to change, \(plan.count(.delete)) to destroy; "
            + "\(plural(plan.affectedAgents, "agent")) change\(plan.affectedAgents == 1 ? "s" : "") outbound availability."
    }

    func render(_ value: JSON?) -> String {
        value.map { $0.rendered() } ?? "(none)"
    }
}
