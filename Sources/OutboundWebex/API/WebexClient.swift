import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OutboundConfig
import Synchronization

/// A client of Cisco's Contact Center configuration API that behaves as SPEC §10 asks of a good
/// citizen: paced under `--rate`, waiting out 429s, retrying what is safe to retry, treating
/// every answer as untrusted input, and keeping the token out of everything it says.
public final class WebexClient: Sendable {
    /// Answers over this are refused (SPEC §10): a tenant's largest list page is a few MiB.
    public static let bodyLimit = 256 << 20
    /// Connections to the tenant at once: more than `webex pull` ever has requests in flight,
    /// so a request goes out when the pacer lets it, not later when a connection frees up (a
    /// burst that would break the rate).
    static let connections = 64

    public let endpoint: WebexEndpoint
    private let token: WebexToken
    private let http: HTTPClient
    private let pacer: RequestPacer
    private let timeout: Duration
    private let policy: RetryPolicy
    private let activity = Mutex(WebexActivity())
    private let onActivity: @Sendable (WebexActivity) -> Void

    /// A JSON answer of 2xx.
    public struct Answer: Sendable {
        public let tape: JSONTape
    }

    public init(
        endpoint: WebexEndpoint, token: WebexToken, ratePerMinute: Int, timeout: Duration,
        onActivity: @escaping @Sendable (WebexActivity) -> Void = { _ in }
    ) {
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
        self.onActivity = onActivity
        pacer = RequestPacer(perMinute: ratePerMinute)
        policy = RetryPolicy()
        var configuration = HTTPClient.Configuration(
            // A redirect would carry the token to wherever it points.
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout.timeAmount, read: timeout.timeAmount),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.connections)
        )
        // A refused connection is a failed try, retried by the policy here: AsyncHTTPClient would
        // otherwise keep connecting until the deadline, and a wrong --api took minutes to say so.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections; call once the command is done with the tenant.
    public func shutdown() async {
        try? await http.shutdown()
    }

    public var current: WebexActivity { activity.withLock { $0 } }

    /// Counts a list page read (the status line's "pages read").
    public func notePage() {
        update { $0.pages += 1 }
    }

    /// `GET path` below the organisation: paced, retried, and refused as an answer when its
    /// body is not JSON or `check` finds it is not what the request asks for (an empty page
    /// before the last, say): such an answer is retried like a 5xx.
    public func get(
        _ path: String, query: [(String, String)] = [], check: @Sendable (JSONTape) -> String? = { _ in nil }
    ) async throws -> Answer {
        try await send(.GET, path, query: query, body: nil, check: check)
    }

    /// `PUT path` with a whole object: retried like a `GET` (a PUT of the same object twice
    /// lands once), and a 4xx thrown as `WebexAPIError.failed` with its status.
    public func put(_ path: String, body: [UInt8]) async throws -> Answer {
        try await send(.PUT, path, query: [], body: body, check: { _ in nil })
    }

    /// `PATCH path` (a bulk update, 207): retried like a `PUT`, since each item carries the
    /// version it was planned on and lands at most once.
    public func patch(_ path: String, body: [UInt8]) async throws -> Answer {
        try await send(.PATCH, path, query: [], body: body, check: { _ in nil })
    }

    /// `POST path`: never retried here. A create whose answer was lost may have landed, so the
    /// caller looks before it sends again (SPEC §10: no duplicates).
    public func post(_ path: String, body: [UInt8]) async throws -> Answer {
        try await send(.POST, path, query: [], body: body, check: { _ in nil })
    }

    /// `DELETE path`; its answer has no body.
    public func delete(_ path: String) async throws {
        _ = try await send(.DELETE, path, query: [], body: nil, check: { _ in nil })
    }

    private enum Outcome {
        case answer(status: Int, headers: HTTPHeaders, body: ByteBuffer)
        /// No answer: a timeout, a dropped connection, a body over the limit.
        case noAnswer(String)
    }

    private func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: [UInt8]?, check: @Sendable (JSONTape) -> String?
    ) async throws -> Answer {
        let name = WebexEndpoint.request(method.rawValue, "/organization/\(endpoint.org)/\(path)", query: query)
        // SPEC §10: only a POST is not retried blindly (it could create a second entity).
        let retriesSafely = method != .POST
        var failures = 0
        var throttles = 0
        while true {
            try await pacer.wait()
            update { $0.requests += 1 }
            let reason: String
            var status: Int?
            var trackingId: String?
            switch await attempt(method, url: endpoint.url(path, query: query), body: body) {
            case .noAnswer(let why):
                reason = why
            case .answer(let code, let headers, let body):
                status = code
                trackingId = headers.first(name: "TrackingID").map(Self.visible)
                switch code {
                case 200..<300 where body.readableBytes == 0 && method != .GET:
                    // A delete's 204, or a write answered without its entity.
                    return Answer(tape: Self.noBody)
                case 200..<300:
                    do {
                        let tape = try JSONTape(bytes: Array(body.readableBytesView))
                        if let problem = check(tape) {
                            reason = problem
                        } else {
                            return Answer(tape: tape)
                        }
                    } catch let error as JSONTape.ParseError {
                        reason = "the answer is not JSON (\(error.problem.rawValue), at byte \(error.offset))"
                    }
                case 401, 403:
                    throw WebexAPIError.tokenRefused(request: name, status: code, trackingId: trackingId ?? CiscoError(body)?.trackingId)
                case 429:
                    throttles += 1
                    guard throttles <= policy.throttleRetries else {
                        throw WebexAPIError.failed(
                            request: name, status: code, trackingId: trackingId ?? CiscoError(body)?.trackingId,
                            reason: "still 429 Too Many Requests after \(policy.throttleRetries) waits", tries: throttles)
                    }
                    let wait = policy.throttleWait(retryAfter: headers.first(name: "Retry-After"), attempt: throttles, now: Date())
                    await pacer.hold(until: .now + wait)
                    update { $0.waitingUntil = Date().addingTimeInterval(wait.seconds) }
                    continue
                case 500..<600:
                    let error = CiscoError(body)
                    reason = error?.message ?? HTTPResponseStatus(statusCode: code).reasonPhrase
                    trackingId = trackingId ?? error?.trackingId
                default:
                    let error = CiscoError(body)
                    throw WebexAPIError.failed(
                        request: name, status: code, trackingId: trackingId ?? error?.trackingId,
                        reason: error?.message ?? HTTPResponseStatus(statusCode: code).reasonPhrase, tries: 1)
                }
            }
            failures += 1
            guard retriesSafely, failures <= policy.failureRetries else {
                throw WebexAPIError.failed(request: name, status: status, trackingId: trackingId, reason: reason, tries: failures)
            }
            try await Task.sleep(for: policy.failureWait(attempt: failures))
        }
    }

    /// One exchange, bounded by `--timeout` as a whole: AsyncHTTPClient's deadline ends with the
    /// response head, and its read timeout restarts with every byte, so a body trickled a byte
    /// at a time would otherwise hold the command for ever.
    private func attempt(_ method: HTTPMethod, url: String, body: [UInt8]?) async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await self.exchange(method, url: url, body: body) }
            group.addTask {
                try? await Task.sleep(for: self.timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .noAnswer("no answer from \(endpoint.base) within \(timeout.seconds.formatted()) s")
        }
    }

    private func exchange(_ method: HTTPMethod, url: String, body: [UInt8]?) async -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: token.authorization)
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await http.execute(request, deadline: .now() + timeout.timeAmount)
            let body = try await response.body.collect(upTo: Self.bodyLimit)
            return .answer(status: Int(response.status.code), headers: response.headers, body: body)
        } catch is NIOTooManyBytesError {
            return .noAnswer("the answer is over \(Self.bodyLimit >> 20) MiB")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .noAnswer("no answer from \(endpoint.base) within \(timeout.seconds.formatted()) s")
        } catch let error as HTTPClientError where error == .remoteConnectionClosed {
            return .noAnswer("the connection was dropped before an answer")
        } catch let error as IOError where error.errnoCode == ECONNREFUSED {
            return .noAnswer("the connection was refused (is anything listening at \(endpoint.base)?)")
        } catch let error as HTTPClientError {
            // Its short description names the error without the values it carries (a header's).
            return .noAnswer("no answer: \(Self.visible(error.shortDescription))")
        } catch {
            let text = String(describing: error)
            // NIO's connection error wraps each address's refusal; its text is all there is to tell.
            if text.contains("Connection refused") {
                return .noAnswer("the connection was refused (is anything listening at \(endpoint.base)?)")
            }
            return .noAnswer("no answer from \(endpoint.base): \(Self.visible(text))")
        }
    }

    /// The answer of a write without a body: JSON `null`.
    private static let noBody = try! JSONTape(bytes: Array("null".utf8))

    private func update(_ change: (inout WebexActivity) -> Void) {
        let now = activity.withLock { value in
            change(&value)
            return value
        }
        onActivity(now)
    }

    /// Cisco's error shape, `{"trackingId", "error": {"message": [{"description"}]}}`, read
    /// once from an error answer; nil when the body is not that.
    private struct CiscoError {
        var trackingId: String?
        var message: String?

        init?(_ body: ByteBuffer) {
            guard let json = try? JSON.parse(bytes: Array(body.readableBytesView.prefix(1 << 20))) else { return nil }
            trackingId = json["trackingId"]?.stringValue.map(WebexClient.visible)
            if case .array(let messages)? = json["error"]?["message"], let text = messages.first?["description"]?.stringValue {
                message = WebexClient.visible(text)
            }
        }
    }

    /// Text from the tenant, made safe to print: at most 200 characters, control characters
    /// escaped as JSON escapes them.
    static func visible(_ text: String) -> String {
        let cut = text.count > 200 ? String(text.prefix(199)) + "…" : text
        guard cut.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }) else { return cut }
        return String(JSON.string(cut).rendered().dropFirst().dropLast())
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// NIO's time type, which AsyncHTTPClient's deadlines and timeouts take.
    var timeAmount: TimeAmount { .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000) }
}
