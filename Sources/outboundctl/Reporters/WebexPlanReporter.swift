import OutboundConfig
import OutboundWebex

/// Renders a `webex plan`: per Webex entity what push sends (`+` create, `~` update with the
/// Webex fields old → new, `-` delete), then what is not pushable and where to do it, the
/// entities no file holds, the availability impact and a summary line — as text, the JSON of
/// docs/reference.md §5, or markdown for a pull request.
struct WebexPlanReporter {
    let terminal: Terminal

    private var planReporter: PlanReporter { PlanReporter(terminal: terminal) }

    func report(_ plan: WebexPlan, format: PlanFormat) -> String {
        switch format {
        case .json: plan.json.rendered(pretty: true) + "\n"
        case .text: text(plan)
        case .markdown: markdown(plan)
        }
    }

    /// Names and ids come from the tenant: escaped, so none can forge a line of the plan.
    static func title(_ change: WebexPlan.Change) -> String {
        var title = "\(change.resource.rawValue) \(change.id)"
        if change.name != change.id, !change.name.isEmpty { title += " \"\(VisibleText.escaping(change.name))\"" }
        if let webexId = change.webexId {
            title += " (\(VisibleText.escaping(webexId))" + (change.matchedBy == .name ? ", matched by name" : "") + ")"
        }
        return title
    }

    func text(_ plan: WebexPlan) -> String {
        var output = ""
        for change in plan.changes {
            switch change.action {
            case .create:
                output += terminal.paint("  + \(Self.title(change))", .green) + "\n"
                for field in change.fields { output += "      \(field.webexField): \(planReporter.render(field.new))\n" }
            case .update:
                output += terminal.paint("  ~ \(Self.title(change))", .yellow) + "\n"
                for field in change.fields {
                    output += "      \(field.webexField): \(planReporter.render(field.old)) → \(planReporter.render(field.new))\n"
                }
            case .delete:
                output += terminal.paint("  - \(Self.title(change))", .red) + "\n"
            }
        }
        if plan.changes.isEmpty { output += "No changes to send.\n" }
        if !plan.notPushable.isEmpty {
            output += "\nNot pushable (the files differ from the tenant here; change these elsewhere):\n"
            for item in plan.notPushable {
                output += "  \(item.resource) \(item.id)\(item.field.map { ".\($0)" } ?? ""): \(item.reason); \(item.place)\n"
            }
        }
        if !plan.unmanaged.isEmpty {
            output += "\nUnmanaged (in the tenant, in no file; left alone, --prune deletes them):\n"
            for item in plan.unmanaged {
                output += "  \(item.resource.rawValue) \"\(VisibleText.escaping(item.name))\" (\(VisibleText.escaping(item.webexId)))\n"
            }
        }
        output += planReporter.impactText(plan.impact)
        output += "\n" + summary(plan) + "\n"
        return output
    }

    func summary(_ plan: WebexPlan) -> String {
        func count(_ action: WebexPlan.Action) -> Int { plan.changes.filter { $0.action == action }.count }
        let agents = Set(plan.impact.map(\.key.agent)).count
        return "Webex plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete; "
            + "\(plan.notPushable.count) not pushable, \(plan.unmanaged.count) unmanaged; "
            + "\(plural(agents, "agent")) change\(agents == 1 ? "s" : "") outbound availability."
    }

    /// Text as a markdown code span inside a table: pipes escaped, backticks made quotes.
    private static func code(_ text: String) -> String {
        "`" + text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") + "`"
    }

    func markdown(_ plan: WebexPlan) -> String {
        var output = "### outboundctl webex plan\n\n**\(summary(plan))**\n"
        if !plan.changes.isEmpty {
            output += "\n| | Webex entity | fields |\n|---|---|---|\n"
            for change in plan.changes.prefix(200) {
                let mark =
                    switch change.action {
                    case .create: "➕"
                    case .update: "✏️"
                    case .delete: "➖"
                    }
                let fields = change.fields.map { field in
                    change.action == .create
                        ? "`\(field.webexField)`: \(planReporter.cell(field.new))"
                        : "`\(field.webexField)`: \(planReporter.cell(field.old)) → \(planReporter.cell(field.new))"
                }.joined(separator: "<br>")
                output += "| \(mark) | \(Self.code(Self.title(change))) | \(fields) |\n"
            }
            if plan.changes.count > 200 { output += "\n… and \(plan.changes.count - 200) more changes.\n" }
        }
        if !plan.notPushable.isEmpty {
            output += "\n#### Not pushable\n\n| entity | field | why | where |\n|---|---|---|---|\n"
            for item in plan.notPushable.prefix(200) {
                output += "| \(Self.code("\(item.resource) \(item.id)")) | \(item.field.map(Self.code) ?? "") | "
                output += "\(item.reason.replacingOccurrences(of: "|", with: "\\|")) | \(item.place.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
        }
        if !plan.unmanaged.isEmpty {
            output += "\n#### Unmanaged\n\n"
            for item in plan.unmanaged.prefix(200) { output += "- \(item.resource.rawValue) \(Self.code(VisibleText.escaping(item.name)))\n" }
        }
        return output + planReporter.impactMarkdown(plan.impact)
    }
}
