import Foundation
import XCTest

/// The support console in a real browser: `Tests/Browser/console_test.py` drives Debian's
/// headless chromium through chromium-driver with selenium, against serve processes on real
/// stores, and checks what a person sees against what `matrix` and `explain` answer.
final class ConsoleBrowserTests: XCTestCase {
    func testTheConsoleInARealBrowser() throws {
        let missing =
            ["/usr/bin/chromium", "/usr/bin/chromedriver"].filter { !FileManager.default.isExecutableFile(atPath: $0) }
            + (try runProgram("/usr/bin/env", ["python3", "-c", "import selenium"]).status == 0 ? [] : ["selenium"])
        guard missing.isEmpty else {
            return XCTFail(
                "missing \(missing.joined(separator: ", ")): apt-get install chromium chromium-driver && python3 -m pip install selenium "
                    + "(scripts/test.sh installs them when missing)")
        }
        let (store, _) = try ConsoleFixture.store(self)
        let (hostileStore, _) = try ConsoleFixture.store(self, hostile: true)
        let tokens = try temporaryDirectory(self).appendingPathComponent("tokens")
        try "support-token\ndesk-token scope=check\n".write(to: tokens, atomically: true, encoding: .utf8)
        let plain = try ServeProcess(["--store", store])
        defer { plain.stop() }
        let guarded = try ServeProcess(["--store", store, "--token-file", tokens.path])
        defer { guarded.stop() }
        let hostile = try ServeProcess(["--store", hostileStore])
        defer { hostile.stop() }

        func json(_ arguments: [String]) throws -> Any {
            let run = try outboundctl(arguments + ["--store", store, "--format", "json"])
            return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        }
        let team = "digital-tier1"
        let expected: [String: Any] = [
            "summary": try XCTUnwrap(try json(["matrix"]) as? [String: Any])["summary"]!,
            "team": team,
            "teamSummary": try XCTUnwrap(try json(["matrix", "--team", team]) as? [String: Any])["summary"]!,
            "teamCSV": try outboundctl(["matrix", "--store", store, "--format", "csv", "--unavailable-only", "--team", team]).stdout,
            "explain": try json(["explain", "ana.silva", "--channel", "email", "--date", "2026-06-01"]),
            "hostileAgent": ConsoleFixture.hostileAgentName,
            "hostileTeam": ConsoleFixture.hostileTeamName,
            "hostileSite": ConsoleFixture.hostileSiteName,
            "hostileMessage": ConsoleFixture.hostileMessage,
        ]
        let expectedFile = try temporaryDirectory(self).appendingPathComponent("expected.json")
        try JSONSerialization.data(withJSONObject: expected).write(to: expectedFile)

        let run = try runProgram(
            "/usr/bin/timeout",
            [
                "300", "python3", "Tests/Browser/console_test.py",
                "--plain", plain.baseURL.absoluteString, "--login", guarded.baseURL.absoluteString,
                "--token", "support-token", "--check-token", "desk-token",
                "--hostile", hostile.baseURL.absoluteString, "--expected", expectedFile.path,
            ])
        XCTAssertEqual(run.status, 0, "\(run.stdout)\n\(run.stderr)")
        for step in [
            "search and open an agent", "the date changes the licence verdict", "the overview and its filters", "the login flow",
            "the pages without JavaScript", "the hostile-names tenant", "labels, contrast and the keyboard",
        ] {
            XCTAssertTrue(run.stdout.contains("ok: \(step)"), "\(step): \(run.stdout)")
        }
    }
}
