import ArgumentParser
import Foundation
import OutboundConfig
import OutboundWebex

/// `outboundctl-bench`: generates a synthetic tenant and compares outboundctl's commands
/// against a plain libyaml parse of the same files, in one run (the machine is noisy; only
/// ratios within a run mean something).
@main
struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outboundctl-bench",
        abstract: "Benchmark outboundctl against a plain libyaml parse of the same synthetic tenant.",
        discussion: """
            Build with `swift build -c release` first: debug builds measure nothing useful.

            Exit status:
              0   success
              64  usage error

            Examples:
              outboundctl-bench compare --agents 50000 --runs 5
              outboundctl-bench generate --agents 1000 /tmp/tenant
              scripts/webex-fixture.py /tmp/webex --users 50000 && outboundctl-bench import-webex /tmp/webex
            """,
        subcommands: [Compare.self, Generate.self, Parse.self, Tree.self, PhasesCommand.self, BareRoute.self, ImportWebex.self],
        defaultSubcommand: Compare.self
    )

    /// `parse` is the benchmark's own baseline, run hundreds of times: it skips the argument
    /// parser (a few milliseconds of start-up that would be charged to libyaml) when called
    /// with file names only.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "parse", arguments.count > 1, !arguments.dropFirst().contains(where: { $0.hasPrefix("-") }) {
            print(PlainParse.run(paths: files(in: Array(arguments.dropFirst()))))
            return
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time outboundctl's commands on a synthetic tenant (the default).")

        @Option(help: "Agents in the synthetic tenant.")
        var agents = 50_000

        @Option(help: "Rounds; every case runs once a round, and medians are printed.")
        var runs = 5

        func run() throws {
            try Benchmark.compare(agents: agents, runs: runs)
        }
    }

    struct ImportWebex: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-webex", abstract: "Time import webex of an export against validate of its output.")

        @Argument(help: "A Webex export directory (scripts/webex-fixture.py DIR --users 50000).")
        var export: String

        @Option(help: "Rounds; medians are printed.")
        var runs = 5

        func run() throws {
            try Benchmark.importWebex(export: export, runs: runs)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a synthetic tenant into a directory.")

        @Option(help: "Agents in the tenant.")
        var agents = 50_000

        @Argument(help: "The directory to write (created if missing).")
        var directory: String

        func run() throws {
            try SyntheticTenant(agents: agents).write(to: directory)
        }
    }

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Parse files with libyaml alone (the baseline).")

        @Argument(help: "YAML files or directories.")
        var paths: [String]

        func run() {
            print(PlainParse.run(paths: Benchmark.files(in: paths)))
        }
    }

    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build outboundctl's located YAML tree only, for profiling the loader.")

        @Argument(help: "YAML files or directories.")
        var paths: [String]

        func run() {
            for path in Benchmark.files(in: paths) {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                _ = data.withUnsafeBytes { YAMLLoader().load(bytes: $0, path: path) }
            }
        }
    }

    struct PhasesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "phases", abstract: "Time validate's phases in-process.")

        @Argument(help: "The tenant directory, or with --webex a Webex export.")
        var directory = "."

        @Flag(help: "Time import webex's phases instead.")
        var webex = false

        func run() {
            if webex { Phases.importWebex(directory: directory) } else { Phases.run(directory: directory) }
        }
    }

    static func compare(agents: Int, runs: Int) throws {
        let bench = binary("outboundctl-bench")
        let tool = binary("outboundctl")
        let directory = NSTemporaryDirectory() + "outboundctl-bench-\(agents)"
        try? FileManager.default.removeItem(atPath: directory)
        try SyntheticTenant(agents: agents).write(to: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = files(in: [directory])
        let bytes = paths.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
        print("tenant: \(agents) agents, \(paths.count) files, \(String(format: "%.1f", Double(bytes) / 1e6)) MB; median of \(runs) runs")

        let store = directory + "/bench.sqlite"
        let changed = directory + "-changed"
        try? FileManager.default.removeItem(atPath: changed)
        try FileManager.default.copyItem(atPath: directory, toPath: changed)
        defer { try? FileManager.default.removeItem(atPath: changed) }
        let agentsFile = changed + "/agents-000.yaml"
        let text = try String(contentsOfFile: agentsFile, encoding: .utf8)
        try text.replacingOccurrences(of: "    name: Agent Number 1\n", with: "    name: Agent Number One\n")
            .write(toFile: agentsFile, atomically: true, encoding: .utf8)
        let small = NSTemporaryDirectory() + "outboundctl-bench-100"
        try? FileManager.default.removeItem(atPath: small)
        try SyntheticTenant(agents: 100).write(to: small)
        defer { try? FileManager.default.removeItem(atPath: small) }
        // A sparse 2 GB file: over the size limit, so validate must reject it without reading it.
        let huge = NSTemporaryDirectory() + "outboundctl-bench-huge.yaml"
        try Data("sites: {}\n".utf8).write(to: URL(fileURLWithPath: huge))
        if let handle = FileHandle(forWritingAtPath: huge) {
            try handle.truncate(atOffset: 2 << 30)
            try handle.close()
        }
        defer { try? FileManager.default.removeItem(atPath: huge) }
        let smallStore = small + "/bench.sqlite"
        _ = Measure.run([tool, "apply", small, "--store", smallStore])

        let cases = [
            Case("libyaml parse (baseline)", [bench, "parse"] + paths),
            Case("validate", [tool, "validate", directory, "--format", "json"], reference: 0),
            Case("validate, text output", [tool, "validate", directory], reference: 0),
            Case("validate, 2 GB file over the limit", [tool, "validate", huge], reference: 0),
            Case("matrix (files)", [tool, "matrix", directory, "--format", "json"], reference: 1),
            Case("apply, first (new store)", [tool, "apply", directory, "--store", store], reference: 1) {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
            },
            Case("apply, unchanged", [tool, "apply", directory, "--store", store], reference: 1),
            Case("apply, one agent changed", [tool, "apply", changed, "--store", store], reference: 1) {
                _ = Measure.run([tool, "apply", directory, "--store", store])
            },
            Case("explain from store, \(agents) agents", [tool, "explain", "agent-1", "--store", store, "--channel", "sms"]),
            Case("explain from store, 100 agents", [tool, "explain", "agent-1", "--store", smallStore, "--channel", "sms"]),
        ]
        let medians = run(cases, runs: runs, ratioHeading: (1, "ratios to validate:"))
        print(String(format: "explain \(agents)-agent store / 100-agent store: %.2f×", medians[cases.count - 2] / medians[cases.count - 1]))
    }

    /// `import webex` of a Webex export (scripts/webex-fixture.py --users 50000 writes one)
    /// against `validate` of the files it writes (issue #16's goal: at most 2×).
    static func importWebex(export: String, runs: Int) throws {
        let tool = binary("outboundctl")
        let out = NSTemporaryDirectory() + "outboundctl-bench-imported"
        try? FileManager.default.removeItem(atPath: out)
        defer { try? FileManager.default.removeItem(atPath: out) }
        guard Measure.run([tool, "import", "webex", export, "--out", out]).status == 0 else {
            throw ValidationError("outboundctl import webex \(export) failed; is it a Webex export?")
        }
        print("export: \(export); median of \(runs) runs")
        let cases = [
            Case("validate of the imported files", [tool, "validate", out, "--format", "json"]),
            Case("import webex", [tool, "import", "webex", export, "--out", out, "--force", "--format", "json"], reference: 0),
        ]
        _ = run(cases, runs: runs, ratioHeading: nil)
    }

    /// Runs every case once a round, in order (each case's `before` leaves the state as the
    /// case needs it), `runs` rounds, so slow and fast moments of a noisy machine fall on every
    /// case alike; prints and returns the medians.
    static func run(_ cases: [Case], runs: Int, ratioHeading: (index: Int, text: String)?) -> [Double] {
        var samples = Array(repeating: [Measurement](), count: cases.count)
        for _ in 0..<runs {
            for (index, benchCase) in cases.enumerated() {
                benchCase.before()
                samples[index].append(Measure.run(benchCase.command))
            }
        }
        let medians = samples.map { Measure.median($0.map(\.seconds)) }
        let firstCompared = cases.firstIndex { $0.reference == ratioHeading?.index }
        for (index, benchCase) in cases.enumerated() {
            if let ratioHeading, index == firstCompared { print(ratioHeading.text) }
            let ratio = benchCase.reference.map { String(format: "  %.2f×", medians[index] / medians[$0]) } ?? ""
            let peak = samples[index].map(\.peakMegabytes).max() ?? 0
            let statuses = Set(samples[index].map(\.status)).sorted()
            let padded = benchCase.label.padding(toLength: 34, withPad: " ", startingAt: 0)
            print("\(padded) \(String(format: "%7.3f s", medians[index]))\(ratio)  peak \(String(format: "%.0f", peak)) MB  exit \(statuses)")
        }
        return medians
    }

    /// One command of the benchmark, the case it is compared with, and what to do before each run.
    struct Case {
        let label: String
        let command: [String]
        let reference: Int?
        let before: () -> Void

        init(_ label: String, _ command: [String], reference: Int? = nil, before: @escaping () -> Void = {}) {
            self.label = label
            self.command = command
            self.reference = reference
            self.before = before
        }
    }

    /// A program built beside this one: the benchmark times the build it belongs to.
    static func binary(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func files(in paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(path)/\($0)" }
        }
    }
}
