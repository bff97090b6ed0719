/// The support console's routes (SPEC §8): HTML pages for people, beside the API of `Route`.
/// They are not in the OpenAPI document, which describes the machine API under `/v1` and the
/// probes; the console is served by the same responder and logged and counted like them.
enum ConsolePage: Equatable {
    /// `/`: the search form.
    case search
    /// `/agents?q=`: agents whose id or name holds the text.
    case agents
    /// `/agents/{agent}?channel=&team=&date=&state=`: the nine checks per team and channel.
    case agent(String)
    /// `/suggest?q=`: the search's suggestions as JSON, for the script that fills the datalist.
    case suggest
    /// `/overview?site=&team=&page=`: counts, the reasons chart and the unavailable rows.
    case overview
    /// `/overview.csv?site=&team=`: `matrix --format csv --unavailable-only`.
    case overviewCSV
    /// `/revisions`: the store's history, newest first.
    case revisions
    /// `/login`: the token form (GET) and the session it starts (POST).
    case login
    /// `/logout`: ends the session (POST only: a link must not end it).
    case logout
    /// `/console/style.css`, `/console/console.js`.
    case stylesheet, script

    /// The path pattern, as metrics and the access log name routes.
    var pattern: String {
        switch self {
        case .search: "/"
        case .agents: "/agents"
        case .agent: "/agents/{agent}"
        case .suggest: "/suggest"
        case .overview: "/overview"
        case .overviewCSV: "/overview.csv"
        case .revisions: "/revisions"
        case .login: "/login"
        case .logout: "/logout"
        case .stylesheet: "/console/style.css"
        case .script: "/console/console.js"
        }
    }

    var methods: [String] {
        switch self {
        case .login: ["GET", "POST"]
        case .logout: ["POST"]
        default: ["GET"]
        }
    }

    /// Reachable without a session: the login form itself and what it is drawn with.
    var isPublic: Bool { self == .login || self == .stylesheet || self == .script }

    /// The page of `path`, nil for every other path. An agent id is one percent-decoded
    /// segment; `..` and further segments are not resolved (404, as for the API).
    static func match(_ path: String) -> ConsolePage? {
        switch path {
        case "/": return .search
        case "/agents": return .agents
        case "/suggest": return .suggest
        case "/overview": return .overview
        case "/overview.csv": return .overviewCSV
        case "/revisions": return .revisions
        case "/login": return .login
        case "/logout": return .logout
        case "/console/style.css": return .stylesheet
        case "/console/console.js": return .script
        default:
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].isEmpty, parts[1] == "agents", !parts[2].isEmpty,
                let agent = String(parts[2]).removingPercentEncoding
            else { return nil }
            return .agent(agent)
        }
    }
}
