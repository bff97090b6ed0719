import HTTPTypes
import OutboundConfig

/// An error answer of the API: `{"error": {"code", "message"}}` with its status and any
/// headers the status calls for (`Allow`, `Retry-After`, `WWW-Authenticate`).
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var headers: HTTPFields = [:]

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, code: "bad-request", message: message) }

    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not-found", message: message) }

    static func revisionNotVisible(_ message: String) -> APIError {
        APIError(status: .conflict, code: "revision-not-visible", message: message, headers: [.retryAfter: "1"])
    }

    static func storeUnavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "store-unavailable", message: message, headers: [.retryAfter: "1"])
    }

    var json: JSON { .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]) }
}

extension APIError {
    /// The gate's refusal as the API says it: 404 `agent-not-found` for an unknown agent, 404
    /// `not-found` for a team the agent is not in or an agent in no team, 400 when a team must
    /// be given (the batch names every refusal by its own code instead).
    init(_ refusal: GateRefusal) {
        switch refusal.code {
        case .agentNotFound: self.init(status: .notFound, code: refusal.code.rawValue, message: refusal.message)
        case .notInTeam, .agentHasNoTeam: self.init(status: .notFound, code: "not-found", message: refusal.message)
        case .teamRequired: self.init(status: .badRequest, code: "bad-request", message: refusal.message)
        }
    }

}
