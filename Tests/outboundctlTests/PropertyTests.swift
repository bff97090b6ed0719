import Foundation
import OutboundConfig
import OutboundStore
import OutboundStoreSQLite
import XCTest

@testable import outboundctl

/// SplitMix64: a small seeded generator, so a failing case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random valid tenants: every section, every kind of value, in the shapes the gate cares for.
enum RandomTenant {
    static func yaml(_ random: inout SeededGenerator) -> String {
        func pick<T>(_ items: [T]) -> T { items.randomElement(using: &random)! }
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        func some(_ items: [String], atLeast: Int = 1) -> [String] {
            let count = Int.random(in: atLeast...items.count, using: &random)
            return Array(items.shuffled(using: &random).prefix(count))
        }
        let agentCount = Int.random(in: 0...14, using: &random)
        var text = "tenant: {name: Random, digitalChannels: \(chance(0.85) ? "enabled" : "disabled")}\nlicences:\n"
        let licences = (0..<Int.random(in: 1...3, using: &random)).map { "lic-\($0)" }
        for licence in licences {
            let type = pick(["premium-agent", "premium-agent", "standard-agent", "premium-supervisor"])
            text += "  \(licence): {type: \(type), seats: \(agentCount)"
            if chance(0.5) {
                let window = pick([("2025-01-01", "2025-12-31"), ("2026-01-01", "2026-12-31"), ("2026-09-01", "2027-12-31")])
                if chance(0.7) { text += ", validFrom: \(window.0)" }
                if chance(0.7) { text += ", validUntil: \(window.1)" }
            }
            text += "}\n"
        }
        text += "multimediaProfiles:\n"
        let profiles = (0..<Int.random(in: 1...4, using: &random)).map { "mmp-\($0)" }
        func slots() -> String {
            switch Int.random(in: 0...3, using: &random) {
            case 0: return "0"
            case 1: return String(Int.random(in: 1...5, using: &random))
            case 2: return "{assignment: manual, slots: \(Int.random(in: 1...5, using: &random))}"
            default: return "{assignment: auto-pushed, slots: \(Int.random(in: 1...5, using: &random))}"
            }
        }
        for profile in profiles {
            text += "  \(profile): {blending: blended, voice: \(Int.random(in: 0...1, using: &random)), email: \(slots()), social: \(slots())}\n"
        }
        let profileChoices = profiles + ["default-telephony"]
        let sites = (0..<Int.random(in: 1...3, using: &random)).map { "site-\($0)" }
        text += "sites:\n"
        for site in sites { text += "  \(site): {name: \(site)\(chance(0.6) ? ", multimediaProfile: \(pick(profileChoices))" : "")}\n" }
        let teams = (0..<Int.random(in: 1...4, using: &random)).map { "team-\($0)" }
        text += "teams:\n"
        for team in teams { text += "  \(team): {site: \(pick(sites))\(chance(0.5) ? ", multimediaProfile: \(pick(profileChoices))" : "")}\n" }
        var entryPoints: [String] = []
        text +=
            "queues:\n  sms-q: {channel: sms, teams: [\(some(teams).joined(separator: ", "))]}\n  email-q: {channel: email, teams: [\(some(teams).joined(separator: ", "))], wrapUpReasons: [done]}\n"
        text += "entryPoints:\n"
        for index in 0..<Int.random(in: 0...3, using: &random) {
            let channel = pick(["sms", "email"])
            let id = "\(channel)-\(index)"
            entryPoints.append(id)
            let address = channel == "sms" ? "\"+1415555\(String(format: "%04d", index))\"" : "\(id)@random.example"
            text += "  \(id): {channel: \(channel), address: \(address), outbound: \(chance(0.7)), queue: \(channel)-q}\n"
        }
        text += "desktopProfiles:\n  all: {}\n"
        text += "  some: {outboundEntryPoints: [\(entryPoints.isEmpty ? "" : some(entryPoints, atLeast: 0).joined(separator: ", "))]}\n"
        text += "wrapUpReasons:\n  done: {description: Done, default: true}\n  old: {description: Old, active: false}\n"
        text += "agents:\n"
        for index in 0..<agentCount {
            text +=
                "  agent-\(index): {name: Agent \(index), licence: \(pick(licences)), site: \(pick(sites)), teams: [\(some(teams).prefix(2).joined(separator: ", "))]"
            text += ", desktopProfile: \(pick(["all", "some"]))"
            if chance(0.3) { text += ", multimediaProfile: \(pick(profileChoices))" }
            if chance(0.1) { text += ", active: false" }
            text += "}\n"
        }
        return text
    }
}

/// Properties of the store over random tenants A and B (SPEC §5 "Honest").
final class PropertyTests: XCTestCase {
    private let day = CalendarDate(year: 2026, month: 8, day: 1)
    /// Noon UTC on `day`: the same day in every zone the random tenants use.
    private let moment = Date(timeIntervalSince1970: 1_785_585_600)

    private func configuration(_ text: String, seed: UInt64) throws -> Configuration {
        let result = ConfigurationLoader(date: day, now: moment).load(documents: [(path: "random-\(seed).yaml", text: text)])
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.message), [], "seed \(seed):\n\(text)")
        return result.configuration
    }

    private func store(_ test: XCTestCase) throws -> OutboundStore {
        let path = try temporaryDirectory(test).appendingPathComponent("p.sqlite").path
        return try OutboundStore.sqlite(path: path)
    }

    func testApplyingBAfterAStoresExactlyB() throws {
        var actions: [Plan.Action: Int] = [:]
        var cells = (available: 0, unavailable: 0)
        defer {
            XCTAssertGreaterThan(actions[.create, default: 0], 0, "the generator exercises creates")
            XCTAssertGreaterThan(actions[.update, default: 0], 0, "… updates")
            XCTAssertGreaterThan(actions[.delete, default: 0], 0, "… deletes")
            XCTAssertGreaterThan(cells.available, 0, "… available cells")
            XCTAssertGreaterThan(cells.unavailable, 0, "… unavailable cells")
        }
        for seed in UInt64(1)...40 {
            var random = SeededGenerator(state: seed)
            let a = try configuration(RandomTenant.yaml(&random), seed: seed)
            let b = try configuration(RandomTenant.yaml(&random), seed: seed)
            let desiredA = DesiredState(a, date: day, now: moment)
            let desiredB = DesiredState(b, date: day, now: moment)
            let store = try store(self)
            _ = try store.apply(desiredA, author: "p", message: "A", allowDeletes: true)
            if case .applied(_, let plan, _) = try store.apply(desiredB, author: "p", message: "B", allowDeletes: true) {
                for change in plan.changes { actions[change.action, default: 0] += 1 }
            }
            for reasons in desiredB.availability().values {
                if reasons.isEmpty { cells.available += 1 } else { cells.unavailable += 1 }
            }
            XCTAssertEqual(try store.entities(), desiredB.entities, "seed \(seed): the store's configuration is B")
            XCTAssertEqual(try store.availability(at: moment), desiredB.availability(), "seed \(seed): the availability is the gate on B")
            XCTAssertFalse(try store.plan(to: desiredB).hasChanges, "seed \(seed): planning B against B is empty")

            let exported = ExportedFiles.render(entities: try store.entities(), revision: try store.currentRevision())
            let reloaded = ConfigurationLoader(date: day, now: moment).load(documents: exported.map { (path: $0.0, text: $0.1) })
            XCTAssertTrue(reloaded.isValid, "seed \(seed): \(reloaded.diagnostics.prefix(3))")
            XCTAssertFalse(
                try store.plan(to: DesiredState(reloaded.configuration, date: day, now: moment)).hasChanges,
                "seed \(seed): the export plans to no change")
        }
    }

    func testDiffImpactIsTheDifferenceOfAvailabilities() throws {
        for seed in UInt64(100)...140 {
            var random = SeededGenerator(state: seed)
            let a = DesiredState(try configuration(RandomTenant.yaml(&random), seed: seed), date: day, now: moment)
            let b = DesiredState(try configuration(RandomTenant.yaml(&random), seed: seed), date: day, now: moment)
            let before = a.availability()
            let after = b.availability()
            let impact = Plan.impact(before: before, after: after)
            var expected: [AvailabilityKey: (Bool, Bool)] = [:]
            for key in Set(before.keys).union(after.keys) {
                let was = before[key]?.isEmpty ?? false
                let now = after[key]?.isEmpty ?? false
                if was != now { expected[key] = (was, now) }
            }
            XCTAssertEqual(impact.count, expected.count, "seed \(seed)")
            XCTAssertEqual(impact.map(\.key), impact.map(\.key).sorted(), "seed \(seed): in key order")
            let ordered = Plan.impact(
                before: before, inKeyOrder: after.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                gone: before.keys.filter { after[$0] == nil })
            XCTAssertEqual(ordered, impact, "seed \(seed): from cells in key order, as a store gives them")
            XCTAssertEqual(Plan(baseRevision: nil, changes: [], impact: impact).affectedAgents, Set(impact.map(\.key.agent)).count, "seed \(seed)")
            for item in impact {
                XCTAssertEqual(expected[item.key]?.0, item.before, "seed \(seed) \(item.key)")
                XCTAssertEqual(expected[item.key]?.1, item.after, "seed \(seed) \(item.key)")
                let gone = !after.keys.contains { $0.agent == item.key.agent }
                XCTAssertEqual(item.reasons, after[item.key] ?? (gone ? [.agentInactive] : []), "seed \(seed) \(item.key)")
            }
        }
    }

    func testRollbackRestoresAExactly() throws {
        for seed in UInt64(200)...230 {
            var random = SeededGenerator(state: seed)
            let a = DesiredState(try configuration(RandomTenant.yaml(&random), seed: seed), date: day, now: moment)
            let b = DesiredState(try configuration(RandomTenant.yaml(&random), seed: seed), date: day, now: moment)
            let store = try store(self)
            guard case .applied(let revisionA, _, _) = try store.apply(a, author: "p", message: "A", allowDeletes: true) else {
                return XCTFail("seed \(seed): A must apply to an empty store")
            }
            _ = try store.apply(b, author: "p", message: "B", allowDeletes: true)
            _ = try store.apply(try store.desiredState(ofRevision: revisionA, now: moment), author: "p", message: "rollback", allowDeletes: true)
            XCTAssertEqual(try store.entities(), a.entities, "seed \(seed)")
            XCTAssertEqual(try store.availability(at: moment), a.availability(), "seed \(seed)")
        }
    }

    /// Explaining from a store reads only what `GateReads` fetches around the agent; the
    /// answers must be those of the whole configuration, check by check.
    func testExplainingFromTheStoreAnswersAsTheFilesDo() throws {
        var explained = 0
        for seed in UInt64(300)...340 {
            var random = SeededGenerator(state: seed)
            let configuration = try configuration(RandomTenant.yaml(&random), seed: seed)
            let store = try store(self)
            _ = try store.apply(DesiredState(configuration, date: day, now: moment), author: "p", message: "A", allowDeletes: true)
            for agent in configuration.agents.keys {
                for state in [nil, AgentState.idle] {
                    let question = ExplainQuestion(agent: agent, state: state, date: day)
                    let files = try OutboundGate.explain(question, in: configuration, now: moment) { [] }
                    let stored = try store.explain(question, now: moment).explanation
                    // Everything but the places, which the store names by revision and kept sources.
                    func meaning(_ answers: [GateAnswer]) -> [[String]] {
                        answers.map {
                            $0.checks.map {
                                "\($0.check) \($0.outcome) \($0.detail) \($0.reason?.rawValue ?? "-") \($0.fix ?? "-") \($0.node?.description ?? "-")"
                            }
                        }
                    }
                    XCTAssertEqual(meaning(stored.answers), meaning(files.answers), "seed \(seed) \(agent)")
                    XCTAssertEqual(stored.answers.map(\.offer), files.answers.map(\.offer), "seed \(seed) \(agent)")
                    explained += 1
                }
            }
        }
        XCTAssertGreaterThan(explained, 100, "the generator makes agents to explain")
    }
}
