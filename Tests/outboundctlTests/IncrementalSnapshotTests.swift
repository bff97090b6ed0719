import Foundation
import OutboundConfig
import OutboundStore
import OutboundStorePostgres
import OutboundStoreSQLite
import PostgresTestSupport
import XCTest

@testable import OutboundGateServer

/// A server's snapshot kept current from the change records equals one loaded whole, and its
/// change feed from memory equals the store's (issue #28), over random sequences of tenants
/// applied one or several at a time, on both backends.
final class IncrementalSnapshotTests: XCTestCase {
    private let day = CalendarDate(year: 2026, month: 8, day: 1)
    private let moment = Date(timeIntervalSince1970: 1_785_585_600)

    func testIncrementalSnapshotsEqualWholeLoadsOnSQLite() throws {
        let directory = try temporaryDirectory(self)
        try check(seeds: 1...12) { seed in
            try OutboundStore.sqlite(path: directory.appendingPathComponent("s\(seed).sqlite").path)
        }
    }

    func testIncrementalSnapshotsEqualWholeLoadsOnPostgreSQL() throws {
        let server = try TestPostgres.server()
        var schemas: [String] = []
        defer { for schema in schemas { _ = try? TestPostgres.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE") } }
        try check(seeds: 101...104) { _ in
            let schema = TestPostgres.uniqueSchema("incremental")
            schemas.append(schema)
            return try OutboundStore.postgres(url: PostgresURL(parsing: server.url(schema: schema)))
        }
    }

    private func check(seeds: ClosedRange<UInt64>, store make: (UInt64) throws -> OutboundStore) throws {
        var seen = (multiRevisionSteps: 0, removals: 0, agentSetChanges: 0)
        for seed in seeds {
            var random = SeededGenerator(state: seed)
            let store = try make(seed)
            var served: GateSnapshot?
            for _ in 0..<8 {
                // One to three revisions land before the server looks again.
                let landing = Int.random(in: 1...3, using: &random)
                for _ in 0..<landing {
                    let text = RandomTenant.yaml(&random)
                    let loaded = ConfigurationLoader(date: day, now: moment).load(documents: [(path: "random-\(seed).yaml", text: text)])
                    XCTAssertTrue(loaded.isValid, "seed \(seed): \(loaded.diagnostics.prefix(3))")
                    _ = try store.apply(DesiredState(loaded.configuration, date: day, now: moment), author: "p", message: "m", allowDeletes: true)
                }
                guard let changes = try store.servedChanges(from: served?.head, limit: 1_000_000) else {
                    XCTFail("seed \(seed): the store moved, yet no changes")
                    continue
                }
                let next: GateSnapshot
                if let previous = served {
                    XCTAssertEqual(changes.base, previous.revision, "seed \(seed): a load from the change records")
                    if landing > 1 { seen.multiRevisionSteps += 1 }
                    if !changes.removed.isEmpty { seen.removals += 1 }
                    if changes.agents != nil { seen.agentSetChanges += 1 }
                    next = previous.applying(changes)
                } else {
                    next = GateSnapshot(whole: changes)
                }
                let whole = GateSnapshot(whole: try XCTUnwrap(try store.servedChanges(from: nil, limit: 0)))
                try assertSame(next, whole, store: store, seed: seed)
                served = next
            }
        }
        XCTAssertGreaterThan(seen.multiRevisionSteps, 0, "the sequences catch up several revisions at once")
        XCTAssertGreaterThan(seen.removals, 0, "… remove cells")
        XCTAssertGreaterThan(seen.agentSetChanges, 0, "… add and delete agents")
    }

    private func assertSame(_ incremental: GateSnapshot, _ whole: GateSnapshot, store: OutboundStore, seed: UInt64) throws {
        let context = "seed \(seed), revision \(whole.revision)"
        XCTAssertEqual(incremental.revision, whole.revision, context)
        XCTAssertEqual(incremental.storeId, whole.storeId, context)
        XCTAssertEqual(incremental.revisionTime, whole.revisionTime, context)
        XCTAssertEqual(incremental.cellCount, whole.cellCount, context)
        XCTAssertEqual(incremental.agentCount, whole.agentCount, context)
        XCTAssertEqual(incremental.agentIds.sorted(), whole.agentIds, context)
        func answers(_ snapshot: GateSnapshot, _ agent: String) -> [String]? {
            snapshot.cells(of: agent)?.map { "\($0.team)/\($0.channel.rawValue)/\($0.cell)" }
        }
        for agent in Set(incremental.agentIds + whole.agentIds + (0..<16).map { "agent-\($0)" }) {
            XCTAssertEqual(answers(incremental, agent), answers(whole, agent), "\(context): \(agent)")
        }
        // The feed from memory pages exactly as the store's, for every revision it holds.
        XCTAssertLessThanOrEqual(incremental.recent.floor, incremental.revision)
        for since in incremental.recent.floor...incremental.revision {
            var cursor: ChangeFeed.Cursor?
            repeat {
                let held = try XCTUnwrap(incremental.recent.feed(since: since, after: cursor, limit: 5, in: incremental, now: moment), context)
                let read = try store.changes(since: since, after: cursor, limit: 5, now: moment)
                XCTAssertEqual(held.revision, read.revision, "\(context) since \(since)")
                XCTAssertEqual(held.changes, read.changes, "\(context) since \(since)")
                XCTAssertEqual(held.removals, read.removals, "\(context) since \(since)")
                XCTAssertEqual(held.next, read.next, "\(context) since \(since)")
                cursor = read.next
            } while cursor != nil
        }
        XCTAssertNil(incremental.recent.feed(since: incremental.recent.floor - 1, after: nil, limit: 3, in: incremental, now: moment))
    }
}
