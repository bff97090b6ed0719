import Foundation
import OutboundConfig
import OutboundStore
import OutboundStoreSQLite
import OutboundWebex

/// `outboundctl-bench phases DIR`: where validate's time goes, phase by phase, in-process.
enum Phases {
    static func run(directory: String) {
        var stopwatch = Stopwatch()
        func lap(_ label: String) { stopwatch.lap(label) }
        var diagnostics: [Diagnostic] = []
        let paths = ConfigurationLoader(now: Date()).discover(paths: [directory], diagnostics: &diagnostics)
        let data = paths.compactMap { FileManager.default.contents(atPath: $0) }
        lap("read")
        _ = PlainParse.run(paths: paths)
        lap("libyaml")
        let loader = YAMLLoader()
        let files = zip(paths, data).map { path, bytes in bytes.withUnsafeBytes { loader.load(bytes: $0, path: path).0 } }
        lap("parse+tree")
        let (configuration, problems) = ConfigurationDecoder.decode(files)
        lap("decode")
        let rules = ConfigurationValidator().validate(configuration)
        lap("rules")
        let warnings = ReadinessWarnings.check(configuration, now: Date())
        lap("warnings")
        print("agents \(configuration.agents.count), diagnostics \(problems.count + rules.count + warnings.count)")
        // The rows and the snapshot as an apply makes them.
        let rows = DesiredState(configuration, now: Date(), sourcePaths: [directory]).rows.rows
        lap("rows")
        let pieces = CanonicalForm.documentPieces(from: rows)
        lap("pieces")
        _ = CanonicalForm.digest(of: pieces)
        lap("digest")
        let availability = OutboundGate(configuration: configuration, now: Date()).availability()
        lap("gate")
        print("entities \(rows.count), snapshot pieces \(pieces.count)")
        let storePath = NSTemporaryDirectory() + "phases-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) } }
        do {
            let store = try OutboundStore.sqlite(path: storePath)
            let desired = DesiredState(configuration, now: Date())
            lap("desired")
            _ = try store.apply(desired, author: "bench", message: "", allowDeletes: true)
            lap("first apply")
            _ = try store.entities()
            lap("read entities")
            _ = try store.availability(at: Date())
            lap("read availability")
            _ = try store.apply(desired, author: "bench", message: "", allowDeletes: true)
            lap("re-apply")
            let entities = CanonicalForm.renderedEntities(configuration)
            _ = Plan.changes(from: entities, to: entities)
            lap("diff entities")
            _ = Plan.impact(before: availability, after: availability)
            lap("diff availability")
        } catch {
            print("store: \(error)")
        }
    }

    /// Where `import webex`'s time goes: reading the export, mapping, rendering the files.
    static func importWebex(directory: String) {
        var stopwatch = Stopwatch()
        func lap(_ label: String) { stopwatch.lap(label) }
        let source = URL(fileURLWithPath: directory)
        let (export, problems) = WebexExport.read(directory: source)
        lap("read")
        let (extra, _) = WebexExtra.read(directory: source)
        lap("extra")
        let imported = WebexImport.map(export, extra: extra)
        lap("map")
        let files = imported.files()
        lap("files")
        print("users \(export.users.count), problems \(problems.count), bytes \(files.reduce(0) { $0 + $1.text.utf8.count })")
        withExtendedLifetime((export, imported, files)) {}
    }

    /// Prints the time since the last lap under a label.
    private struct Stopwatch {
        var clock = DispatchTime.now()

        mutating func lap(_ label: String) {
            let now = DispatchTime.now()
            print(
                "\(label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%.3f s", Double(now.uptimeNanoseconds - clock.uptimeNanoseconds) / 1e9))"
            )
            clock = now
        }
    }
}
