import Foundation
import HTTPTypes
import Hummingbird
import OutboundConfig

/// What every request goes through, whatever answers it: an id (`X-Request-Id`, the client's
/// when it sent a usable one), an `APIError` turned into its JSON answer, `/v1` answers stamped
/// with the revision they came from (`X-Outbound-Revision`: the one a route answered from, else
/// the one served when the request arrived), and a record in `/metrics` and as one JSON line of
/// the access log (SPEC §6). Recording never holds the request: the log is buffered.
struct RequestRecord: Sendable {
    let state: GateState
    let metrics: GateMetrics
    let log: AccessLog
    let requestIds = RequestIds()

    /// A request as it arrived: when, its id, and the revision then served.
    struct Arrival {
        var started: ContinuousClock.Instant
        var requestId: String
        var revision: Int
    }

    func arrival(of request: Request) -> Arrival {
        Arrival(started: .now, requestId: requestIds.id(given: request.headers[.xRequestId]), revision: state.snapshot.revision)
    }

    /// The answer for what a route threw: an `APIError`'s own, else a 500 that says nothing more.
    static func response(for error: any Error) -> Response {
        GateAPI.error(error as? APIError ?? APIError(status: .internalServerError, code: "internal", message: "the request could not be answered"))
    }

    /// `response`, answered from `revision` (the one served at arrival when nil), stamped and
    /// recorded under the metrics label `route` (a route's pattern, never the path, so a client
    /// cannot make labels without end).
    func finish(_ arrival: Arrival, _ request: Request, _ response: Response, revision: Int?, route: String) -> Response {
        var response = response
        response.headers[.xRequestId] = arrival.requestId
        let path = request.uri.path
        let revision = revision ?? arrival.revision
        if path.hasPrefix("/v1/") { response.headers[.xOutboundRevision] = String(revision) }
        let duration = ContinuousClock.now - arrival.started
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        metrics.request(route: route, status: response.status.code, nanoseconds: nanoseconds)
        log.record(
            line: AccessLogLine(
                time: Date(), method: request.method.rawValue, path: path, status: response.status.code, nanoseconds: nanoseconds,
                revision: revision, requestId: arrival.requestId
            ).bytes)
        return response
    }
}
