import OutboundConfig
import XCTest

/// An entry whose own fields are broken still has its references checked: one run reports every
/// error (docs/reference.md §2), whatever the entry's other fields hold. `1️⃣` marks the field
/// error, `2️⃣` (and `3️⃣`) the unknown references it must not hide.
final class BrokenEntryReferenceTests: XCTestCase {
    private func assertBoth(_ fieldError: DiagnosticCode, _ snippet: String, alsoAt4: DiagnosticCode? = nil, line: UInt = #line) {
        let marked = MarkedText(snippet)
        let result = ConfigurationLoader(now: Date()).load(documents: RuleExample.baseFiles + [("example.yaml", marked.text)])
        assertDiagnostic(fieldError, in: result.diagnostics, at: "1️⃣", of: marked, file: "example.yaml", sourceLine: line)
        for marker in ["2️⃣", "3️⃣"] where marked.positions[marker] != nil {
            assertDiagnostic(.unknownReference, in: result.diagnostics, at: marker, of: marked, file: "example.yaml", sourceLine: line)
        }
        if let alsoAt4 { assertDiagnostic(alsoAt4, in: result.diagnostics, at: "4️⃣", of: marked, file: "example.yaml", sourceLine: line) }
        let expected = marked.positions.count
        XCTAssertEqual(
            result.diagnostics.filter { $0.location.file == "example.yaml" && $0.severity == .error }.count, expected, "\(result.diagnostics)",
            line: line)
    }

    /// The new user's case from issue #25: a bad email and `active: maybe` hid the unknown site.
    func testAWrongTypeAndAnInvalidValueDoNotHideAnAgentsReferences() {
        assertBoth(
            .wrongType,
            """
            agents:
              rita:
                name: Rita
                email: 4️⃣rita-at-harbor
                licence: premium
                site: 2️⃣nowhere
                teams: [support, 3️⃣nope]
                desktopProfile: frontline
                active: 1️⃣maybe
            """, alsoAt4: .invalidValue)
    }

    func testAMissingRequiredFieldDoesNotHideReferences() {
        assertBoth(
            .missingField,
            """
            agents:
              1️⃣rita: {licence: premium, site: 2️⃣nowhere, teams: [support], desktopProfile: frontline}
            """)
        assertBoth(
            .missingField,
            """
            teams:
              1️⃣night: {multimediaProfile: 2️⃣nothing}
            """)
    }

    func testAnUnknownEnumValueDoesNotHideReferences() {
        assertBoth(
            .invalidValue,
            """
            entryPoints:
              sms-two: {channel: 1️⃣smss, address: "+14155550199", queue: 2️⃣sms-qq}
            """)
        assertBoth(
            .invalidValue,
            """
            queues:
              night-q: {channel: 1️⃣voicee, teams: [2️⃣night], wrapUpReasons: [resolved, 3️⃣resolvd]}
            """)
    }

    func testAWrongTypeInOneListDoesNotHideTheOther() {
        assertBoth(
            .wrongType,
            """
            desktopProfiles:
              night: {outboundEntryPoints: 1️⃣{a: b}, wrapUpReasons: [resolved, 2️⃣closed]}
            """)
        assertBoth(
            .wrongType,
            """
            queues:
              night-q: {channel: sms, teams: 1️⃣support, wrapUpReasons: [2️⃣closed]}
            """)
    }

    func testAnOutOfRangeValueDoesNotHideReferences() {
        assertBoth(
            .invalidValue,
            """
            queues:
              night-q: {channel: sms, teams: [2️⃣night], serviceLevelSeconds: 1️⃣0, wrapUpReasons: [3️⃣closed]}
            """)
        assertBoth(
            .invalidValue,
            """
            queues:
              night-q: {channel: sms, teams: 1️⃣[], wrapUpReasons: [2️⃣closed]}
            """)
        assertBoth(
            .invalidValue,
            """
            desktopProfiles:
              night: {outboundEntryPoints: [2️⃣sms-night], autoWrapUpSeconds: 1️⃣4000}
            """)
    }

    func testABrokenOptionalFieldDoesNotHideReferences() {
        assertBoth(
            .wrongType,
            """
            sites:
              night: {name: 1️⃣[Night], multimediaProfile: 2️⃣nothing}
            """)
    }

    /// Every section that references others has a case above, so a section that gains its
    /// first reference field needs one here.
    func testEverySectionWithReferencesIsCoveredHere() {
        let covered: Set<Section> = [.agents, .teams, .entryPoints, .queues, .desktopProfiles, .sites]
        XCTAssertEqual(Set(Section.allCases.filter { !$0.referenceFields.isEmpty }).subtracting(covered), [])
    }
}
