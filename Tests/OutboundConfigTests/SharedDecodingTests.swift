import Foundation
import XCTest

@testable import OutboundConfig

/// Large sections are decoded in slices on all cores (`DecodingPart`, `ParallelLoad`): the
/// result must be exactly that of decoding each file whole, problems included.
final class SharedDecodingTests: XCTestCase {
    /// A file whose agents span several slices, with problems in different slices, and a
    /// second file that redefines agents of the first one's later slices.
    private func files() -> [(path: String, text: String)] {
        var agents = "version: 1\nagents:\n"
        for index in 0..<(DecodingPart.sliceSize * 2 + 500) {
            agents += "  agent-\(index):\n"
            agents += index == 7 ? "    nickname: Typo\n" : "    name: Agent \(index)\n"
            agents += "    licence: \(index == DecodingPart.sliceSize + 3 ? "nowhere" : "l")\n"
            agents += "    site: s\n    teams: [t]\n    desktopProfile: d\n"
            if index == DecodingPart.sliceSize * 2 + 10 { agents += "    active: maybe\n" }
        }
        agents += "tenant: {name: T, digitalChannels: enabled}\n"
        let other = """
            licences: {l: {type: premium-agent, seats: 100000}}
            sites: {s: {}}
            teams: {t: {site: s}}
            desktopProfiles: {d: {}}
            agents:
              agent-\(DecodingPart.sliceSize * 2 + 1): {name: Again, licence: l, site: s, teams: [t], desktopProfile: d}

            """
        return [("a-agents.yaml", agents), ("b-other.yaml", other)]
    }

    func testLargeSectionsSplitIntoSlicesInOrder() throws {
        let (path, text) = files()[0]
        let (file, problems) = YAMLLoader().load(text, path: path)
        XCTAssertEqual(problems, [])
        let parts = DecodingPart.parts(of: file)
        XCTAssertEqual(parts.first, .topLevel)
        XCTAssertEqual(parts.count, 4, "top level + three slices of agents")
        XCTAssertEqual(DecodingPart.parts(of: YAMLLoader().load("agents: {a: {}}", path: "small.yaml").0), [.wholeFile])
    }

    func testDecodingInPartsEqualsDecodingWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-decoding-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, text) in files() { try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8) }

        let loader = ConfigurationLoader(now: Date(), readinessWarnings: false)
        let shared = loader.load(paths: [directory])
        let whole = loader.load(documents: files().map { ("\(directory)/\($0.path)", $0.text) })

        XCTAssertEqual(shared.diagnostics, whole.diagnostics)
        XCTAssertEqual(Set(shared.diagnostics.map(\.code)), [.unknownKey, .missingField, .unknownReference, .wrongType, .duplicateId])
        XCTAssertEqual(shared.configuration.agents.count, whole.configuration.agents.count)
        XCTAssertEqual(Set(shared.configuration.agents.keys), Set(whole.configuration.agents.keys))
        XCTAssertEqual(shared.configuration.brokenIds, whole.configuration.brokenIds)
        XCTAssertEqual(CanonicalForm.renderedEntities(shared.configuration), CanonicalForm.renderedEntities(whole.configuration))
        XCTAssertEqual(shared.sourceDigest, whole.sourceDigest)
    }
}
