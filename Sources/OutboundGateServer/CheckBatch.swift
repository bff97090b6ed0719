import Foundation
import NIOCore
import OutboundConfig

/// The body of `POST /v1/outbound/check`, read field by field so every error names its field.
struct CheckBatch: Sendable {
    struct Item: Sendable {
        var id: String
        var agent: String
        var channel: OutboundConfig.Channel
        var team: String?
        var state: AgentState?
    }

    var checks: [Item]
    var minRevision: Int?

    init(_ body: ByteBuffer, maxChecks: Int) throws {
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw APIError.badRequest("the body is not UTF-8 text")
        }
        let json: JSON
        do { json = try JSON.parse(text) } catch { throw APIError.badRequest("the body is not JSON: \(error)") }
        guard case .object = json else { throw APIError.badRequest("the body must be an object {\"checks\": [...]}") }
        switch json["minRevision"] {
        case nil, .null?: minRevision = nil
        case .int(let value)? where value >= 0: minRevision = value
        // JSON has one number type: 233.0 is the whole number 233 (JSON Schema's "integer" too).
        case .number(let value)? where value >= 0 && value < 0x1p63 && value.rounded() == value: minRevision = Int(value)
        default: throw APIError.badRequest("minRevision: must be a whole number ≥ 0")
        }
        guard case .array(let items)? = json["checks"] else { throw APIError.badRequest("checks: required, an array of 1 to \(maxChecks) checks") }
        guard (1...maxChecks).contains(items.count) else {
            throw APIError.badRequest("checks: \(items.count) checks; a batch holds 1 to \(maxChecks)")
        }
        checks = try items.enumerated().map { index, item in try Item(item, at: "checks[\(index)]") }
    }
}

extension CheckBatch.Item {
    init(_ json: JSON, at path: String) throws {
        guard case .object = json else { throw APIError.badRequest("\(path): must be an object") }
        func text(_ name: String, required: Bool) throws -> String? {
            switch json[name] {
            case .string(let value)? where !value.isEmpty: return value
            case nil, .null?: if required { throw APIError.badRequest("\(path).\(name): required") } else { return nil }
            default: throw APIError.badRequest("\(path).\(name): must be a non-empty string")
            }
        }
        id = try text("id", required: true)!
        agent = try text("agent", required: true)!
        channel = try Query.channel(text("channel", required: true)!, field: "\(path).channel")
        team = try text("team", required: false)
        state = try text("state", required: false).map { try Query.state($0, field: "\(path).state") }
    }
}

/// One result of a batch. Without a team, an agent whose teams answer differently gets
/// `team-required`: never a grant that the team it is signed into may not allow.
struct BatchAnswer {
    var item: CheckBatch.Item
    var team: String?
    var available = false
    var reasons: [ReasonCode] = []
    var until: (instant: Date, text: String)?
    var error: GateRefusal?

    /// `hints`: the refusal of each unknown agent so far, so a batch naming one unknown agent
    /// many times compares it with every agent id once.
    init(_ item: CheckBatch.Item, in snapshot: GateSnapshot, at now: Date, hints: inout [String: GateRefusal]) {
        self.item = item
        team = item.team
        guard let cells = snapshot.cells(of: item.agent) else {
            let refusal = hints[item.agent] ?? GateRefusal.unknownAgent(item.agent, among: snapshot.agentIds)
            hints[item.agent] = refusal
            error = refusal
            return
        }
        let answers = cells.filter { $0.channel == item.channel && (item.team == nil || $0.team == item.team) }
            .map { EvaluatedAnswer($0, at: now, state: item.state) }
        guard let first = answers.first else {
            error = item.team.map { GateRefusal.notInTeam(item.agent, team: $0, teams: cells.map(\.team)) } ?? GateRefusal.noTeam(item.agent)
            return
        }
        if answers.contains(where: { $0.reasons != first.reasons }) {
            error = GateRefusal.teamRequired(item.agent, teams: answers.map(\.team))
            return
        }
        if answers.count == 1 { team = first.team }
        available = first.available
        reasons = first.reasons
        until = answers.compactMap { $0.until }.min { $0.instant < $1.instant }
    }

    var json: JSON {
        var members: [(String, JSON)] = [
            ("id", .string(item.id)), ("agent", .string(item.agent)), ("channel", .string(item.channel.rawValue)),
            ("team", team.map { .string($0) } ?? .null), ("available", .bool(available)),
            ("reasons", .reasons(reasons)), ("until", .until(until)),
        ]
        if let error { members.append(("error", .object([("code", .string(error.code.rawValue)), ("message", .string(error.message))]))) }
        return .object(members)
    }
}
