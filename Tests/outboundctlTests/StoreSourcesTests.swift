import Foundation
import XCTest

/// `explain` from the store names where each deciding node stood in the files the current
/// revision was applied from, and the revision that last changed its entity (issue #12).
final class StoreSourcesTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("outbound.sqlite").path }

    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
    }

    private func checks(_ arguments: [String]) throws -> [[String: Any]] {
        let json = try XCTUnwrap(try outboundctl(arguments + ["--format", "json"]).json)
        return try XCTUnwrap(json["checks"] as? [[String: Any]], "\(json)")
    }

    /// The sources of explain from files, with `prefix` taken off the file names.
    private func fileSources(_ agent: String, _ channel: String, _ paths: [String], prefix: String) throws -> [String] {
        try checks(["explain", agent, "--channel", channel] + paths).map { check in
            guard let source = check["source"] as? [String: Any], let file = source["file"] as? String else { return "-" }
            return "\(file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file):\(source["line"]!):\(source["column"]!)"
        }
    }

    private func storeSources(_ agent: String, _ channel: String) throws -> [String] {
        try checks(["explain", agent, "--channel", channel, "--store", storePath]).map { check in
            guard let source = check["source"] as? [String: Any], let file = source["file"] as? String else { return "-" }
            return "\(file):\(source["line"]!):\(source["column"]!)"
        }
    }

    func testExplainFromTheStoreNamesTheNodesOfAnApplyFromADirectory() throws {
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", storePath]).status, 0)
        for agent in ["ana.silva", "bruno.costa", "eva.rocha", "gabriela.lopes"] {
            for channel in ["sms", "email"] {
                let expected = try fileSources(agent, channel, [acme.path], prefix: acme.path + "/")
                XCTAssertEqual(try storeSources(agent, channel), expected, "\(agent) \(channel)")
            }
        }
        let text = try outboundctl(["explain", "ana.silva", "--channel", "email", "--store", storePath]).stdout
        XCTAssertTrue(text.contains("fix: profiles.yaml:21:26 (changed in revision 1) email-manual uses manual assignment"), text)
        // The place really is the node: line 21, column 26 of profiles.yaml starts "manual".
        let line = try String(contentsOf: acme.appendingPathComponent("profiles.yaml"), encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)[20]
        XCTAssertTrue(line.dropFirst(25).hasPrefix("manual"), String(line))
    }

    func testAnApplyFromSingleFilesNamesThemByTheirNames() throws {
        let acme = try copyExample("acme", self)
        let files = try FileManager.default.contentsOfDirectory(atPath: acme.path).sorted().map { acme.appendingPathComponent($0).path }
        XCTAssertEqual(try outboundctl(["apply"] + files + ["--store", storePath]).status, 0)
        let expected = try fileSources("ana.silva", "email", files, prefix: acme.path + "/")
        XCTAssertEqual(try storeSources("ana.silva", "email"), expected)
    }

    func testMovedLinesAreFollowedAndRevisionsNameTheLastChange() throws {
        let acme = try copyExample("acme", self)
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", storePath]).status, 0)
        // Revision 2 changes the profile; the agent itself stays as revision 1 wrote it.
        try edit(
            acme.appendingPathComponent("profiles.yaml"), replacing: "email: { assignment: manual, slots: 3 }",
            with: "email: { assignment: manual, slots: 4 }")
        XCTAssertEqual(try outboundctl(["apply", acme.path, "--store", storePath]).status, 0)
        var sources = try checks(["explain", "ana.silva", "--channel", "email", "--store", storePath]).map { $0["source"] as? [String: Any] }
        XCTAssertEqual(sources[0]?["revision"] as? Int, 1, "agent-active: the agent is unchanged since revision 1")
        XCTAssertEqual(sources[5]?["revision"] as? Int, 2, "auto-pushed: the profile changed in revision 2")
        // A comment above moves every line of the file by one: no revision, but the places follow.
        let profiles = acme.appendingPathComponent("profiles.yaml")
        try ("# a comment\n" + String(contentsOf: profiles, encoding: .utf8)).write(to: profiles, atomically: true, encoding: .utf8)
        let moved = try outboundctl(["apply", acme.path, "--store", storePath])
        XCTAssertTrue(moved.stdout.contains("No changes"), moved.stdout)
        XCTAssertEqual(try sqlite(storePath, "SELECT MAX(number) FROM revisions"), "2\n")
        sources = try checks(["explain", "ana.silva", "--channel", "email", "--store", storePath]).map { $0["source"] as? [String: Any] }
        XCTAssertEqual(sources[5]?["line"] as? Int, 22)
        XCTAssertEqual(sources[5]?["revision"] as? Int, 2)
        XCTAssertEqual(try storeSources("ana.silva", "email"), try fileSources("ana.silva", "email", [acme.path], prefix: acme.path + "/"))
        // A rollback is not applied from files: what it rewrites has no place, only its revision.
        XCTAssertEqual(try outboundctl(["rollback", "1", "--store", storePath, "--yes"]).status, 0)
        sources = try checks(["explain", "ana.silva", "--channel", "email", "--store", storePath]).map { $0["source"] as? [String: Any] }
        XCTAssertEqual(sources[5]?["revision"] as? Int, 3)
        XCTAssertNil(sources[5]?["file"], "no file for a node a rollback wrote")
        XCTAssertEqual(sources[0]?["file"] as? String, "agents.yaml", "the unchanged agent keeps its place")
    }
}
