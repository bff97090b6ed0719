import HummingbirdCore
import OutboundConfig

/// A request's query parameters, read by name with the error naming the parameter.
struct Query {
    private let values: [String: [String]]

    init(_ uri: URI) {
        var values: [String: [String]] = [:]
        for (key, value) in uri.queryParameters {
            values[String(key), default: []].append(String(value))
        }
        self.values = values
    }

    /// Parameters already split, as the console reads them from its forms (`FormFields`).
    init(values: [String: [String]]) {
        self.values = values
    }

    func string(_ name: String) throws -> String? {
        guard let given = values[name] else { return nil }
        guard given.count == 1 else { throw APIError.badRequest("\(name): given \(given.count) times; give it once") }
        guard !given[0].isEmpty else { throw APIError.badRequest("\(name): empty") }
        return given[0]
    }

    func integer(_ name: String, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws -> Int? {
        guard let text = try string(name) else { return nil }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.count <= 10, let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(name): '\(GateAPI.visible(text))' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func channel() throws -> OutboundConfig.Channel? {
        try string("channel").map { try Self.channel($0, field: "channel") }
    }

    func state() throws -> AgentState? {
        try string("state").map { try Self.state($0, field: "state") }
    }

    /// An outbound channel named in `field` (a query parameter or a batch field).
    static func channel(_ text: String, field: String) throws -> OutboundConfig.Channel {
        guard let channel = OutboundConfig.Channel.outbound.first(where: { $0.rawValue == text }) else {
            throw APIError.badRequest("\(field): '\(GateAPI.visible(text))' is not sms or email")
        }
        return channel
    }

    /// A runtime state named in `field`.
    static func state(_ text: String, field: String) throws -> AgentState {
        guard let state = AgentState(rawValue: text) else {
            throw APIError.badRequest(
                "\(field): '\(GateAPI.visible(text))' is not one of \(AgentState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return state
    }

    func date() throws -> CalendarDate? {
        guard let text = try string("date") else { return nil }
        guard let date = CalendarDate(text) else { throw APIError.badRequest("date: '\(GateAPI.visible(text))' is not a date YYYY-MM-DD") }
        return date
    }

    /// The explain question of `?channel&team&state&date`, for the API and the console alike.
    func explainQuestion(agent: String) throws -> ExplainQuestion {
        ExplainQuestion(
            agent: agent, team: try string("team"), channels: try channel().map { [$0] } ?? OutboundConfig.Channel.outbound,
            state: try state(), date: try date())
    }
}
