import Foundation
import OutboundConfig
import XCTest

/// `outboundctl serve` through the real binary on a real socket of 127.0.0.1, over a store
/// built by `apply` (SPEC §6).
final class ServeTests: XCTestCase {
    /// Every (agent, team, channel) of `matrix --format csv` gets the same answer from the
    /// batch check, and the single-agent route agrees with the batch.
    func testAnswersEqualTheMatrixOfTheSameStore() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let csv = try outboundctl(["matrix", "--store", store, "--format", "csv"]).stdout
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertGreaterThan(rows.count, 20)
        let checks = rows.enumerated().map { index, row in #"{"id":"\#(index)","agent":"\#(row[0])","team":"\#(row[1])","channel":"\#(row[2])"}"# }
        let answer = try server.post("/v1/outbound/check", json: #"{"checks":[\#(checks.joined(separator: ","))]}"#)
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.header("X-Outbound-Revision"), "1")
        let results = try XCTUnwrap(answer.json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, rows.count)
        for (row, result) in zip(rows, results) {
            XCTAssertEqual(result["available"] as? Bool, row[3] == "true", "\(row)")
            XCTAssertEqual((result["reasons"] as? [String])?.joined(separator: ";"), row[4], "\(row)")
            XCTAssertNil(result["error"], "\(row)")
        }
        let single = try server.get("/v1/agents/ana.silva/outbound")
        XCTAssertEqual(single.status, 200)
        let answers = try XCTUnwrap(single.json["answers"] as? [[String: Any]])
        XCTAssertEqual(
            answers.map { "\($0["team"]!) \($0["channel"]!) \($0["available"]!)" },
            rows.filter { $0[0] == "ana.silva" }.map { "\($0[1]) \($0[2]) \($0[3] == "true" ? 1 : 0)" })
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/outbound?channel=sms").json["answers"].map { ($0 as! [Any]).count }, 1)
    }

    /// What only a real process shows (the routes, headers and errors themselves are tested in
    /// process, in OutboundGateServerTests): request ids in the access log on standard error,
    /// the OpenAPI document served as the repository's file, and a clean stop on SIGTERM.
    func testTheProcessLogsEveryRequestAndStopsCleanly() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        XCTAssertEqual(
            try server.get("/v1/agents/ana.silva/outbound?channel=sms", headers: ["X-Request-Id": "ticket-42"]).header("X-Request-Id"), "ticket-42")
        let made = try (0..<3).map { _ in try XCTUnwrap(try server.get("/v1/status").header("X-Request-Id")) }
        XCTAssertEqual(Set(made).count, 3, "every request without X-Request-Id gets an id of its own: \(made)")
        XCTAssertTrue(
            eventually { made.allSatisfy { id in server.logLines.contains { $0["requestId"] as? String == id } } }, "the made ids are logged")
        let openapi = try server.get("/openapi.json")
        XCTAssertEqual(openapi.body, try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/openapi.json")), "the same file")

        XCTAssertEqual(server.stop(), 0, "SIGTERM stops cleanly")
        let logged = server.logLines.filter { $0["method"] != nil }
        XCTAssertTrue(
            logged.contains {
                $0["requestId"] as? String == "ticket-42" && $0["status"] as? Int == 200 && $0["path"] as? String == "/v1/agents/ana.silva/outbound"
            })
        XCTAssertTrue(logged.allSatisfy { $0["durationMs"] is NSNumber && $0["revision"] is NSNumber && $0["time"] is String })
        XCTAssertFalse(logged.contains { ($0["path"] as? String ?? "").contains("?") }, "no query strings in the log")
    }

    /// A revision applied by another process is served within a second; `minRevision`
    /// waits, then 409; the change feed lists what changed, and a long-poll returns when
    /// the revision lands.
    func testNewRevisionsAreServedAndFollowed() throws {
        let (store, configuration) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let ahead = try server.get("/v1/agents/ana.silva/outbound?minRevision=2")
        XCTAssertEqual(ahead.status, 409)
        XCTAssertEqual(ahead.errorCode, "revision-not-visible")
        XCTAssertEqual(ahead.header("Retry-After"), "1")
        XCTAssertEqual(try server.get("/v1/changes?since=5").status, 409)

        XCTAssertEqual(try server.metric("outboundctl_long_polls_held"), 0)
        nonisolated(unsafe) var held: HTTPAnswer?
        let waiting = Thread { held = try? server.get("/v1/changes?since=1&wait=20") }
        waiting.start()
        // The revision must land while the server holds the long-poll, not before it arrives.
        XCTAssertTrue(try eventually(within: 20) { try server.metric("outboundctl_long_polls_held") == 1 }, "the server holds the long-poll")
        try edit(configuration.appendingPathComponent("profiles.yaml"), replacing: "email: { assignment: manual, slots: 3 }", with: "email: 3")
        let started = Date()
        XCTAssertEqual(try outboundctl(["apply", configuration.path, "--store", store, "--yes"]).status, 0)
        let answer = try server.get("/v1/agents/ana.silva/outbound?channel=email&minRevision=2")
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(answer.header("X-Outbound-Revision"), "2")
        XCTAssertTrue(eventually(within: 30) { waiting.isFinished }, "the long-poll answered within its 20 s wait")
        let feed = try XCTUnwrap(held, "the long-poll answered").json
        XCTAssertEqual(feed["revision"] as? Int, 2)
        let changes = try XCTUnwrap(feed["changes"] as? [[String: Any]])
        XCTAssertFalse(changes.isEmpty)
        XCTAssertTrue(changes.allSatisfy { $0["revision"] as? Int == 2 })
        XCTAssertTrue(try eventually { try server.metric("outboundctl_long_polls_held") == 0 }, "the long-poll is no longer held")
        XCTAssertEqual(try server.get("/v1/changes?since=2").json["changes"].map { ($0 as! [Any]).count }, 0)
        XCTAssertEqual(try server.get("/v1/changes?since=0&cursor=bogus").errorCode, "bad-request")
        XCTAssertEqual(try server.get("/v1/changes?since=0&wait=61").errorCode, "bad-request")
    }

    /// What only a process shows of the tokens (the rules themselves are tested in process, in
    /// OutboundGateServerTests): the file read with CRLF line ends, re-read on SIGHUP, and no
    /// token on standard error.
    func testTokensAreReadWithCRLFAndReloadedOnSIGHUP() throws {
        let (store, _) = try appliedStore()
        let tokens = try temporaryDirectory(self).appendingPathComponent("tokens")
        try "# support\r\nfull-token\r\ndesk-token scope=check\r\n".write(to: tokens, atomically: true, encoding: .utf8)
        let server = try ServeProcess(["--store", store, "--token-file", tokens.path])
        defer { server.stop() }
        XCTAssertEqual(try server.get("/v1/status").status, 401)
        XCTAssertEqual(try server.get("/v1/status", headers: ["Authorization": "Bearer desk-token"]).status, 200)
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/explain", headers: ["Authorization": "Bearer desk-token"]).status, 403)
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/explain", headers: ["Authorization": "Bearer full-token"]).status, 200)
        try "full-token\n".write(to: tokens, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        XCTAssertTrue(
            try eventually { try server.get("/v1/status", headers: ["Authorization": "Bearer desk-token"]).status == 401 },
            "a token taken out of the file is refused after SIGHUP")
        XCTAssertEqual(try server.get("/v1/status", headers: ["Authorization": "Bearer full-token"]).status, 200, "the one left still works")
        XCTAssertFalse(server.stderr.contains("desk-token") || server.stderr.contains("full-token"), "tokens are never logged")
    }

    /// schemas/openapi.json is a valid OpenAPI 3.1 document (openapi-spec-validator) and
    /// describes every route of SPEC §6.
    func testTheOpenAPIDocumentIsValidAndComplete() throws {
        let document = repositoryRoot.appendingPathComponent("schemas/openapi.json")
        let validated = try runProgram("/usr/bin/env", ["python3", "-m", "openapi_spec_validator", document.path])
        XCTAssertFalse(
            validated.stderr.contains("No module named"),
            "needs openapi-spec-validator: pip install openapi-spec-validator (scripts/test.sh installs it)")
        XCTAssertEqual(validated.status, 0, validated.stdout + validated.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any])
        XCTAssertEqual(json["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(json["paths"] as? [String: [String: Any]])
        XCTAssertEqual(
            Set(paths.keys),
            [
                "/v1/agents/{agent}/outbound", "/v1/outbound/check", "/v1/agents/{agent}/explain", "/v1/changes",
                "/v1/status", "/healthz", "/readyz", "/metrics", "/openapi.json",
            ])
        XCTAssertEqual(Set(paths["/v1/outbound/check"]!.keys), ["post"])
        // scripts/openapi.py spells the enumerations out; they must be the code's.
        let schemas = try XCTUnwrap((json["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        XCTAssertEqual(schemas["Reason"]?["enum"] as? [String], ReasonCode.allCases.map(\.rawValue))
        XCTAssertEqual(schemas["AgentState"]?["enum"] as? [String], AgentState.allCases.map(\.rawValue))
        XCTAssertEqual(Set(schemas["Channel"]?["enum"] as? [String] ?? []), Set(Channel.outbound.map(\.rawValue)))
    }

    /// schemathesis (PyPI) drives the running server from schemas/openapi.json with every check
    /// on every route, in every phase (stateful too): at least 1,000 generated requests (counted in
    /// the server's own access log), no 5xx, every answer's status, headers, content type and body
    /// conform to the document, schema-valid requests are accepted and schema-invalid ones refused.
    func testTheServerConformsToItsOpenAPIDocument() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let scratch = try temporaryDirectory(self)
        // A budget, no exception: a stateful scenario chains up to 6 requests, and most of them wait
        // the 1 s of a minRevision the store has not reached, so 300 scenarios would take 10 minutes.
        let config = scratch.appendingPathComponent("schemathesis.toml")
        try """
        [phases.stateful.generation]
        max-examples = 40

        """.write(to: config, atomically: true, encoding: .utf8)
        let run = try runProgram(
            "/usr/bin/env",
            [
                "python3", "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())",
                "--config-file", config.path, "--no-color",
                "run", repositoryRoot.appendingPathComponent("schemas/openapi.json").path, "--url", server.baseURL.absoluteString,
                "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", "300",
                // One worker: with two, hypothesis parsed lambdas on two threads and CPython 3.11
                // failed inside it ("SystemError: AST constructor recursion depth mismatch").
                "--workers", "1", "--seed", "20261202", "--request-timeout", "5",
            ], in: scratch)  // schemathesis keeps its cache in the working directory
        XCTAssertFalse(run.stderr.contains("No module named"), "needs schemathesis: pip install schemathesis (scripts/test.sh installs it)")
        XCTAssertEqual(run.status, 0, String((run.stdout + run.stderr).suffix(6_000)))
        let requests = server.logLines.filter { $0["method"] != nil }
        XCTAssertGreaterThanOrEqual(requests.count, 1_000, "schemathesis sent \(requests.count) requests")
        XCTAssertEqual(requests.filter { ($0["status"] as? Int ?? 0) >= 500 }.count, 0)
    }

    func testRefusalsAtStart() throws {
        let directory = try temporaryDirectory(self)
        let missing = try outboundctl(["serve", "--store", directory.appendingPathComponent("none.sqlite").path])
        XCTAssertEqual(missing.status, 3, missing.stderr)
        let (store, _) = try appliedStore()
        let open = try outboundctl(["serve", "--store", store, "--listen", "0.0.0.0:0"])
        XCTAssertEqual(open.status, 64)
        XCTAssertTrue(open.stderr.contains("--token-file"), open.stderr)
        XCTAssertEqual(try outboundctl(["serve", "--store", store, "--listen", "nonsense"]).status, 64)
        XCTAssertEqual(
            try outboundctl(["serve", "--store", store, "--listen", "127.attacker.example:0"]).status, 64, "a name is not a loopback address")
        let first = try ServeProcess(["--store", store])
        defer { first.stop() }
        let taken = try outboundctl(["serve", "--store", store, "--listen", "127.0.0.1:\(first.baseURL.port!)"])
        XCTAssertEqual(taken.status, 1, "a taken port is no store error: \(taken.stderr)")
    }

    /// The store removed: readiness fails at once, answers keep coming from the last good
    /// revision for --max-stale seconds, then 503; the store back, answers again.
    func testADegradedStoreIsServedStaleThenRefused() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store, "--max-stale", "2"])
        defer { server.stop() }
        let aside = store + ".aside"
        let moved = Date()
        try FileManager.default.moveItem(atPath: store, toPath: aside)
        XCTAssertTrue(try eventually { try server.get("/readyz").status == 503 }, "readiness turns 503 within a second or two")
        XCTAssertEqual(try server.get("/v1/agents/ana.silva/outbound").status, 200, "answers from the last good revision")
        XCTAssertEqual(try server.get("/v1/status").json["stale"] as? Bool, true)
        var refused: HTTPAnswer?
        XCTAssertTrue(
            try eventually(within: 10) {
                refused = try server.get("/v1/agents/ana.silva/outbound")
                return refused?.status != 200
            }, "refused once --max-stale has passed")
        // The store failed no earlier than it was moved, so the old revision was served for the 2 s of --max-stale.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(moved), 2, "served stale for --max-stale")
        XCTAssertEqual(refused?.status, 503)
        XCTAssertEqual(refused?.errorCode, "store-unavailable")
        try FileManager.default.moveItem(atPath: aside, toPath: store)
        XCTAssertTrue(try eventually { try server.get("/v1/agents/ana.silva/outbound").status == 200 }, "the store readable again, answers again")
        XCTAssertEqual(try server.get("/readyz").status, 200)
    }
}
