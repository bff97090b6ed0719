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

    /// The route of `path` and its agent id, if any; nil for every other path. Read from the
    /// bytes, and percent-decoded only when the id holds a `%`: splitting the path and
    /// Foundation's decoding were 7 % of a single check's CPU (perf, 50,000-agent store).
    static func match(_ path: String) -> (Route, agent: String?)? {
        let prefix = "/v1/agents/"
        guard path.utf8.starts(with: prefix.utf8) else {
            if let route = Route(rawValue: path), !path.contains("{") { return (route, nil) }
            return nil
        }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")), slash != rest.startIndex else { return nil }
        let route: Route
        switch Substring(path.utf8[rest.index(after: slash)...]) {
        case "outbound": route = .agentOutbound
        case "explain": route = .agentExplain
        default: return nil
        }
        let id = Substring(path.utf8[rest.startIndex..<slash])
        guard id.utf8.contains(UInt8(ascii: "%")) else { return (route, String(id)) }
        return String(id).removingPercentEncoding.map { (route, $0) }
    }
}
