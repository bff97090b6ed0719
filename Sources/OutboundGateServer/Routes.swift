/// The API's routes (SPEC §6): what each path answers, to which methods, and who may ask.
enum Route: String, CaseIterable {
    case agentOutbound = "/v1/agents/{agent}/outbound"
    case agentExplain = "/v1/agents/{agent}/explain"
    case check = "/v1/outbound/check"
    case changes = "/v1/changes"
    case status = "/v1/status"
    case healthz = "/healthz"
    case readyz = "/readyz"
    case metrics = "/metrics"
    case openapi = "/openapi.json"

    enum Access {
        /// No token needed (probes).
        case open
        /// A token of either scope.
        case check
        /// A token without scope.
        case full
    }

    var method: String { self == .check ? "POST" : "GET" }

    var access: Access {
        switch self {
        case .healthz, .readyz: .open
        case .agentOutbound, .check, .changes, .status: .check
        case .agentExplain, .metrics, .openapi: .full
        }
    }

    /// Whether answers carry `X-Outbound-Revision` and obey the degraded-store rule.
    var isVersioned: Bool { rawValue.hasPrefix("/v1/") }

    /// The route of `path` and its agent id, if any; nil for every other path.
    static func match(_ path: String) -> (Route, agent: String?)? {
        if let route = Route(rawValue: path), !path.contains("{") { return (route, nil) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "v1", parts[2] == "agents", !parts[3].isEmpty,
            let agent = String(parts[3]).removingPercentEncoding
        else { return nil }
        switch parts[4] {
        case "outbound": return (.agentOutbound, agent)
        case "explain": return (.agentExplain, agent)
        default: return nil
        }
    }
}
