import Foundation
import XCTest

/// The support console of `serve` (SPEC §8) over plain HTTP: every page's status and headers,
/// escaping, the agreement with `matrix`, bad input, and the login under `--token-file`.
final class ConsoleTests: XCTestCase {
    private static let pages = [
        "/", "/agents?q=ana", "/agents/ana.silva", "/agents/ana.silva?channel=email&team=digital-tier1&date=2100-01-02&state=idle",
        "/overview", "/overview?site=lisbon&team=digital-tier1&page=1", "/overview.csv", "/revisions", "/suggest?q=an",
        "/console/style.css", "/console/console.js", "/login",
    ]

    private func assertSecurityHeaders(_ answer: HTTPAnswer, _ path: String, line: UInt = #line) {
        XCTAssertEqual(answer.header("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'", path, line: line)
        XCTAssertEqual(answer.header("X-Content-Type-Options"), "nosniff", path, line: line)
        XCTAssertEqual(answer.header("Referrer-Policy"), "no-referrer", path, line: line)
    }

    func testEveryPageAnswersWithItsTypeAndTheSecurityHeaders() throws {
        try assertEveryPageAnswers(postgres: false)
    }

    /// On PostgreSQL the pages' store reads go through the async pool (docs/serve.md).
    func testEveryPageAnswersOnPostgreSQL() throws {
        try assertEveryPageAnswers(postgres: true)
    }

    private func assertEveryPageAnswers(postgres: Bool) throws {
        let (store, _) = try ConsoleFixture.store(self, postgres: postgres)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let types = [
            "/overview.csv": "text/csv; charset=utf-8", "/suggest?q=an": "application/json", "/console/style.css": "text/css; charset=utf-8",
            "/console/console.js": "text/javascript; charset=utf-8",
        ]
        for path in Self.pages where path != "/login" {
            let answer = try server.console(path)
            XCTAssertEqual(answer.status, 200, "\(path): \(answer.text)")
            XCTAssertEqual(answer.header("Content-Type"), types[path] ?? "text/html; charset=utf-8", path)
            assertSecurityHeaders(answer, path)
            if answer.header("Content-Type")!.hasPrefix("text/html") {
                XCTAssertTrue(answer.text.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"), path)
                XCTAssertEqual(answer.header("Cache-Control"), "no-store", path)
            }
        }
        XCTAssertEqual(try server.console("/login").status, 303, "without a token file there is no login")
        let exact = try server.console("/agents?q=ana.silva")
        XCTAssertEqual(exact.status, 303, "an exact id goes to the agent's page")
        XCTAssertEqual(exact.header("Location"), "/agents/ana.silva")
        let byName = try server.console("/agents?q=Ana+Silv").text
        XCTAssertTrue(byName.contains("href=\"/agents/ana.silva\""), "a name finds the agent: \(byName)")
        let suggestions = try XCTUnwrap(try server.console("/suggest?q=silva").json["agents"] as? [[String: Any]])
        XCTAssertEqual(suggestions.first?["id"] as? String, "ana.silva")
        XCTAssertEqual(suggestions.first?["name"] as? String, "Ana Silva")
        let revisions = try server.console("/revisions").text
        XCTAssertTrue(revisions.contains("<td data-label=\"Revision\">1</td>"), revisions)

        let metrics = try server.get("/metrics").text
        XCTAssertTrue(metrics.contains(#"outboundctl_http_requests_total{route="/agents/{agent}",status="200"} 2"#), "counted by pattern: \(metrics)")
        XCTAssertTrue(
            eventually { server.logLines.contains { $0["path"] as? String == "/overview.csv" && $0["status"] as? Int == 200 } }, "logged like the API"
        )

        // Wrong methods: 405 with Allow, as the API answers.
        for (method, path, allow) in [
            ("POST", "/", "GET"), ("DELETE", "/agents/ana.silva", "GET"), ("GET", "/logout", "POST"), ("PUT", "/login", "GET, POST"),
        ] {
            let answer = try server.console(method, path)
            XCTAssertEqual(answer.status, 405, "\(method) \(path)")
            XCTAssertEqual(answer.header("Allow"), allow, "\(method) \(path)")
            assertSecurityHeaders(answer, path)
        }
    }

    /// The agent page shows the nine checks, the fix and the deciding node, and a chosen date
    /// changes the licence verdict (acme's licences end on 2099-12-31).
    func testTheAgentPageShowsTheChecksOfExplain() throws {
        try assertTheAgentPageShowsTheChecksOfExplain(postgres: false)
    }

    func testTheAgentPageShowsTheChecksOfExplainOnPostgreSQL() throws {
        try assertTheAgentPageShowsTheChecksOfExplain(postgres: true)
    }

    private func assertTheAgentPageShowsTheChecksOfExplain(postgres: Bool) throws {
        let (store, _) = try ConsoleFixture.store(self, postgres: postgres)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let page = try server.console("/agents/ana.silva?channel=email&date=2026-06-01").text
        XCTAssertEqual(page.components(separatedBy: "<tr class=\"check\"").count - 1, 9, "the nine checks")
        let explain = try XCTUnwrap(
            outboundctl(["explain", "ana.silva", "--store", store, "--channel", "email", "--date", "2026-06-01", "--format", "json"]).json)
        for check in try XCTUnwrap(explain["checks"] as? [[String: Any]]) {
            let id = try XCTUnwrap(check["check"] as? String)
            let outcome = try XCTUnwrap(check["outcome"] as? String)
            XCTAssertTrue(page.contains("data-check=\"\(id)\" data-outcome=\"\(outcome)\""), "\(id) is \(outcome) as explain says")
            if let source = check["source"] as? [String: Any], let file = source["file"] as? String {
                XCTAssertTrue(
                    page.contains("\(file):\(source["line"]!):\(source["column"]!)</span> · revision \(source["revision"]!)"), "\(id)'s node")
            }
        }
        XCTAssertTrue(page.contains("set `email.assignment: auto-pushed`"), "the failed check's fix")
        XCTAssertFalse(page.contains("licence-expired"))
        let later = try server.console("/agents/ana.silva?channel=email&date=2100-01-02").text
        XCTAssertTrue(later.contains("data-check=\"licence-valid\" data-outcome=\"failed\""), "the licence has expired by then")
        XCTAssertTrue(later.contains("licence-expired"))
        let state = try server.console("/agents/ana.silva?channel=sms&state=idle").text
        XCTAssertTrue(state.contains("data-check=\"agent-state\" data-outcome=\"failed\""))
        let teams = try server.console("/agents/diogo.ferreira").text
        XCTAssertEqual(teams.components(separatedBy: "<section class=\"answer\"").count - 1, 4, "per team and channel")
        XCTAssertTrue(teams.contains("id=\"answer-voice-tier1-sms\">SMS · team Voice tier 1 (voice-tier1): <span class=\"verdict unavailable\">"))
    }

    func testBadInputGetsAClearErrorPage() throws {
        let (store, _) = try ConsoleFixture.store(self)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let before = try outboundctl(["history", "--store", store, "--format", "json"]).stdout
        for (path, status, says) in [
            ("/agents/ana.silva?channel=fax", 400, "channel: &#39;fax&#39; is not sms or email"),
            ("/agents/ana.silva?date=2027-13-01", 400, "date: &#39;2027-13-01&#39; is not a date"),
            ("/agents/ana.silva?state=asleep", 400, "state: &#39;asleep&#39;"),
            ("/agents/ana.silva?channel=sms&channel=email", 400, "channel: given 2 times"),
            ("/agents/ana.silva?team=nope", 404, "not in team &#39;nope&#39;"),
            ("/agents/ana.silv", 404, "did you mean &#39;ana.silva&#39;"),
            ("/overview?team=digital-tier", 400, "unknown team &#39;digital-tier&#39;; did you mean &#39;digital-tier1&#39;"),
            ("/overview.csv?site=lisbn", 400, "unknown site &#39;lisbn&#39;; did you mean &#39;lisbon&#39;"),
            ("/overview?page=0", 400, "page: &#39;0&#39; is not a whole number"),
            ("/overview?page=x", 400, "page: &#39;x&#39;"),
            ("/overview?page=9", 404, "page 9: the list of unavailable rows has 1 page"),
            ("/agents?q=%ZZ", 400, "is not percent-encoded"),
            ("/suggest", 400, "q: required"),
        ] {
            let answer = try server.console(path)
            XCTAssertEqual(answer.status, status, "\(path): \(answer.text)")
            XCTAssertTrue(answer.text.contains(says), "\(path): \(answer.text)")
            assertSecurityHeaders(answer, path)
        }
        XCTAssertEqual(try server.console("POST", "/login", form: "token=x").status, 404, "no login without a token file")
        XCTAssertEqual(try server.console("POST", "/logout").status, 404, "nor a logout")
        XCTAssertEqual(try outboundctl(["history", "--store", store, "--format", "json"]).stdout, before, "no page writes")
        XCTAssertEqual(try server.console("/agents/ana.silva").status, 200, "still serving")
    }

    /// Names holding `<script>`, quotes and `&` are shown as text on every page.
    func testHostileNamesAreEscapedEverywhere() throws {
        let (store, _) = try ConsoleFixture.store(self, hostile: true)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        }
        let shown: [(String, [String])] = [
            ("/agents/ana.silva", [ConsoleFixture.hostileAgentName, ConsoleFixture.hostileTeamName]),
            ("/agents?q=pwned", [ConsoleFixture.hostileAgentName]),
            ("/agents?q=%3Cscript%3E", [ConsoleFixture.hostileAgentName, "<script>"]),
            ("/overview", [ConsoleFixture.hostileSiteName, ConsoleFixture.hostileTeamName]),
            ("/revisions", [ConsoleFixture.hostileMessage, "<script>x</script>"]),
            ("/agents/%3Cscript%3E", ["<script>"]),
            ("/agents/%1B%5B31m", ["\u{FFFD}[31m"]),
        ]
        for (path, texts) in shown {
            let page = try server.console(path).text
            for text in texts { XCTAssertTrue(page.contains(escaped(text)), "\(path) shows \(text) as text: \(page)") }
            XCTAssertFalse(page.contains("<script>"), "\(path) holds no raw <script>")
            XCTAssertFalse(page.contains("<b>"), path)
            XCTAssertFalse(page.contains("<img"), path)
            XCTAssertFalse(page.contains("<bon>"), path)
            XCTAssertFalse(page.unicodeScalars.contains("\u{1B}"), "\(path): no raw control byte")
        }
        let suggestions = try XCTUnwrap(try server.console("/suggest?q=ana").json["agents"] as? [[String: Any]])
        XCTAssertEqual(suggestions.first?["name"] as? String, ConsoleFixture.hostileAgentName, "JSON carries the name; the script sets it as text")
    }

    /// The overview's counts are `matrix --format json`'s summary, and its CSV is
    /// `matrix --format csv --unavailable-only`, with the same filters.
    func testTheOverviewEqualsTheMatrix() throws {
        try assertTheOverviewEqualsTheMatrix(postgres: false)
    }

    func testTheOverviewEqualsTheMatrixOnPostgreSQL() throws {
        try assertTheOverviewEqualsTheMatrix(postgres: true)
    }

    private func assertTheOverviewEqualsTheMatrix(postgres: Bool) throws {
        let (store, _) = try ConsoleFixture.store(self, postgres: postgres)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        for filters in [
            [:], ["team": "digital-tier1"], ["site": "porto"], ["site": "lisbon", "team": "voice-tier1"],
            ["site": "boston", "team": "digital-tier1"],
        ] {
            let query = filters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            let options = filters.sorted { $0.key < $1.key }.flatMap { ["--\($0.key)", $0.value] }
            let csv = try outboundctl(["matrix", "--store", store, "--format", "csv", "--unavailable-only"] + options)
            XCTAssertEqual(csv.status, 0, csv.stderr)
            let download = try server.console("/overview.csv?" + query)
            XCTAssertEqual(download.status, 200, query)
            XCTAssertEqual(download.text, csv.stdout, "the CSV of \(query)")
            let json = try XCTUnwrap(outboundctl(["matrix", "--store", store, "--format", "json"] + options).json)
            let summary = try XCTUnwrap(json["summary"] as? [String: [String: Any]])
            let page = try server.console("/overview?" + query).text
            for channel in ["sms", "email"] {
                let expected = try XCTUnwrap(summary[channel])
                XCTAssertTrue(
                    page.contains(
                        "data-channel=\"\(channel)\" data-available=\"\(expected["available"]!)\" data-unavailable=\"\(expected["unavailable"]!)\""),
                    "\(query) \(channel) counts: \(expected)")
                let reasons = try XCTUnwrap(expected["reasons"] as? [String: Int])
                let chart = page.components(separatedBy: "data-channel=\"\(channel)\"")[1].components(separatedBy: "</figure>")[0]
                XCTAssertEqual(chart.components(separatedBy: "<g data-reason=").count - 1, reasons.count, "\(query) \(channel): one bar per reason")
                for (reason, count) in reasons {
                    XCTAssertTrue(chart.contains("<g data-reason=\"\(reason)\" data-count=\"\(count)\">"), "\(query) \(channel) \(reason) \(count)")
                }
            }
            let listed = page.components(separatedBy: "<tr><td data-label=\"Agent\">").count - 1
            XCTAssertEqual(listed, min(50, csv.stdout.split(separator: "\n").count - 1), "\(query): the unavailable rows, paged")
        }
    }

    /// The unavailable rows of a larger tenant, 50 to a page: the pages together are the CSV's
    /// rows in its order, and the pager links each page to the next.
    func testTheUnavailableRowsArePaged() throws {
        let directory = try temporaryDirectory(self)
        try generateTenant(agents: 400, into: directory.appendingPathComponent("tenant"))
        let store = directory.appendingPathComponent("outbound.sqlite").path
        let applied = try outboundctl(["apply", directory.appendingPathComponent("tenant").path, "--store", store])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let server = try ServeProcess(["--store", store])
        defer { server.stop() }
        let expected = try outboundctl(["matrix", "--store", store, "--format", "csv", "--unavailable-only"]).stdout
            .split(separator: "\n").dropFirst().map { line -> String in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return "\(fields[0]) \(fields[1]) \(fields[2]) \(fields[4].replacingOccurrences(of: ";", with: ", "))"
            }
        let pages = (expected.count + 49) / 50
        XCTAssertGreaterThan(pages, 2, "the tenant has rows for several pages")
        var listed: [String] = []
        for page in 1...pages {
            let text = try server.console("/overview?page=\(page)").text
            let rows = text.components(separatedBy: "<tr><td data-label=\"Agent\">").dropFirst().map { row -> String in
                let cells = row.components(separatedBy: "</td>").prefix(4).map { cell in
                    cell.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression).trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return cells.joined(separator: " ")
            }
            XCTAssertEqual(rows.count, page < pages ? 50 : expected.count - 50 * (pages - 1), "page \(page)")
            listed += rows
            XCTAssertTrue(text.contains("Page \(page) of \(pages)"), "page \(page)")
            XCTAssertEqual(text.contains("page=\(page + 1)#unavailable\" rel=\"next\""), page < pages, "page \(page) links the next")
            XCTAssertEqual(text.contains("page=\(page - 1)#unavailable\" rel=\"prev\""), page > 1, "page \(page) links the previous")
        }
        XCTAssertEqual(listed, expected)
        XCTAssertEqual(try server.console("/overview?page=\(pages + 1)").status, 404)
    }

    /// Under `--token-file`: 401 with the login form, a session cookie (never the token)
    /// with its attributes, logout, and a token taken out of the file ending its sessions.
    func testLoginKeepsASessionUntilLogoutOrTheTokenLeaves() throws {
        let (store, _) = try ConsoleFixture.store(self)
        let tokens = try temporaryDirectory(self).appendingPathComponent("tokens")
        try "support-token\nother-token\ndesk-token scope=check\n".write(to: tokens, atomically: true, encoding: .utf8)
        let server = try ServeProcess(["--store", store, "--token-file", tokens.path])
        defer { server.stop() }
        for path in Self.pages where path != "/login" && !path.hasPrefix("/console/") {
            let answer = try server.console(path)
            XCTAssertEqual(answer.status, 401, path)
            XCTAssertTrue(answer.text.contains("<form method=\"post\" action=\"/login\""), "\(path) shows the login form")
            assertSecurityHeaders(answer, path)
        }
        XCTAssertTrue(
            try server.console("/overview?team=digital-tier1").text.contains("name=\"next\" value=\"/overview?team=digital-tier1\""),
            "the form comes back to the page asked for")
        XCTAssertEqual(try server.console("/login").status, 200)
        XCTAssertEqual(try server.console("/console/style.css").status, 200, "the login form's stylesheet needs no session")
        XCTAssertEqual(
            try server.console("/", headers: ["Authorization": "Bearer support-token"]).status, 401, "the console takes a session, not a bearer token"
        )

        XCTAssertEqual(try server.console("POST", "/login", form: "token=wrong").status, 401)
        XCTAssertEqual(try server.console("POST", "/login", form: "token=desk-token").status, 403, "a check token is not enough")
        XCTAssertEqual(try server.console("POST", "/login", form: "token=").status, 400)
        XCTAssertEqual(
            try server.console("POST", "/login", headers: ["Content-Type": "application/json"], form: #"{"token":"support-token"}"#).status, 415)
        XCTAssertEqual(
            try server.console("POST", "/login", form: "token=support-token&next=//evil.example/").status, 400, "next stays on this console")
        XCTAssertEqual(try server.console("POST", "/login", form: "token=" + String(repeating: "x", count: 5_000)).status, 413)

        let login = try server.console("POST", "/login", form: "token=support-token&next=%2Foverview%3Fteam%3Ddigital-tier1")
        XCTAssertEqual(login.status, 303, login.text)
        XCTAssertEqual(login.header("Location"), "/overview?team=digital-tier1")
        let cookie = try XCTUnwrap(login.header("Set-Cookie"))
        let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(attributes[0].hasPrefix("outboundctl-session="), cookie)
        XCTAssertEqual(attributes[0].count, "outboundctl-session=".count + 64, "256 random bits")
        XCTAssertFalse(cookie.contains("support-token"), "the cookie never holds the token")
        XCTAssertEqual(
            Set(attributes.dropFirst()), ["Path=/", "Max-Age=43200", "HttpOnly", "SameSite=Strict"], "12 hours; not Secure over plain HTTP")
        let session = ["Cookie": attributes[0]]
        for path in Self.pages where path != "/login" {
            XCTAssertEqual(try server.console(path, headers: session).status, 200, path)
        }
        XCTAssertTrue(try server.console("/", headers: session).text.contains("action=\"/logout\""), "a logout button")
        XCTAssertEqual(try server.get("/v1/status", headers: session).status, 401, "the API still needs its bearer token")
        XCTAssertEqual(try server.console("/login", headers: session).status, 303, "logged in already")

        let overHTTPS = try server.console("POST", "/login", headers: ["X-Forwarded-Proto": "https"], form: "token=support-token")
        XCTAssertTrue(try XCTUnwrap(overHTTPS.header("Set-Cookie")).hasSuffix("; Secure"), "Secure behind a TLS proxy on loopback")

        let logout = try server.console("POST", "/logout", headers: session)
        XCTAssertEqual(logout.status, 303)
        XCTAssertEqual(logout.header("Location"), "/login")
        XCTAssertTrue(try XCTUnwrap(logout.header("Set-Cookie")).contains("Max-Age=0"))
        XCTAssertEqual(try server.console("/", headers: session).status, 401, "the session ended at logout")

        let other = try server.console("POST", "/login", form: "token=other-token")
        let otherSession = ["Cookie": try XCTUnwrap(other.header("Set-Cookie")?.split(separator: ";").first.map(String.init))]
        let kept = try server.console("POST", "/login", form: "token=support-token")
        let keptSession = ["Cookie": try XCTUnwrap(kept.header("Set-Cookie")?.split(separator: ";").first.map(String.init))]
        XCTAssertEqual(try server.console("/", headers: otherSession).status, 200)
        try "support-token\n".write(to: tokens, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        XCTAssertTrue(try eventually { try server.console("/", headers: otherSession).status == 401 }, "the token left the file: its session ends")
        XCTAssertEqual(try server.console("/", headers: keptSession).status, 200, "other sessions stay")
        XCTAssertFalse(server.stderr.contains("support-token") || server.stderr.contains("other-token"), "tokens are never logged")
    }

    /// A session ends 12 hours after its login: serve's clock moved by libfaketime (reading the
    /// time from a file on every call), as the licence-boundary test of serve does.
    func testASessionEndsAfterTwelveHours() throws {
        let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: library), "libfaketime is missing: apt-get install faketime (scripts/test.sh installs it)")
        let (store, _) = try ConsoleFixture.store(self)
        let directory = try temporaryDirectory(self)
        let tokens = directory.appendingPathComponent("tokens")
        let clock = directory.appendingPathComponent("clock")
        try "support-token\n".write(to: tokens, atomically: true, encoding: .utf8)
        try "@2026-06-01 08:00:00\n".write(to: clock, atomically: true, encoding: .utf8)
        let server = try ServeProcess(
            ["--store", store, "--token-file", tokens.path],
            environment: [
                "LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": clock.path, "FAKETIME_NO_CACHE": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                "TZ": "UTC",
            ], throughEnv: true)
        defer { server.stop() }
        let login = try server.console("POST", "/login", form: "token=support-token")
        let session = ["Cookie": try XCTUnwrap(login.header("Set-Cookie")?.split(separator: ";").first.map(String.init))]
        try "@2026-06-01 19:59:50\n".write(to: clock, atomically: true, encoding: .utf8)
        XCTAssertEqual(try server.console("/revisions", headers: session).status, 200, "11 h 59 min after the login")
        try "@2026-06-01 20:00:10\n".write(to: clock, atomically: true, encoding: .utf8)
        XCTAssertEqual(try server.console("/revisions", headers: session).status, 401, "12 hours after the login")
    }
}
