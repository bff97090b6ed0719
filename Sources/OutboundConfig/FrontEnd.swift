import Foundation

/// Runs every stage of the front end on one file's bytes, as the fuzzer and the fuzz
/// regression tests do: nothing may crash, hang or exhaust memory, whatever the input.
public enum FrontEnd {
    /// A fixed day, so runs are reproducible.
    static let day = CalendarDate(year: 2026, month: 6, day: 1)

    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> [Diagnostic] {
        let (file, syntax) = YAMLLoader().load(bytes: bytes, path: "input.yaml")
        let (configuration, decoding) = ConfigurationDecoder.decode([file])
        var diagnostics = syntax + decoding + ConfigurationValidator().validate(configuration)
        diagnostics += ReadinessWarnings.check(configuration, date: day, now: Date(timeIntervalSince1970: 0))
        let gate = OutboundGate(configuration: configuration, date: day, state: .idle)
        for agent in configuration.agents.values {
            for answer in gate.answers(for: agent) { _ = answer.checks.map(\.detail) }
        }
        let entities = CanonicalForm.renderedEntities(configuration)
        let document = CanonicalForm.document(from: entities)
        let (reloaded, _) = YAMLLoader().load(document, path: "canonical.yaml")
        _ = ConfigurationDecoder.decode([reloaded])
        return diagnostics.sortedByLocation()
    }
}
