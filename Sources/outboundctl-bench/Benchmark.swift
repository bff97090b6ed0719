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

        let baseline = measure("libyaml parse (baseline)", [bench, "parse"] + paths, runs: runs, reference: nil)
        let validate = measure("validate", [tool, "validate", directory, "--format", "json"], runs: runs, reference: baseline)
        print("ratios to validate:")
        measure("matrix (files)", [tool, "matrix", directory, "--format", "json"], runs: runs, reference: validate)

        let store = directory + "/bench.sqlite"
        let changed = directory + "-changed"
        try? FileManager.default.removeItem(atPath: changed)
        try FileManager.default.copyItem(atPath: directory, toPath: changed)
        defer { try? FileManager.default.removeItem(atPath: changed) }
        let agentsFile = changed + "/agents-000.yaml"
        let text = try String(contentsOfFile: agentsFile, encoding: .utf8)
        try text.replacingOccurrences(of: "    name: Agent Number 1\n", with: "    name: Agent Number One\n")
            .write(toFile: agentsFile, atomically: true, encoding: .utf8)
        func removeStore() {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        }
        measure("apply, first (new store)", [tool, "apply", directory, "--store", store], runs: runs, reference: validate, before: removeStore)
        measure("apply, unchanged", [tool, "apply", directory, "--store", store], runs: runs, reference: validate)
        measure("apply, one agent changed", [tool, "apply", changed, "--store", store], runs: runs, reference: validate,
                before: { _ = Measure.run([tool, "apply", directory, "--store", store]) })
        let explainLarge = measure("explain from store, \(agents) agents", [tool, "explain", "agent-1", "--store", store, "--channel", "sms"], runs: runs, reference: nil)

        let small = NSTemporaryDirectory() + "outboundctl-bench-100"
        try? FileManager.default.removeItem(atPath: small)
        try SyntheticTenant(agents: 100).write(to: small)
        defer { try? FileManager.default.removeItem(atPath: small) }
        let smallStore = small + "/bench.sqlite"
        _ = Measure.run([tool, "apply", small, "--store", smallStore])
        let explainSmall = measure("explain from store, 100 agents", [tool, "explain", "agent-1", "--store", smallStore, "--channel", "sms"], runs: runs, reference: nil)
        print(String(format: "explain 50,000-agent store / 100-agent store: %.2f×", explainLarge / explainSmall))
    }

    /// Runs a command `runs` times (after `before` each time), prints the median time, its
    /// ratio to `reference` and peak RSS.
    @discardableResult
    static func measure(_ label: String, _ command: [String], runs: Int, reference: Double?, before: () -> Void = {}) -> Double {
        var times: [Double] = []
        var peak = 0.0
        var statuses = Set<Int32>()
        for _ in 0..<runs {
            before()
            let result = Measure.run(command)
            times.append(result.seconds)
            peak = max(peak, result.peakMegabytes)
            statuses.insert(result.status)
        }
        let median = Measure.median(times)
        let ratio = reference.map { String(format: "  %.2f×", median / $0) } ?? ""
        let padded = label.padding(toLength: 34, withPad: " ", startingAt: 0)
        print("\(padded) \(String(format: "%7.3f s", median))\(ratio)  peak \(String(format: "%.0f", peak)) MB  exit \(statuses.sorted())")
        return median
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
