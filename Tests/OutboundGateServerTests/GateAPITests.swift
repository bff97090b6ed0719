import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OutboundConfig
import OutboundStore
import OutboundStoreSQLite
import Testing

@testable import OutboundGateServer

/// The HTTP API (SPEC §6) driven in process through the server's responder: its routes, what
/// every request goes through (tokens, request ids, the access log, metrics), errors and headers, over a real
/// SQLite store of examples/acme. What needs a process — signals, start-up, other processes'
/// applies, the socket — stays in outboundctlTests' ServeTests.
@Suite final class GateAPITests {
    private var directories: [URL] = []

    deinit {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    /// The repository's root, which holds examples/ and schemas/.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let acme = root.appendingPathComponent("examples/acme").path

    /// A store of examples/acme applied once, and a server's parts over it.
    private func serve(tokens: String? = nil) throws -> (parts: GateServer.Parts, log: LogLines, tokenFile: String?) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("router-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        directories.append(directory)
        let acme = Self.acme
        let loaded = ConfigurationLoader(now: Date()).load(paths: [acme])
        #expect(loaded.isValid, "\(loaded.diagnostics.prefix(3))")
        let path = directory.appendingPathComponent("outbound.sqlite").path
        _ = try OutboundStore.sqlite(path: path)
            .apply(
                DesiredState(loaded.configuration, now: Date(), sourceDigest: loaded.sourceDigest, sourcePaths: [acme]), author: "t", message: "acme",
                allowDeletes: false)
        var options = GateServer.Options()
        if let tokens {
            let file = directory.appendingPathComponent("tokens")
            try tokens.write(to: file, atomically: true, encoding: .utf8)
            options.tokenFile = file.path
        }
        let log = LogLines()
        let server = try GateServer(options: options, open: { try OutboundStore.sqliteForReading(path: path) })
        return (server.parts(write: { log.append($0) }), log, options.tokenFile)
    }

    private func test(_ parts: GateServer.Parts, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(responder: parts.responder).test(.router, body)
    }

    @Test func routesHeadersAndErrors() async throws {
        let (parts, log, _) = try serve()
        try await test(parts) { client in
            let first = try await client.execute(uri: "/v1/agents/ana.silva/outbound", method: .get, headers: [.xRequestId: "ticket-42"])
            #expect(first.status == .ok)
            #expect(first.headers[.xRequestId] == "ticket-42")
            #expect(first.headers[.xOutboundRevision] == "1")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.execute(uri: "/v1/agents/ana.silva/outbound", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.xOutboundRevision] == "1", "a 304 names the revision too")
            let other = try await client.execute(uri: "/v1/agents/ana.silva/outbound?channel=email", method: .get, headers: [.ifNoneMatch: etag])
            #expect(other.status == .ok, "another answer, another ETag")
            var made: [String] = []
            for _ in 0..<3 { made.append(try #require(try await client.execute(uri: "/v1/status", method: .get).headers[.xRequestId])) }
            #expect(Set(made).count == 3, "every request without X-Request-Id gets an id of its own: \(made)")

            let unknown = try await client.execute(uri: "/v1/agents/ana.silv/outbound", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "agent-not-found")
            #expect(unknown.text.contains("did you mean 'ana.silva'"), "\(unknown.text)")
            let notInTeam = try await client.execute(uri: "/v1/agents/ana.silva/outbound?team=nope", method: .get)
            #expect(notInTeam.status == .notFound)
            #expect(notInTeam.message == GateRefusal.notInTeam("ana.silva", team: "nope", teams: ["digital-tier1"]).message, "the gate's one wording")
            for bad in ["channel=fax", "state=asleep", "minRevision=x"] {
                #expect(try await client.execute(uri: "/v1/agents/ana.silva/outbound?\(bad)", method: .get).errorCode == "bad-request", "\(bad)")
            }
            #expect(try await client.execute(uri: "/v1/agents/%ZZ/outbound", method: .get).errorCode == "not-found", "not percent-encoding")
            #expect(try await client.execute(uri: "/nowhere", method: .get).errorCode == "not-found")
            let nowhere = try await client.execute(uri: "/v1/nowhere", method: .get)
            #expect(nowhere.headers[.xOutboundRevision] == "1", "every /v1 answer names the revision")
            let wrongMethod = try await client.execute(uri: "/v1/status", method: .delete)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/v1/outbound/check", method: .get).headers[.allow] == "POST")
            #expect(try await client.execute(uri: "/v1/agents/ana.silva/explain", method: .post).headers[.allow] == "GET")

            let status = try await client.execute(uri: "/v1/status", method: .get).json
            #expect(status["revision"] as? Int == 1)
            #expect(status["agents"] as? Int == 20)
            #expect(status["stale"] as? Bool == false)
            #expect((status["storeId"] as? String)?.isEmpty == false)
            let openapi = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(Data(openapi.text.utf8) == (try Data(contentsOf: Self.root.appendingPathComponent("schemas/openapi.json"))), "the same file")
            let feed = try await client.execute(uri: "/v1/changes?since=0", method: .get)
            #expect(feed.status == .ok)
            #expect((feed.json["changes"] as? [Any])?.count == status["cells"] as? Int, "every cell changed in revision 1: \(feed.text.prefix(200))")
            #expect(try await client.execute(uri: "/v1/changes?since=2", method: .get).errorCode == "revision-not-visible")
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)

            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains(#"outboundctl_http_requests_total{route="/v1/agents/{agent}/outbound",status="304"} 1"#), "\(metrics)")
            #expect(
                metrics.contains(#"outboundctl_http_requests_total{route="/v1/status",status="405"} 1"#),
                "a wrong method counts under its route: \(metrics)")
            #expect(
                metrics.contains(#"outboundctl_http_requests_total{route="unmatched",status="404"} 3"#), "/nowhere, /v1/nowhere and %ZZ: \(metrics)")
            #expect(!(metrics.contains("nowhere")), "no path becomes a label")
            #expect(metrics.contains("outboundctl_store_revision 1"), "\(metrics)")
            #expect(
                !metrics.contains(#"outboundctl_checks_total{channel="sms",available="true"} 0"#), "ana.silva's sms answers were counted: \(metrics)")
            #expect(metrics.contains(#"outboundctl_checks_total{channel="sms",available="false"} 0"#), "\(metrics)")
        }
        parts.log.flush()
        let logged = log.lines.filter { $0["method"] != nil }
        #expect(
            logged.contains {
                $0["requestId"] as? String == "ticket-42" && $0["status"] as? Int == 200 && $0["path"] as? String == "/v1/agents/ana.silva/outbound"
            }, "\(logged.prefix(3))")
        #expect(logged.contains { $0["status"] as? Int == 405 && $0["method"] as? String == "DELETE" })
        #expect(logged.allSatisfy { $0["durationMs"] is NSNumber && $0["revision"] as? Int == 1 && $0["time"] is String })
        #expect(!(logged.contains { ($0["path"] as? String ?? "").contains("?") }), "no query strings in the log")
    }

    @Test func explainAnswersWithTheStoresSources() async throws {
        let (parts, _, _) = try serve()
        try await test(parts) { client in
            let explain = try await client.execute(uri: "/v1/agents/ana.silva/explain?channel=email", method: .get)
            #expect(explain.status == .ok, "\(explain.text)")
            #expect(explain.json["revision"] as? Int == 1)
            #expect(explain.json["reasons"] as? [String] == ["slot-manual"])
            let checks = try #require(explain.json["checks"] as? [[String: Any]])
            #expect(checks.count == 9)
            let failed = try #require(checks.first { $0["passed"] as? Bool == false })
            let source = try #require(failed["source"] as? [String: Any])
            #expect(source["file"] as? String == "profiles.yaml", "the deciding node: the profile's email.assignment")
            #expect(source["revision"] as? Int == 1)
            let profiles = try String(contentsOfFile: Self.acme + "/profiles.yaml", encoding: .utf8).split(
                separator: "\n", omittingEmptySubsequences: false)
            let line = try #require(source["line"] as? Int)
            let column = try #require(source["column"] as? Int)
            #expect(
                profiles[line - 1].contains("assignment:") && profiles[line - 1].dropFirst(column - 1).hasPrefix("manual"),
                "\(profiles[line - 1]) at column \(column): the value of email.assignment")
            let tag = try #require(explain.headers[.eTag])
            #expect(
                try await client.execute(uri: "/v1/agents/ana.silva/explain?channel=email", method: .get, headers: [.ifNoneMatch: tag]).status
                    == .notModified)
            let idle = try await client.execute(uri: "/v1/agents/ana.silva/explain?channel=email&state=idle", method: .get).json
            #expect(idle["reasons"] as? [String] == ["slot-manual", "state-not-allowed"], "check 9, judged by the core")
            let late = try await client.execute(uri: "/v1/agents/ana.silva/explain?channel=sms&date=2100-01-02", method: .get).json
            #expect(late["reasons"] as? [String] == ["licence-expired"], "the date moves check 4")
            #expect(try await client.execute(uri: "/v1/agents/ana.silva/explain?date=2027-13-01", method: .get).errorCode == "bad-request")
            let unknown = try await client.execute(uri: "/v1/agents/ana.silv/explain", method: .get)
            #expect(unknown.errorCode == "agent-not-found")
            #expect(unknown.message == GateRefusal.unknownAgent("ana.silv", among: ["ana.silva"]).message)
            let notInTeam = try await client.execute(uri: "/v1/agents/ana.silva/explain?team=nope", method: .get)
            #expect(notInTeam.status == .notFound)
            #expect(notInTeam.message == GateRefusal.notInTeam("ana.silva", team: "nope", teams: ["digital-tier1"]).message)
        }
    }

    @Test func batchRules() async throws {
        let (parts, _, _) = try serve()
        try await test(parts) { client in
            let answer = try await client.post(
                "/v1/outbound/check",
                """
                {"checks": [{"id": "a", "agent": "diogo.ferreira", "channel": "sms"},
                            {"id": "b", "agent": "diogo.ferreira", "channel": "sms", "team": "digital-tier1"},
                            {"id": "c", "agent": "ana.silv", "channel": "sms"},
                            {"id": "d", "agent": "ana.silva", "channel": "sms", "state": "idle"},
                            {"id": "e", "agent": "ana.silva", "channel": "sms", "team": "nope"}]}
                """)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.headers[.xOutboundRevision] == "1")
            let results = try #require(answer.json["results"] as? [[String: Any]])
            #expect(results.map { $0["id"] as? String } == ["a", "b", "c", "d", "e"])
            func error(_ index: Int) -> [String: Any]? { results[index]["error"] as? [String: Any] }
            #expect(results[0]["available"] as? Bool == false, "teams disagree: never a grant")
            #expect(error(0)?["code"] as? String == "team-required")
            #expect(results[1]["available"] as? Bool == true)
            #expect(error(2)?["code"] as? String == "agent-not-found")
            #expect((error(2)?["message"] as? String ?? "").contains("ana.silva"), "did you mean")
            #expect(results[3]["reasons"] as? [String] == ["state-not-allowed"])
            #expect(error(4)?["code"] as? String == "not-in-team")
            #expect(error(4)?["message"] as? String == GateRefusal.notInTeam("ana.silva", team: "nope", teams: ["digital-tier1"]).message)

            for (body, field) in [
                ("{}", "checks"), (#"{"checks": []}"#, "checks"),
                (#"{"checks": [{"id": "1", "agent": "x", "channel": "fax"}]}"#, "checks[0].channel"),
                (#"{"checks": [{"id": "1", "agent": "x"}]}"#, "checks[0].channel"), ("{\"checks\": [", "JSON"),
                (#"{"checks": [{"id": "1", "agent": "x", "channel": "sms"}], "minRevision": -1}"#, "minRevision"),
            ] {
                let refused = try await client.post("/v1/outbound/check", body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(refused.errorCode == "bad-request", "\(body)")
                #expect(refused.text.contains(field), "\(body): \(refused.text)")
            }
            let many = Array(repeating: #"{"id": "1", "agent": "ana.silva", "channel": "sms"}"#, count: 1_001).joined(separator: ",")
            #expect(try await client.post("/v1/outbound/check", #"{"checks": [\#(many)]}"#).status == .badRequest)
            #expect(try await client.post("/v1/outbound/check", "{}", type: "text/plain").status == .unsupportedMediaType)
            #expect(try await client.post("/v1/outbound/check", "{}", type: "application/jsonx").status == .unsupportedMediaType)
            let one = #"{"id": "\#u{FFFD}", "agent": "ana.silva", "channel": "sms"}"#
            let replacement = try await client.post("/v1/outbound/check", #"{"checks": [\#(one)]}"#, type: "application/json; charset=utf-8")
            #expect(replacement.status == .ok, "U+FFFD is valid UTF-8: \(replacement.text)")
            for whole in ["1.0", "1e0", "null", "0"] {
                let accepted = try await client.post("/v1/outbound/check", #"{"checks": [\#(one)], "minRevision": \#(whole)}"#)
                #expect(accepted.status == .ok, "minRevision \(whole) is a whole number (or none): \(accepted.text)")
            }
            let fraction = try await client.post("/v1/outbound/check", #"{"checks": [\#(one)], "minRevision": 1.5}"#)
            #expect(fraction.errorCode == "bad-request")
            #expect(fraction.text.contains("minRevision"))
            let huge = try await client.post("/v1/outbound/check", String(repeating: " ", count: (1 << 20) + 10))
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errorCode == "too-large")
        }
    }

    @Test func tokensAndScopes() async throws {
        let (parts, log, tokenFile) = try serve(tokens: "# support\nfull-token\ndesk-token scope=check\n")
        let file = try #require(tokenFile)
        let tokens = parts.tokens
        try await test(parts) { client in
            func get(_ uri: String, token: String? = nil, method: HTTPRequest.Method = .get) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: token.map { [.authorization: "Bearer \($0)"] } ?? [:])
            }
            let anonymous = try await get("/v1/status")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try await get("/v1/status", token: "wrong").status == .unauthorized)
            #expect(try await get("/v1/status", method: .delete).status == .unauthorized, "the token before the method")
            #expect(try await get("/nowhere").status == .unauthorized, "the token before the 404")
            #expect(try await get("/v1/nowhere", token: "desk-token").status == .notFound, "a check token gets 404, not 403")
            #expect(try await get("/v1/status", token: "desk-token").status == .ok)
            #expect(try await get("/v1/agents/ana.silva/explain", token: "desk-token").errorCode == "forbidden")
            #expect(try await get("/metrics", token: "desk-token").status == .forbidden)
            #expect(try await get("/v1/agents/ana.silva/explain", token: "full-token").status == .ok)
            #expect(try await get("/healthz").status == .ok)
            #expect(try await get("/readyz").status == .ok)
            #expect(try await get("/").status == .unauthorized, "the console asks for its login")
            try "full-token\n".write(toFile: file, atomically: true, encoding: .utf8)
            tokens.replace(try TokenFile(path: file))
            #expect(try await get("/v1/status", token: "desk-token").status == .unauthorized, "a token taken out is refused")
        }
        parts.log.flush()
        #expect(!(log.text.contains("desk-token") || log.text.contains("full-token")), "tokens are never logged")
    }

    /// The document's `Cursor` pattern and `ChangeFeed.Cursor(text:)` accept the same strings, and
    /// every cursor's text is one of them: schemathesis holds the server to the pattern (a cursor it
    /// allows is answered, any other string is a 400).
    @Test func theCursorPatternIsTheCursorGrammar() async throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let pattern = try #require((schemas?["Cursor"] as? [String: Any])?["pattern"] as? String)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ text: String) -> Bool {
            // The whole string: JSON Schema's `$` (ECMA-262) ends it, ICU's also matches before a final newline.
            let whole = NSRange(text.startIndex..., in: text)
            return regex.firstMatch(in: text, range: whole)?.range == whole
        }
        let longest = "a" + String(repeating: "9", count: 63)
        let cursors: [ChangeFeed.Cursor] = [
            .change(AvailabilityKey(agent: "ana.silva", team: "digital-tier1", channel: .sms)),
            .change(AvailabilityKey(agent: longest, team: "0", channel: .email)),
            .removal(revision: 0, AvailabilityKey(agent: "a_b-c.d", team: "t", channel: .email)),
            .removal(revision: 9_999_999_999, AvailabilityKey(agent: longest, team: longest, channel: .sms)),
        ]
        for cursor in cursors {
            #expect(matches(cursor.text), "\(cursor.text)")
            #expect(ChangeFeed.Cursor(text: cursor.text) == cursor, "\(cursor.text)")
        }
        let strangers = [
            "", "bogus", "c~a~b~sms\n", "c~a~b~sms ", "c~a~b~voice", "c~a~b~SMS", "c~A~b~sms", "c~.a~b~sms", "c~~b~sms", "c~a~b~sms~", "c~a~sms",
            "c~\(longest)a~b~sms", "c~a~b~c~sms", "c~ä~b~sms", "r~a~b~sms", "r~01~a~b~sms", "r~-1~a~b~sms", "r~+1~a~b~sms", "r~12345678901~a~b~sms",
            "x~a~b~sms", "YwlhCWIJc21z",
        ]
        for text in strangers {
            #expect(!matches(text), "\(text)")
            #expect(ChangeFeed.Cursor(text: text) == nil, "\(text)")
        }
        let (parts, _, _) = try serve()
        let answers = [(cursors.map(\.text), HTTPResponse.Status.ok), (strangers, HTTPResponse.Status.badRequest)]
        try await test(parts) { client async throws in
            for (texts, status) in answers {
                for text in texts {
                    let cursor = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    #expect(try await client.execute(uri: "/v1/changes?since=0&cursor=\(cursor)", method: .get).status == status, "\(text)")
                }
            }
        }
    }
}

/// The access log's lines, as the server writes them.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    var lines: [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var message: String? { (json["error"] as? [String: Any])?["message"] as? String }
}

extension TestClientProtocol {
    func post(_ uri: String, _ body: String, type: String = "application/json") async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
    }
}
