/// Renders `docs/diagnostics.md` from the codes and their examples, so the list people read
/// cannot drift from the code (a test compares the checked-in file with this output).
public enum DiagnosticsDocument {
    public static func render() -> String {
        var text = """
            # Diagnostics

            Every problem `outboundctl` reports has a stable code. Errors make `validate` exit 1;
            warnings do not. `OB1xx` are syntax and shape, `OB2xx` references, `OB3xx` rules,
            `OB4xx` warnings about outbound readiness.

            This file is generated from `DiagnosticCode` and `RuleExample` (run
            `OUTBOUNDCTL_REGENERATE_DOCS=1 swift test --filter DiagnosticsDocumentTests` after
            changing them). Each example is loaded beside a small valid tenant
            (`RuleExample.baseFiles`).

            | code | severity | meaning |
            |------|----------|---------|

            """
        for code in DiagnosticCode.allCases {
            text += "| [\(code.rawValue)](#\(code.rawValue.lowercased())) | \(code.severity.rawValue) | \(code.summary) |\n"
        }
        let examples = Dictionary(RuleExample.all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for code in DiagnosticCode.allCases {
            text += "\n## \(code.rawValue)\n\n\(code.severity == .error ? "Error" : "Warning"). \(code.summary)\n"
            guard let example = examples[code] else { continue }
            let failing = RuleExample.strippingMarkers(example.failing)
            if failing.utf8.count > 2_000 {
                text += "\nTriggered by, for example, a file over the limit of `LoaderLimits` (see docs/limits.md).\n"
            } else {
                text += "\nTriggers:\n\n```yaml\n\(failing.hasSuffix("\n") ? failing : failing + "\n")```\n"
            }
            text += "\nDoes not trigger:\n\n```yaml\n\(example.passing)```\n"
        }
        return text
    }
}
