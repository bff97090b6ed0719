import Foundation
import Hummingbird
import OutboundConfig
import OutboundStore

/// `/agents/{agent}?channel=&team=&date=&state=`: the answer of `GET /v1/agents/{agent}/explain`
/// drawn for people — per team and channel the verdict and the nine checks of `GateCheck.all`
/// with detail, fix and deciding node (file:line:column and revision, from the store). The
/// same reads and the same gate as the API; the URL is the deep link support pastes in a ticket.
enum AgentPage {
    static func render(_ agent: String, _ visit: Visit, reads: StoreReads) async throws -> Response {
        let question = try visit.query.explainQuestion(agent: agent)
        let (explanation, context) = try await GateAPI.explain(question, reads: reads)
        let (found, answers) = (explanation.agent, explanation.answers)
        let (team, agentState, date) = (question.team, question.state, question.date)
        let channel = try visit.query.channel()
        let teams = found.teams.map(\.value)
        let teamNames = teams.map { (id: $0, name: context.configuration.teams[$0]?.name?.value) }
        let when: HTML = date == nil ? "today (\(explanation.date.description) in the tenant's time zone)" : "on \(explanation.date.description)"
        let stateText: HTML = agentState.map { "in runtime state <strong>\($0.rawValue)</strong>" } ?? "with no runtime state given (check 9 skipped)"
        let sections = answers.map { section($0, teamName: context.configuration.teams[$0.team]?.name?.value, context) }
        let noTeam: HTML = answers.isEmpty ? "<p class=\"notice\">\(GateRefusal.noTeam(agent).message).</p>" : ""
        let body: HTML = """
            <h1>\(found.name.value) <span class="muted">(\(agent))</span></h1>
            <p>Site \(found.site.value) · teams \(teams.isEmpty ? "none" : teams.joined(separator: ", ")) · licence \(found.licence.value) · desktop profile \(found.desktopProfile.value)</p>
            \(form(agent, teams: teamNames, channel: channel, team: team, date: date, state: agentState))
            <p>Judged \(when), \(stateText), from store revision \(context.revision).</p>
            \(noTeam)
            \(sections)
            """
        return visit.page("\(found.name.value) (\(agent))", .search, body)
    }

    private static func section(_ answer: GateAnswer, teamName: String?, _ context: ExplainingContext) -> HTML {
        let verdict: HTML =
            answer.available
            ? "<span class=\"verdict available\">Available</span>"
            : "<span class=\"verdict unavailable\">Not available</span> <span class=\"reasons\">\(answer.reasons.map(\.rawValue).joined(separator: ", "))</span>"
        let rows = answer.checks.map { row($0, context) }
        let channelName = answer.channel == .sms ? "SMS" : "Email"
        return """
            <section class="answer" aria-labelledby="answer-\(answer.team)-\(answer.channel.rawValue)">
            <h2 id="answer-\(answer.team)-\(answer.channel.rawValue)">\(channelName) · team \(teamName.map { "\($0) (\(answer.team))" } ?? answer.team): \(verdict)</h2>
            <table class="stack checks">
            <thead><tr><th scope="col">Check</th><th scope="col">Outcome</th><th scope="col">Detail</th><th scope="col">Fix</th><th scope="col">Deciding node</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </section>

            """
    }

    private static func row(_ check: CheckResult, _ context: ExplainingContext) -> HTML {
        let definition = GateCheck.all.first { $0.id == check.check }
        let name: HTML = definition.map { "\($0.order). \($0.summary)" } ?? "\(check.check)"
        let node: HTML
        if check.outcome == .skipped {
            node = "—"
        } else if let reference = check.node, let origin = context.origin(of: reference) {
            let place: HTML =
                origin.place.map { "<span class=\"source\">\($0.file):\($0.line):\($0.column)</span>" }
                ?? "<span class=\"muted\">place not kept</span>"
            node = "\(place) · revision \(origin.revision)<br><span class=\"source muted\">\(reference.description)</span>"
        } else {
            node = "—"
        }
        return """
            <tr class="check" data-check="\(check.check)" data-outcome="\(check.outcome.rawValue)">
            <td data-label="Check">\(name)</td>
            <td data-label="Outcome" class="outcome \(check.outcome.rawValue)">\(check.outcome.rawValue)</td>
            <td data-label="Detail">\(check.detail)</td>
            <td data-label="Fix" class="fix">\(check.fix ?? "—")</td>
            <td data-label="Deciding node" class="node">\(node)</td>
            </tr>

            """
    }

    /// The choices of the page as a GET form, so that every view is a link.
    private static func form(
        _ agent: String, teams: [(id: String, name: String?)], channel: OutboundConfig.Channel?, team: String?,
        date: CalendarDate?, state: AgentState?
    ) -> HTML {
        func option(_ value: String, _ label: String, selected: Bool) -> HTML {
            selected ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        let channels =
            [option("", "SMS and email", selected: channel == nil)]
            + OutboundConfig.Channel.outbound.map { option($0.rawValue, $0 == .sms ? "SMS" : "Email", selected: $0 == channel) }
        let teamOptions =
            [option("", "Every team", selected: team == nil)]
            + teams.map { entry in option(entry.id, entry.name.map { "\($0) (\(entry.id))" } ?? entry.id, selected: entry.id == team) }
        let states =
            [option("", "Not given", selected: state == nil)]
            + AgentState.allCases.map { option($0.rawValue, $0.rawValue, selected: $0 == state) }
        return """
            <form method="get" action="\(HTML.agentPath(agent))" class="filters">
            <label for="channel">Channel<select id="channel" name="channel">\(channels)</select></label>
            <label for="team">Team<select id="team" name="team">\(teamOptions)</select></label>
            <label for="date">Date<input id="date" name="date" type="date" value="\(date?.description ?? "")"></label>
            <label for="state">Runtime state<select id="state" name="state">\(states)</select></label>
            <button type="submit">Show</button>
            </form>
            """
    }
}
