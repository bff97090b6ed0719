import OutboundConfig

/// `explain` for people: the verdict first, then each check with ✔/✘, what was found, the
/// deciding node and, for failures, the fix; for an available channel, what the agent will see.
struct ExplainTextReporter {
    let terminal: Terminal
    let source: AnswerSource
    /// Only the verdict lines.
    var quiet = false

    func report(_ answers: [GateAnswer], date: CalendarDate) -> String {
        if quiet { return answers.map { render($0).prefix { $0 != "\n" } + "\n" }.joined() }
        return answers.map(render).joined(separator: "\n") + terminal.paint("(licences judged on \(date))", .dim) + "\n"
    }

    private func render(_ answer: GateAnswer) -> String {
        let heading = "\(answer.agent) · \(answer.channel.rawValue) · team \(answer.team): "
        var output =
            answer.available
            ? terminal.paint(heading + "AVAILABLE", .green) + "\n"
            : terminal.paint(heading + "NOT AVAILABLE", .red) + " (\(answer.reasons.map(\.rawValue).joined(separator: ", ")))\n"
        for (check, result) in zip(GateCheck.all, answer.checks) {
            let mark: String
            switch result.outcome {
            case .passed: mark = terminal.paint("✔", .green)
            case .failed: mark = terminal.paint("✘", .red)
            case .skipped: mark = terminal.paint("–", .dim)
            }
            output += "  \(mark) \(check.order). \(check.summary): \(VisibleText.escaping(result.detail))\(location(result))\n"
            if let fix = result.fix {
                output += "       \(terminal.paint("fix:", .yellow)) \(VisibleText.escaping(fixPlace(result) + fix))\n"
            }
        }
        if let offer = answer.offer {
            output +=
                "  From: \(list(offer.fromEntryPoints)) · transfer queues: \(list(offer.transferQueues)) · wrap-up reasons: \(list(offer.wrapUpReasons))\n"
        }
        return output
    }

    private func location(_ result: CheckResult) -> String {
        guard result.outcome != .skipped else { return "" }
        switch source {
        case .files: return result.source.map { terminal.paint("  (\(VisibleText.escaping($0.description)))", .dim) } ?? ""
        case .store:
            guard let origin = storeOrigin(result) else { return "" }
            return terminal.paint("  (\(VisibleText.escaping(origin.place.map { "\($0), " } ?? ""))revision \(origin.revision))", .dim)
        }
    }

    /// Where the fix goes: the node's file:line:column (and, from a store, the revision that last changed it).
    private func fixPlace(_ result: CheckResult) -> String {
        switch source {
        case .files: return result.source.map { "\($0) " } ?? ""
        case .store:
            guard let origin = storeOrigin(result) else { return "" }
            return (origin.place.map { "\($0) " } ?? "") + "(changed in revision \(origin.revision)) "
        }
    }

    /// From a store: the deciding node's `file:line:column` when kept, and its entity's revision.
    private func storeOrigin(_ result: CheckResult) -> (place: String?, revision: Int)? {
        guard case .store(let context) = source, let origin = result.node.flatMap(context.origin) else { return nil }
        return (origin.place.map { "\($0.file):\($0.line):\($0.column)" }, origin.revision)
    }

    private func list(_ items: [String]) -> String {
        items.isEmpty ? "none" : items.joined(separator: ", ")
    }
}
