import Foundation
import OutboundConfig

/// `outboundctl-bench`: generates a synthetic tenant and compares outboundctl's commands
/// against a plain libyaml parse of the same files, in one run (the machine is noisy; only
/// ratios within a run mean something).
///
///     swift run -c release outboundctl-bench [--agents 50000] [--runs 5]
///     outboundctl-bench generate --agents N DIR
///     outboundctl-bench parse FILE…        (the baseline, used by the benchmark itself)
///     outboundctl-bench tree FILE…         (the located tree only, for profiling the loader)
@main
enum Benchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let mode = arguments.first.flatMap { ["generate", "parse", "tree", "phases"].contains($0) ? $0 : nil }
        if mode != nil { arguments.removeFirst() }
        let agents = option("--agents", in: &arguments) ?? 50_000
        let runs = option("--runs", in: &arguments) ?? 5
        switch mode {
        case "generate":
            guard let directory = arguments.first else { return usage() }
            try SyntheticTenant(agents: agents).write(to: directory)
        case "phases":
            Phases.run(directory: arguments.first ?? ".")
        case "tree":
            for path in files(in: arguments) {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                _ = data.withUnsafeBytes { YAMLLoader().load(bytes: $0, path: path) }
            }
        case "parse":
            print(PlainParse.run(paths: files(in: arguments)))
        default:
            try compare(agents: agents, runs: runs)
        }
    }

    static func compare(agents: Int, runs: Int) throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        let bench = "\(binaries)/outboundctl-bench"
        let tool = "\(binaries)/outboundctl"
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
        let smallStore = small + "/bench.sqlite"
        _ = Measure.run([tool, "apply", small, "--store", smallStore])

        // One round runs every case once, in this order (each case's `before` leaves the store
        // as the case needs it); rounds repeat `runs` times, so slow and fast moments of a
        // noisy machine fall on every case alike.
        let cases = [
            Case("libyaml parse (baseline)", [bench, "parse"] + paths),
            Case("validate", [tool, "validate", directory, "--format", "json"], reference: 0),
            Case("validate, text output", [tool, "validate", directory], reference: 0),
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
        var samples = Array(repeating: [Measurement](), count: cases.count)
        for _ in 0..<runs {
            for (index, benchCase) in cases.enumerated() {
                benchCase.before()
                samples[index].append(Measure.run(benchCase.command))
            }
        }
        let medians = samples.map { Measure.median($0.map(\.seconds)) }
        let firstComparedWithValidate = cases.firstIndex { $0.reference == 1 }
        for (index, benchCase) in cases.enumerated() {
            if index == firstComparedWithValidate { print("ratios to validate:") }
            let ratio = benchCase.reference.map { String(format: "  %.2f×", medians[index] / medians[$0]) } ?? ""
            let peak = samples[index].map(\.peakMegabytes).max() ?? 0
            let statuses = Set(samples[index].map(\.status)).sorted()
            let padded = benchCase.label.padding(toLength: 34, withPad: " ", startingAt: 0)
            print("\(padded) \(String(format: "%7.3f s", medians[index]))\(ratio)  peak \(String(format: "%.0f", peak)) MB  exit \(statuses)")
        }
        print(String(format: "explain \(agents)-agent store / 100-agent store: %.2f×", medians[cases.count - 2] / medians[cases.count - 1]))
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

    static func files(in paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(path)/\($0)" }
        }
    }

    static func option(_ name: String, in arguments: inout [String]) -> Int? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        let value = Int(arguments[index + 1])
        arguments.removeSubrange(index...index + 1)
        return value
    }

    static func usage() {
        print("usage: outboundctl-bench [--agents N] [--runs R] | generate --agents N DIR | parse FILE…")
    }
}
