import Foundation
import XCTest

/// The store's answers are right at the moment they are read (issue #12): the view, `matrix`
/// and `explain` from the store, run by other processes with their clock moved by Debian's
/// `faketime`, agree with each other on both sides of a licence boundary, in the tenant's
/// time zone.
final class TimeTravelTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("outbound.sqlite").path }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        XCTAssertTrue(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/faketime"),
            "faketime is missing: apt-get install faketime (scripts/test.sh installs it)")
        // The wrapper's own runs clean up after themselves; what it can meet is left by others.
        removeStaleFaketimeObjects()
    }

    /// A tenant in `zone` where agent `a`'s licence ends on 2026-12-31 and agent `b`'s starts on `start`.
    private func tenant(zone: String, start: String = "2027-01-01") -> String {
        """
        tenant: {name: T, digitalChannels: enabled, timezone: \(zone)}
        licences:
          ending: {type: premium-agent, seats: 1, validUntil: 2026-12-31}
          starting: {type: premium-agent, seats: 1, validFrom: \(start)}
        multimediaProfiles:
          p: {blending: blended, email: 1, social: 1}
        sites:
          s: {multimediaProfile: p}
        teams:
          t: {site: s}
        desktopProfiles:
          d: {}
        entryPoints:
          e: {channel: email, address: help@t.example, outbound: true, queue: q}
          m: {channel: sms, address: "+351910000001", outbound: true, queue: r}
        queues:
          q: {channel: email, teams: [t]}
          r: {channel: sms, teams: [t]}
        wrapUpReasons:
          done: {description: Done, default: true}
        agents:
          a: {name: A, licence: ending, site: s, teams: [t], desktopProfile: d}
          b: {name: B, licence: starting, site: s, teams: [t], desktopProfile: d}

        """
    }

    /// Runs `arguments` (a program and its arguments) with the clock at `instant` (UTC).
    private func at(_ instant: String, _ arguments: [String]) throws -> RunResult {
        try runProgram("/usr/bin/faketime", [instant] + arguments, environment: ["TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
    }

    private func outboundctl(at instant: String, _ arguments: [String]) throws -> RunResult {
        try at(instant, [productsDirectory.appendingPathComponent("outboundctl").path] + arguments + ["--store", storePath])
    }

    /// The view's rows at `instant`, read by Python's sqlite3 (not our code): agent|team|channel → (available, reasons, until).
    private func view(at instant: String) throws -> [String: [String]] {
        let run = try at(
            instant,
            [
                "python3", "-c",
                """
                import sqlite3, sys
                db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
                for row in db.execute("SELECT agent_id, team_id, channel, available, reasons, until FROM outbound_availability"):
                    print("|".join("" if v is None else str(v) for v in row))
                """, storePath,
            ])
        XCTAssertEqual(run.status, 0, run.stderr)
        var rows: [String: [String]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            rows[fields[0...2].joined(separator: "|")] = Array(fields[3...])
        }
        return rows
    }

    private func apply(_ text: String) throws {
        try write(["tenant.yaml": text], to: directory.appendingPathComponent("config"))
        let run = try outboundctl(at: "2026-12-15 12:00:00", ["apply", directory.appendingPathComponent("config").path])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// The view, `matrix --format json` and `explain --format json` from the store agree at `instant`.
    private func assertReadersAgree(at instant: String, line: UInt = #line) throws {
        let rows = try view(at: instant)
        let matrix = try XCTUnwrap(try outboundctl(at: instant, ["matrix", "--format", "json"]).json?["rows"] as? [[String: Any]], line: line)
        XCTAssertEqual(matrix.count, rows.count, line: line)
        for row in matrix {
            let key = "\(row["agent"]!)|\(row["team"]!)|\(row["channel"]!)"
            let reasons = (row["reasons"] as? [String] ?? []).joined(separator: ",")
            XCTAssertEqual(rows[key]?[0], (row["available"] as? Bool) == true ? "1" : "0", "\(key) at \(instant)", line: line)
            XCTAssertEqual(rows[key]?[1], reasons, "\(key) at \(instant)", line: line)
            let explain = try XCTUnwrap(
                try outboundctl(at: instant, ["explain", "\(row["agent"]!)", "--channel", "\(row["channel"]!)", "--format", "json"]).json, line: line)
            XCTAssertEqual((explain["reasons"] as? [String] ?? []).joined(separator: ","), reasons, "explain \(key) at \(instant)", line: line)
        }
    }

    func testTheAnswerTurnsAtTheLicenceBoundaryOfTheTenantsZone() throws {
        for (zone, boundary) in [("Europe/Lisbon", "2027-01-01T00:00:00Z"), ("America/Sao_Paulo", "2027-01-01T03:00:00Z")] {
            try apply(tenant(zone: zone))
            let before = try XCTUnwrap(LicenceBoundary.shifted(boundary, by: -3600))
            let after = try XCTUnwrap(LicenceBoundary.shifted(boundary, by: 3600))
            let early = try view(at: before)
            XCTAssertEqual(early["a|t|email"], ["1", "", boundary], "\(zone): a is still licensed an hour before")
            XCTAssertEqual(early["b|t|sms"], ["0", "licence-not-yet-valid", boundary], "\(zone)")
            let late = try view(at: after)
            XCTAssertEqual(late["a|t|email"], ["0", "licence-expired", ""], "\(zone): a's licence ended")
            XCTAssertEqual(late["b|t|sms"], ["1", "", ""], "\(zone): b's licence began")
            try assertReadersAgree(at: before)
            try assertReadersAgree(at: after)
        }
        // At 01:00Z on 1 January it is still 31 December in São Paulo.
        XCTAssertEqual(try view(at: "2027-01-01 01:00:00")["a|t|email"]?[0], "1")
    }

    func testADayWhoseMidnightDoesNotExistStartsAtItsFirstInstant() throws {
        // America/Santiago moves from 00:00 (UTC-4) to 01:00 (UTC-3) on 2026-09-06.
        try apply(tenant(zone: "America/Santiago", start: "2026-09-06"))
        XCTAssertEqual(try view(at: "2026-09-06 03:59:00")["b|t|email"], ["0", "licence-not-yet-valid", "2026-09-06T04:00:00Z"])
        XCTAssertEqual(try view(at: "2026-09-06 04:00:00")["b|t|email"]?[0], "1")
        try assertReadersAgree(at: "2026-09-06 03:59:00")
    }

    func testALaterApplyOfTheSameFilesWritesNothing() throws {
        try apply(tenant(zone: "Europe/Lisbon"))
        let before = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let later = try outboundctl(at: "2027-02-01 12:00:00", ["apply", directory.appendingPathComponent("config").path])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertTrue(later.stdout.contains("No changes"), later.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: storePath)), before)
        // The plan's impact judges both sides at the same moment: nothing changes.
        let plan = try outboundctl(at: "2027-02-01 12:00:00", ["plan", directory.appendingPathComponent("config").path, "--format", "json"])
        XCTAssertEqual((plan.json?["impact"] as? [Any])?.count, 0, plan.stdout)
    }

    func testAStoreOfTheEarlierSchemaIsMigratedWithEveryRevisionIntact() throws {
        try apply(tenant(zone: "Europe/Lisbon"))
        try apply(tenant(zone: "Europe/Lisbon").replacingOccurrences(of: "name: B", with: "name: Bea"))
        let history = try outboundctl(at: "2026-12-15 12:00:00", ["history", "--format", "json"]).stdout
        // Turn it into a schema-v2 store: availability judged on its apply day, no windows.
        _ = try sqlite(storePath, "CREATE TABLE old AS SELECT agent_id, team_id, channel, available, reasons, revision FROM outbound_availability")
        try sqliteScript(
            storePath,
            """
            DROP VIEW outbound_availability; DROP TABLE availability; DROP TABLE availability_removals;
            ALTER TABLE entities DROP COLUMN sources; ALTER TABLE entities DROP COLUMN sources_hash;
            CREATE TABLE availability (agent_id TEXT NOT NULL, team_id TEXT NOT NULL, channel TEXT NOT NULL, available INTEGER NOT NULL,
              reasons TEXT NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (agent_id, team_id, channel)) WITHOUT ROWID;
            INSERT INTO availability SELECT * FROM old; DROP TABLE old;
            CREATE VIEW outbound_availability AS SELECT agent_id, team_id, channel, available, reasons, revision FROM availability;
            DELETE FROM grdb_migrations WHERE identifier = 'v3';
            """)
        // Reads answer from its entities, right for the day they run, and say how to migrate.
        let read = try outboundctl(at: "2027-01-02 12:00:00", ["matrix", "--format", "json"])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertTrue(read.stderr.contains("store migrate"), read.stderr)
        let rows = try XCTUnwrap(read.json?["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.first { $0["agent"] as? String == "a" }?["reasons"] as? [String], ["licence-expired"])
        let migrate = try outboundctl(at: "2026-12-15 12:00:00", ["store", "migrate"])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertEqual(try outboundctl(at: "2026-12-15 12:00:00", ["history", "--format", "json"]).stdout, history, "every revision intact")
        XCTAssertEqual(try view(at: "2026-12-31 12:00:00")["a|t|email"], ["1", "", "2027-01-01T00:00:00Z"])
        XCTAssertEqual(
            try sqlite(storePath, "SELECT revision FROM outbound_availability WHERE agent_id = 'a' AND channel = 'sms'"), "1\n",
            "each row keeps the revision that last changed it")
        try assertReadersAgree(at: "2027-01-02 12:00:00")
    }
}

/// Runs several SQL statements with Python's sqlite3 (not our code).
func sqliteScript(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1]).executescript(sys.argv[2])", path, sql]
    try process.run()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, sql)
}

/// Shifting a `YYYY-MM-DDTHH:MM:SSZ` instant, for faketime's `YYYY-MM-DD HH:MM:SS`.
enum LicenceBoundary {
    static func shifted(_ instant: String, by seconds: TimeInterval) -> String? {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: instant) else { return nil }
        let output = DateFormatter()
        output.timeZone = TimeZone(identifier: "UTC")
        output.locale = Locale(identifier: "en_US_POSIX")
        output.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return output.string(from: date.addingTimeInterval(seconds))
    }
}
