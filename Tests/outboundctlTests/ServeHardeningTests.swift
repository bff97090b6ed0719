import Foundation
import XCTest

/// `serve` under hostile or heavy use (SPEC §6, issue #13): bodies too large, batches too
/// long, bytes that are not UTF-8, `..` in paths, a slow client, a thousand held long-polls,
/// a blocked standard error, a store replaced by garbage, applies landing during batches.
final class ServeHardeningTests: XCTestCase {
    private func raw(_ server: ServeProcess, _ request: String) throws -> HTTPAnswer {
        let connection = try RawConnection(port: server.baseURL.port!)
        connection.send(request)
        return try connection.response()
    }

    func testBadInputGetsALocatedAnswerAndChangesNothing() throws {
        let (store, _) = try appliedStore()
        let tokens = try temporaryDirectory(self).appendingPathComponent("tokens")
        try "full\ndesk scope=check\n".write(to: tokens, atomically: true, encoding: .utf8)
        let server = try ServeProcess(["--store", store, "--token-file", tokens.path])
        defer { server.stop() }
        let full = "Authorization: Bearer full\r\n"

        // 10 MB announced: refused from the length alone, before a byte of the body is sent.
        let announced = try raw(
            server, "POST /v1/outbound/check HTTP/1.1\r\nHost: t\r\n\(full)Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n")
        XCTAssertEqual(announced.status, 413)
        XCTAssertEqual(announced.errorCode, "too-large")
        // Over 1 MiB without a length (chunked): refused once the limit is passed.
        let chunked = try RawConnection(port: server.baseURL.port!)
        chunked.send("POST /v1/outbound/check HTTP/1.1\r\nHost: t\r\n\(full)Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: " ", count: 65_536)
        for _ in 0..<17 { chunked.send(String(65_536, radix: 16) + "\r\n" + chunk + "\r\n") }
        chunked.send("0\r\n\r\n")
        XCTAssertEqual(try chunked.response().status, 413)

        let items = Array(repeating: #"{"id":"1","agent":"ana.silva","channel":"sms"}"#, count: 10_000).joined(separator: ",")
        let long = try server.post(
            "/v1/outbound/check", json: #"{"checks":[\#(items)]}"#, headers: ["Content-Type": "application/json", "Authorization": "Bearer full"])
        XCTAssertEqual(long.status, 400)
        XCTAssertEqual(long.errorCode, "bad-request")
        XCTAssertTrue(long.text.contains("checks") && long.text.contains("1000"), long.text)

        let notUTF8 = try RawConnection(port: server.baseURL.port!)
        let body: [UInt8] = Array(#"{"checks":[{"id":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#"","agent":"a","channel":"sms"}]}"#.utf8)
        notUTF8.send(
            Array(
                "POST /v1/outbound/check HTTP/1.1\r\nHost: t\r\n\(full)Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
                + body)
        let refused = try notUTF8.response()
        XCTAssertEqual(refused.status, 400, refused.text)
        XCTAssertEqual(refused.errorCode, "bad-request")
        XCTAssertTrue(refused.text.contains("UTF-8"), refused.text)

        // Raw bytes that are not ASCII (UTF-8 or not) or are control bytes in the request line:
        // the HTTP parser refuses the request (RFC 9112) and closes the connection.
        for strangeBytes: [UInt8] in [[0xFF, 0xFE], [0x1B, 0x5B, 0x33, 0x31, 0x6D], [0x63, 0x61, 0x66, 0xC3, 0xA9]] {
            let connection = try RawConnection(port: server.baseURL.port!)
            connection.send(Array("GET /v1/agents/".utf8) + strangeBytes + Array("/outbound HTTP/1.1\r\nHost: t\r\n\(full)\r\n".utf8))
            let strange = try connection.response()
            XCTAssertEqual(strange.status, 400, strange.text)
            XCTAssertEqual(strange.header("Connection"), "close")
        }
        // The same bytes percent-encoded reach the routes: a JSON answer that shows them escaped.
        for path in ["/v1/agents/%FF%FE/outbound", "/v1/agents/%1B%5B31m/outbound", "/v1/agents/a%1B%5B31m/explain?channel=sms"] {
            let answer = try raw(server, "GET \(path) HTTP/1.1\r\nHost: t\r\n\(full)\r\n")
            XCTAssertEqual(answer.status, 404, "\(path): \(answer.text)")
            XCTAssertNotNil(answer.errorCode, answer.text)
            XCTAssertFalse(answer.body.contains(0x1B), "no raw escape byte in the answer to \(path)")
        }

        // `..` is not resolved: it never reaches another route, nor one beyond the token's scope.
        let desk = "Authorization: Bearer desk\r\n"
        for path in [
            "/v1/status/../../metrics", "/v1/agents/../../metrics", "/v1/agents/..%2F..%2Fmetrics/outbound", "/v1/agents/ana.silva/../explain",
        ] {
            let answer = try raw(server, "GET \(path) HTTP/1.1\r\nHost: t\r\n\(desk)\r\n")
            XCTAssertEqual(answer.status, 404, "\(path): \(answer.text)")
            XCTAssertFalse(answer.text.contains("outboundctl_http_requests_total"), path)
        }
        XCTAssertEqual(
            try raw(server, "GET /v1/agents/..%2F..%2Fetc%2Fpasswd/outbound HTTP/1.1\r\nHost: t\r\n\(full)\r\n").errorCode, "agent-not-found")

        // Nothing changed: the store's revision and the server's answers are as before.
        XCTAssertEqual(try outboundctl(["history", "--store", store, "--format", "json"]).json?["revisions"].map { ($0 as! [Any]).count }, 1)
        XCTAssertEqual(try server.get("/v1/status", headers: ["Authorization": "Bearer full"]).json["revision"] as? Int, 1)
        XCTAssertFalse(server.stderr.unicodeScalars.contains { $0.value == 0x1B }, "the log escapes what the path held")
    }

    /// A client sending its request one byte a second holds no one else up, and is answered
    /// when it has finished.
    func testASlowClientDoesNotHoldOthers() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let slow = try RawConnection(port: server.baseURL.port!)
        let request = Array("GET /v1/agents/ana.silva/outbound?channel=sms HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        let trickle = Thread {
            for byte in request.prefix(5) {
                slow.send([byte])
                // The pause is the behaviour under test: a client taking a second per byte.
                Thread.sleep(forTimeInterval: 1)
            }
            slow.send(Array(request.dropFirst(5)))
        }
        trickle.start()
        var answered = 0
        let started = Date()
        while Date().timeIntervalSince(started) < 4 {
            XCTAssertEqual(try server.get("/v1/agents/bruno.costa/outbound").status, 200)
            answered += 1
        }
        XCTAssertFalse(trickle.isFinished, "the slow client was still sending its request while the others were served")
        XCTAssertGreaterThan(answered, 20, "others are served while the slow client trickles")
        let answer = try slow.response()
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.json["agent"] as? String, "ana.silva")
    }

    /// At most 1,000 long-polls are held; the next gets 503 with Retry-After. SIGTERM then ends
    /// every held one with an answer and exits 0 promptly.
    func testAThousandHeldLongPollsThenRefusalThenShutdown() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let port = server.baseURL.port!
        let held = try (0..<1_000).map { _ in
            let connection = try RawConnection(port: port, receiveTimeout: 60)
            connection.send("GET /v1/changes?since=1&wait=60 HTTP/1.1\r\nHost: t\r\n\r\n")
            return connection
        }
        // A connection the kernel has completed may reach the server seconds later on a loaded
        // machine: ask only once the server says it holds all 1,000, or the probe is held instead.
        XCTAssertTrue(try eventually(within: 60) { try server.metric("outboundctl_long_polls_held") == 1_000 }, "1,000 long-polls are held")
        let refused = try server.get("/v1/changes?since=1&wait=60")
        XCTAssertEqual(refused.status, 503, "the 1,001st long-poll is refused: \(refused.text)")
        XCTAssertEqual(refused.header("Retry-After"), "1")
        XCTAssertEqual(try server.get("/v1/changes?since=1").status, 200, "a feed read without wait is still answered")
        XCTAssertEqual(try server.get("/v1/status").status, 200, "checks are still answered")

        let stopping = Date()
        XCTAssertEqual(server.stop(), 0)
        XCTAssertLessThan(Date().timeIntervalSince(stopping), 10, "SIGTERM with long-polls in flight exits promptly")
        var answered = 0
        for connection in held where (try? connection.response().status) == 200 { answered += 1 }
        XCTAssertEqual(answered, 1_000, "every held long-poll was answered before the exit")
    }

    /// Standard error that nobody reads holds no request: lines beyond the buffer are dropped
    /// and counted.
    func testABlockedStandardErrorHoldsNoRequest() throws {
        let (store, _) = try appliedStore()
        let server = try ServeProcess(["--store", store])
        defer {
            server.readStandardError()
            server.stop()
        }
        server.stopReadingStandardError()
        let connection = try RawConnection(port: server.baseURL.port!, receiveTimeout: 10)
        for index in 0..<12_000 {
            connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let answer = try connection.response()
            guard answer.status == 200 else { return XCTFail("request \(index): \(answer.status)") }
        }
        let metrics = try server.get("/metrics").text
        let dropped = metrics.split(separator: "\n").first { $0.hasPrefix("outboundctl_log_lines_dropped_total ") }
        XCTAssertGreaterThan(dropped.flatMap { Int($0.split(separator: " ")[1]) } ?? 0, 0, metrics)
    }

    /// The store file replaced by garbage: the last good revision is served, readiness turns
    /// 503 at once, then every /v1 answer is 503 past --max-stale; a good store back, answers again.
    func testAStoreReplacedByGarbage() throws {
        let (store, _) = try appliedStore()
        let good = try Data(contentsOf: URL(fileURLWithPath: store))
        let server = try ServeProcess(["--store", store, "--max-stale", "2"])
        defer { server.stop() }
        let garbage = store + ".garbage"
        try Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: URL(fileURLWithPath: garbage))
        XCTAssertEqual(rename(garbage, store), 0)
        XCTAssertTrue(try eventually { try server.get("/readyz").status == 503 }, "readiness turns 503")
        let stale = try server.get("/v1/agents/ana.silva/outbound")
        XCTAssertEqual(stale.status, 200, "the last good revision is served")
        XCTAssertEqual(stale.header("X-Outbound-Revision"), "1")
        XCTAssertTrue(try eventually(within: 4) { try server.get("/v1/agents/ana.silva/outbound").errorCode == "store-unavailable" })
        XCTAssertEqual(try server.get("/healthz").status, 200, "the process is alive")
        try good.write(to: URL(fileURLWithPath: garbage))
        XCTAssertEqual(rename(garbage, store), 0)
        XCTAssertTrue(try eventually(within: 3) { try server.get("/v1/agents/ana.silva/outbound").status == 200 })
        XCTAssertEqual(try server.get("/readyz").status, 200)
    }

    /// Batches of 1,000 checks asked while applies land: each answer comes from one revision,
    /// the one it names, and equals that revision's matrix.
    func testBatchesDuringAppliesNeverMixRevisions() throws {
        let (store, configuration) = try appliedStore()
        let profiles = configuration.appendingPathComponent("profiles.yaml")
        let manual = try String(contentsOf: profiles, encoding: .utf8)
        let pushed = manual.replacingOccurrences(of: "email: { assignment: manual, slots: 3 }", with: "email: 3")
        XCTAssertNotEqual(manual, pushed)
        // What every revision answers: odd revisions apply `manual`, even ones `pushed`.
        var expected: [Bool: [String: String]] = [:]
        for (odd, text) in [(true, manual), (false, pushed)] {
            try text.write(to: profiles, atomically: true, encoding: .utf8)
            let csv = try outboundctl(["matrix", configuration.path, "--format", "csv"]).stdout
            expected[odd] = Dictionary(
                uniqueKeysWithValues: csv.split(separator: "\n").dropFirst().map { row in
                    let fields = row.split(separator: ",", omittingEmptySubsequences: false)
                    return ("\(fields[0]) \(fields[1]) \(fields[2])", "\(fields[3]) \(fields[4])")
                })
        }
        XCTAssertNotEqual(expected[true], expected[false])
        let cells = expected[true]!.keys.sorted()
        let checks = (0..<1_000).map { index -> String in
            let parts = cells[index % cells.count].split(separator: " ")
            return #"{"id":"\#(index)","agent":"\#(parts[0])","team":"\#(parts[1])","channel":"\#(parts[2])"}"#
        }
        let batch = #"{"checks":[\#(checks.joined(separator: ","))]}"#

        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        nonisolated(unsafe) var applied = 0
        let applying = Thread {
            for round in 0..<6 {
                try? (round % 2 == 0 ? pushed : manual).write(to: profiles, atomically: true, encoding: .utf8)
                if (try? outboundctl(["apply", configuration.path, "--store", store, "--yes"]).status) == 0 { applied += 1 }
            }
        }
        applying.start()
        var revisions: Set<Int> = []
        while !applying.isFinished || revisions.count < 2 {
            let answer = try server.post("/v1/outbound/check", json: batch)
            XCTAssertEqual(answer.status, 200, answer.text)
            let revision = try XCTUnwrap(answer.json["revision"] as? Int)
            XCTAssertEqual(answer.header("X-Outbound-Revision"), String(revision))
            revisions.insert(revision)
            let results = try XCTUnwrap(answer.json["results"] as? [[String: Any]])
            XCTAssertEqual(results.count, 1_000)
            let mismatches = results.filter { result in
                let key = "\(result["agent"]!) \(result["team"]!) \(result["channel"]!)"
                let reasons = (result["reasons"] as? [String] ?? []).joined(separator: ";")
                return expected[revision % 2 == 1]![key] != "\(result["available"] as? Bool ?? false) \(reasons)"
            }
            XCTAssertEqual(mismatches.count, 0, "revision \(revision): \(mismatches.prefix(2))")
            if revisions.count > 7 { break }
        }
        XCTAssertEqual(applied, 6)
        XCTAssertGreaterThanOrEqual(revisions.count, 2, "batches were answered from several revisions")
    }

    /// A running server's clock moved past a licence boundary (libfaketime reading its time
    /// from a file on every call): the answer turns, its ETag changes, and `until` said when.
    func testALicenceBoundaryPassingChangesTheAnswerAndTheETag() throws {
        let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: library), "libfaketime is missing: apt-get install faketime (scripts/test.sh installs it)")
        let (store, _) = try appliedStore()
        let clock = try temporaryDirectory(self).appendingPathComponent("clock")
        try "@2099-12-31 23:59:00\n".write(to: clock, atomically: true, encoding: .utf8)
        let server = try ServeProcess(
            ["--store", store],
            environment: [
                "LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": clock.path, "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                "TZ": "UTC",
            ], throughEnv: true)
        defer { server.stop() }
        let path = "/v1/agents/bruno.costa/outbound?channel=sms"
        let before = try server.get(path)
        XCTAssertEqual(before.status, 200, before.text)
        let answer = try XCTUnwrap((before.json["answers"] as? [[String: Any]])?.first)
        XCTAssertEqual(answer["available"] as? Bool, true, before.text)
        XCTAssertEqual(answer["until"] as? String, "2100-01-01T00:00:00Z", "Lisbon's first instant of 2100: acme's licence ends on 2099-12-31")
        let etag = try XCTUnwrap(before.header("ETag"))
        XCTAssertEqual(try server.get(path, headers: ["If-None-Match": etag]).status, 304)

        try "@2100-01-01 00:00:30\n".write(to: clock, atomically: true, encoding: .utf8)
        let after = try server.get(path, headers: ["If-None-Match": etag])
        XCTAssertEqual(after.status, 200, "the old ETag no longer matches")
        XCTAssertNotEqual(after.header("ETag"), etag)
        let turned = try XCTUnwrap((after.json["answers"] as? [[String: Any]])?.first)
        XCTAssertEqual(turned["available"] as? Bool, false)
        XCTAssertEqual(turned["reasons"] as? [String], ["licence-expired"])
        XCTAssertEqual(after.header("X-Outbound-Revision"), "1", "no apply was needed")
    }

    /// `/v1/changes?since=` lists exactly the cells whose answer changed and those removed,
    /// compared with the view read by Python's sqlite3 before and after; a long feed pages.
    func testTheChangeFeedListsExactlyWhatChanged() throws {
        let (store, configuration) = try appliedStore()
        let view = "select agent_id, team_id, channel, available, reasons, until from outbound_availability"
        func rows() throws -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: try sqlite(store, view).split(separator: "\n").map { line in
                    let fields = line.split(separator: "|", omittingEmptySubsequences: false)
                    return ("\(fields[0]) \(fields[1]) \(fields[2])", fields[3...].joined(separator: "|"))
                })
        }
        let before = try rows()
        try edit(configuration.appendingPathComponent("profiles.yaml"), replacing: "email: { assignment: manual, slots: 3 }", with: "email: 3")
        let agents = configuration.appendingPathComponent("agents.yaml")
        let text = try String(contentsOf: agents, encoding: .utf8)
        let removedAgent = try XCTUnwrap(text.range(of: "\n  bruno.costa:"))
        // The next key at the agents' indent ends bruno.costa's entry.
        let nextAgent = try XCTUnwrap(text[removedAgent.upperBound...].firstMatch(of: /\n  [^ ]/))
        try (String(text[..<removedAgent.lowerBound]) + String(text[nextAgent.range.lowerBound...])).write(
            to: agents, atomically: true, encoding: .utf8)
        let applied = try outboundctl(["apply", configuration.path, "--store", store, "--yes"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let after = try rows()
        let changed = Set(after.filter { before[$0.key] != $0.value }.keys)
        let removed = Set(before.keys).subtracting(after.keys)
        XCTAssertFalse(changed.isEmpty)
        XCTAssertFalse(removed.isEmpty)

        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let feed = try server.get("/v1/changes?since=1").json
        let listed = try XCTUnwrap(feed["changes"] as? [[String: Any]])
        XCTAssertEqual(Set(listed.map { "\($0["agent"]!) \($0["team"]!) \($0["channel"]!)" }), changed)
        for change in listed {
            let key = "\(change["agent"]!) \(change["team"]!) \(change["channel"]!)"
            let reasons = (change["reasons"] as? [String] ?? []).joined(separator: ",")
            XCTAssertEqual("\((change["available"] as? Bool ?? false) ? 1 : 0)|\(reasons)|\(change["until"] as? String ?? "")", after[key], key)
        }
        let gone = try XCTUnwrap(feed["removed"] as? [[String: Any]])
        XCTAssertEqual(Set(gone.map { "\($0["agent"]!) \($0["team"]!) \($0["channel"]!)" }), removed)
        XCTAssertTrue(gone.allSatisfy { $0["revision"] as? Int == 2 })
        XCTAssertTrue(feed["next"] is NSNull)
    }

    /// More than 10,000 entries come in pages joined by `next`, every cell exactly once; every `next` is
    /// of the form schemas/openapi.json gives a cursor.
    func testALongFeedPagesWithCursors() throws {
        let directory = try temporaryDirectory(self)
        let tenant = directory.appendingPathComponent("tenant")
        try generateTenant(agents: 6_000, into: tenant)
        let store = directory.appendingPathComponent("outbound.sqlite").path
        let applied = try outboundctl(["apply", tenant.path, "--store", store])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let cells = Int(try sqlite(store, "select count(*) from outbound_availability").trimmingCharacters(in: .whitespacesAndNewlines))!
        XCTAssertGreaterThan(cells, 10_000)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/openapi.json")))
        let schemas = ((document as? [String: Any])?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let cursor = try NSRegularExpression(pattern: try XCTUnwrap((schemas?["Cursor"] as? [String: Any])?["pattern"] as? String))
        var seen: [String] = []
        var path = "/v1/changes?since=0"
        var pages = 0
        while true {
            let page = try server.get(path).json
            let changes = try XCTUnwrap(page["changes"] as? [[String: Any]])
            XCTAssertLessThanOrEqual(changes.count, 10_000)
            seen += changes.map { "\($0["agent"]!) \($0["team"]!) \($0["channel"]!)" }
            pages += 1
            guard let next = page["next"] as? String else { break }
            let whole = NSRange(next.startIndex..., in: next)
            XCTAssertEqual(cursor.firstMatch(in: next, range: whole)?.range, whole, "the document's cursor pattern matches \(next)")
            path = "/v1/changes?since=0&cursor=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        }
        XCTAssertGreaterThan(pages, 1)
        XCTAssertEqual(seen.count, cells)
        XCTAssertEqual(Set(seen).count, cells, "no cell twice")
    }
}
