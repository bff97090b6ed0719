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
        var output = answer.available
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
                let place = if case .files = source, let location = result.source { "\(location) " } else { "" }
                output += "       \(terminal.paint("fix:", .yellow)) \(VisibleText.escaping(place + fix))\n"
            }
        }
        if let offer = answer.offer {
            output += "  From: \(list(offer.fromEntryPoints)) · transfer queues: \(list(offer.transferQueues)) · wrap-up reasons: \(list(offer.wrapUpReasons))\n"
        }
        return output
    }

    private func location(_ result: CheckResult) -> String {
        switch source {
        case .files: result.source.map { terminal.paint("  (\($0))", .dim) } ?? ""
        case .revision(let revision): result.outcome == .skipped ? "" : terminal.paint("  (store revision \(revision))", .dim)
        }
    }

    private func list(_ items: [String]) -> String {
        items.isEmpty ? "none" : items.joined(separator: ", ")
    }
}
