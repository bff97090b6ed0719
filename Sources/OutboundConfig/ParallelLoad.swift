import Foundation

/// Reads, parses and decodes files on all cores while the caller merges them in order.
///
/// Parsing a file is one indivisible job (libyaml reads it front to back), so parses go first,
/// in order; the decoding of each parsed file is shared out in parts (`DecodingPart`) that any
/// free core takes. A tenant of a few large files then keeps every core busy to the end,
/// instead of leaving the last file's parse and decode to one core. File i is handed over
/// once all its parts are decoded, and its tree is released then.
final class ParallelLoad: @unchecked Sendable {
    private let loader: ConfigurationLoader
    private let paths: [String]
    private let condition = NSCondition()
    /// The next file to parse.
    private var nextParse = 0
    /// Parses started and not finished: while any runs, idle workers wait for its parts.
    private var parsing = 0
    /// Decoding jobs ready to run, oldest first.
    private var ready: [(file: Int, part: Int, DecodingPart, YAMLFile)] = []
    private var parsed: [ConfigurationLoader.ParsedFile?]
    private var decoded: [[DecodedFile?]]
    private var remaining: [Int]
    private var done: [Bool]

    init(paths: [String], loader: ConfigurationLoader) {
        self.loader = loader
        self.paths = paths
        parsed = Array(repeating: nil, count: paths.count)
        decoded = Array(repeating: [], count: paths.count)
        remaining = Array(repeating: 0, count: paths.count)
        done = Array(repeating: false, count: paths.count)
        guard !paths.isEmpty else { return }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        for _ in 0..<workers {
            Thread.detachNewThread { [self] in work() }
        }
    }

    /// Waits for file `index` and hands it over: its problems and source hash, and its decoded
    /// parts in order (none when it did not parse).
    func take(_ index: Int) -> (ConfigurationLoader.ParsedFile, [DecodedFile]) {
        condition.lock()
        defer { condition.unlock() }
        while !done[index] { condition.wait() }
        let result = (parsed[index]!, decoded[index].map { $0! })
        decoded[index] = []
        return result
    }

    /// Decoding jobs carry the tree, which goes when the last of them does.
    private enum Job {
        case parse(Int)
        case decode(file: Int, part: Int, DecodingPart, YAMLFile)
    }

    private func work() {
        while let job = nextJob() {
            switch job {
            case .parse(let index):
                var file = loader.parse(paths[index])
                let tree = file.file
                let shares = tree.map(DecodingPart.parts(of:)) ?? []
                file.file = nil
                condition.lock()
                parsing -= 1
                parsed[index] = file
                decoded[index] = Array(repeating: nil, count: shares.count)
                remaining[index] = shares.count
                if let tree { ready += shares.enumerated().map { (index, $0.offset, $0.element, tree) } }
                if shares.isEmpty { done[index] = true }
                condition.broadcast()
                condition.unlock()
            case .decode(let index, let part, let share, let tree):
                let result = ConfigurationDecoder.decode(tree, part: share)
                condition.lock()
                decoded[index][part] = result
                remaining[index] -= 1
                if remaining[index] == 0 { done[index] = true }
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// The next job, parses first; nil when every file is parsed and no part is left. Waits
    /// while only a running parse can produce more work.
    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if nextParse < paths.count {
                nextParse += 1
                parsing += 1
                return .parse(nextParse - 1)
            }
            if !ready.isEmpty {
                let (file, part, share, tree) = ready.removeFirst()
                return .decode(file: file, part: part, share, tree)
            }
            if parsing == 0 { return nil }
            condition.wait()
        }
    }
}
