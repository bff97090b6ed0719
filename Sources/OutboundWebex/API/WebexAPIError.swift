/// Why talking to the tenant failed, once retries are spent (SPEC §10: exit 3). Each names the
/// request — method and path, never the host's credentials or the token — the status and
/// Cisco's `trackingId`, which Cisco's support asks for.
public enum WebexAPIError: Error, CustomStringConvertible, Sendable {
    /// 401 or 403: an expired token is the usual cause.
    case tokenRefused(request: String, status: Int, trackingId: String?)
    /// A status the request cannot succeed with (a 404, a 400), or retries spent.
    case failed(request: String, status: Int?, trackingId: String?, reason: String, tries: Int)
    /// A list that kept changing while it was read, twice.
    case tenantChanged(list: String, reason: String)

    public var description: String {
        switch self {
        case .tokenRefused(let request, let status, let trackingId):
            "the token was refused: \(request) answered \(status)\(Self.tracking(trackingId)) (an expired token is the usual cause)"
        case .failed(let request, let status, let trackingId, let reason, let tries):
            "\(request)\(status.map { " answered \($0)" } ?? "")\(tries > 1 ? " after \(tries) tries" : ""): \(reason)\(Self.tracking(trackingId))"
        case .tenantChanged(let list, let reason):
            "the tenant changed during the pull: \(list) moved while it was read, twice (\(reason)); pull again when it is quiet"
        }
    }

    /// The failure code of the command's JSON error document.
    public var code: String {
        switch self {
        case .tokenRefused: "token-refused"
        case .failed: "webex-api-error"
        case .tenantChanged: "tenant-changed"
        }
    }

    private static func tracking(_ trackingId: String?) -> String {
        trackingId.map { " (trackingId \($0))" } ?? ""
    }
}
