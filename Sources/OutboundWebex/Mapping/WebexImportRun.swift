import Foundation
import OutboundConfig

/// `import webex DIR` as one call (SPEC §9): the export and its `extra.yaml` read, mapped when
/// neither has an error, and every problem found on the way, so the command only reports and
/// writes — and `webex plan` can import a pull in memory exactly as the command would.
public struct WebexImportRun: Sendable {
    public let export: WebexExport
    /// The import; nil when the export or `extra.yaml` has errors, and nothing was mapped.
    public let imported: WebexImport?
    /// The export's problems, then the mapping's.
    public let problems: [WebexInputProblem]
    /// `extra.yaml`'s diagnostics, the reading's and the mapping's, in file order.
    public let diagnostics: [Diagnostic]

    /// The configuration files to write; nil when anything stands in the way.
    public var files: [(name: String, text: String)]? {
        guard let imported, !imported.hasErrors else { return nil }
        return imported.files()
    }

    public static func read(directory: URL) -> WebexImportRun {
        map(WebexExport.read(directory: directory), WebexExtra.read(directory: directory))
    }

    /// The import of lists already read (a pull in memory, or a saved one), with `extra` in
    /// place of a directory's `extra.yaml`: what `webex plan` compares the files with.
    public static func map(
        _ read: (export: WebexExport, problems: [WebexInputProblem]), _ extraRead: (WebexExtra, [Diagnostic])
    ) -> WebexImportRun {
        let (export, problems) = read
        let (extra, extraDiagnostics) = extraRead
        var imported: WebexImport?
        if !problems.contains(where: { $0.severity == .error }), !extraDiagnostics.hasErrors {
            imported = WebexImport.map(export, extra: extra)
        }
        return WebexImportRun(
            export: export, imported: imported, problems: problems + (imported?.problems ?? []),
            diagnostics: (extraDiagnostics + (imported?.extraDiagnostics ?? [])).sortedByLocation())
    }
}
