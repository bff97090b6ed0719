import Foundation
import OutboundConfig
import OutboundStorePostgres
import OutboundStoreSQLite
import PostgresTestSupport
import XCTest

@testable import OutboundGateServer
@testable import OutboundStore

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

    /// Steps far larger than the random tenants': hundreds of agents added at once (across
    /// pages of 256, past the point where the index of added ids is folded in), agents deleted
    /// with and without cells, cells rewritten, deleted agents added again.
    func testLargeStepsAcrossPagesEqualWholeLoads() throws {
        var agents: [String: [AvailabilityKey: (AvailabilityCell, Int)]] = [:]
        func id(_ number: Int) -> String { "agent-" + String(String(number + 10_000).dropFirst()) }
        func cell(_ number: Int) -> AvailabilityCell {
            AvailabilityCell(
                before: number % 3 == 0 ? [.licenceNotPremium] : [], after: number % 5 == 0 ? [.slotManual] : [],
                window: LicenceWindow(until: number % 7 == 0 ? Date(timeIntervalSince1970: 1_900_000_000) : nil))
        }
        func write(_ agent: Int, teams: Int, revision: Int, into step: inout ServedChanges) {
            for team in 0..<teams {
                for channel in Channel.outbound {
                    let key = AvailabilityKey(agent: id(agent), team: "team-\(team + agent % 3)", channel: channel)
                    agents[id(agent), default: [:]][key] = (cell(agent + revision + team), revision)
                    step.changed.append((key, cell(agent + revision + team), revision))
                }
            }
        }
        func removeCells(_ agent: Int, revision: Int, into step: inout ServedChanges) {
            for key in agents[id(agent)]?.keys.sorted() ?? [] { step.removed.append((key, revision)) }
            agents[id(agent)] = [:]
        }
        func head(_ revision: Int) -> StoreHead { StoreHead(storeId: "s", revision: revision, mark: "m\(revision)") }
        func whole(_ revision: Int) -> GateSnapshot {
            var changes = ServedChanges(head: head(revision), revisionTime: nil, base: nil, changed: [], removed: [], agents: agents.keys.sorted())
            for agent in agents.keys.sorted() {
                for (key, (cell, written)) in agents[agent]!.sorted(by: { $0.key < $1.key }) { changes.changed.append((key, cell, written)) }
            }
            return GateSnapshot(whole: changes)
        }
        var step = ServedChanges(head: head(1), revisionTime: nil, base: nil, changed: [], removed: [], agents: nil)
        for agent in 0..<300 { write(agent, teams: 1, revision: 1, into: &step) }
        var served = whole(1)

        step = ServedChanges(head: head(2), revisionTime: nil, base: 1, changed: [], removed: [], agents: nil)
        for agent in 300..<1_000 { write(agent, teams: 2, revision: 2, into: &step) }
        for agent in 0..<50 { removeCells(agent, revision: 2, into: &step) }
        for agent in 0..<50 { agents[id(agent)] = nil }
        for agent in 100..<150 { write(agent, teams: 1, revision: 2, into: &step) }
        for agent in 1_000..<1_010 { agents[id(agent)] = [:] }
        step.changed.sort { $0.key < $1.key }
        step.agents = agents.keys.sorted()
        served = served.applying(step)
        try assertSame(served, whole(2))

        step = ServedChanges(head: head(3), revisionTime: nil, base: 2, changed: [], removed: [], agents: nil)
        for agent in 0..<10 { write(agent, teams: 2, revision: 3, into: &step) }
        for agent in 500..<600 { removeCells(agent, revision: 3, into: &step) }
        for agent in 500..<600 { agents[id(agent)] = nil }
        for agent in 1_000..<1_005 { agents[id(agent)] = nil }
        step.changed.sort { $0.key < $1.key }
        step.agents = agents.keys.sorted()
        served = served.applying(step)
        try assertSame(served, whole(3))
        XCTAssertEqual(served.agentCount, 300 - 50 + 700 + 10 - 100 + 10 - 5)
    }

    /// A store put back from a backup keeps its identity; applied past the revision a server
    /// holds, it must be loaded whole, not from change records that follow another history.
    func testARestoredStoreIsLoadedWhole() throws {
        let directory = try temporaryDirectory(self)
        let path = directory.appendingPathComponent("s.sqlite").path
        let backup = directory.appendingPathComponent("backup.sqlite").path
        var random = SeededGenerator(state: 7)
        func applyRandom() throws {
            let loaded = ConfigurationLoader(date: day, now: moment).load(documents: [(path: "r.yaml", text: RandomTenant.yaml(&random))])
            XCTAssertTrue(loaded.isValid)
            _ = try OutboundStore.sqlite(path: path).apply(
                DesiredState(loaded.configuration, date: day, now: moment), author: "p", message: "m", allowDeletes: true)
        }
        try applyRandom()
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        try applyRandom()
        try applyRandom()
        let store = try OutboundStore.sqliteForReading(path: path)
        let served = GateSnapshot(whole: try XCTUnwrap(try store.servedChanges(from: nil, limit: 0)))
        XCTAssertEqual(served.revision, 3)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        for _ in 0..<3 { try applyRandom() }
        let restored = try OutboundStore.sqliteForReading(path: path)
        let changes = try XCTUnwrap(try restored.servedChanges(from: served.head, limit: 1_000_000))
        XCTAssertEqual(changes.revision, 4)
        XCTAssertEqual(changes.storeId, served.storeId, "a copied file keeps its identity")
        XCTAssertNil(changes.base, "revision 3 of the restored store is not the one served: loaded whole")
    }

    private func assertSame(_ incremental: GateSnapshot, _ whole: GateSnapshot) throws {
        XCTAssertEqual(incremental.cellCount, whole.cellCount)
        XCTAssertEqual(incremental.agentCount, whole.agentCount)
        XCTAssertEqual(incremental.agentIds.sorted(), whole.agentIds)
        for agent in Set(incremental.agentIds + whole.agentIds) {
            XCTAssertEqual(
                incremental.cells(of: agent)?.map { "\($0.team)/\($0.channel.rawValue)/\($0.cell)" },
                whole.cells(of: agent)?.map { "\($0.team)/\($0.channel.rawValue)/\($0.cell)" }, agent)
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
