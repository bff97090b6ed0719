import Foundation

/// Parses and decodes files on all cores while the caller merges them in order: file i is
/// handed over as soon as it is decoded, and its tree is released on the worker.
final class ParallelLoad: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [(DecodedFile?, [Diagnostic])?]

    init(paths: [String], loader: ConfigurationLoader) {
        results = Array(repeating: nil, count: paths.count)
        guard !paths.isEmpty else { return }
        let next = Counter()
        let workers = min(paths.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        for _ in 0..<workers {
            Thread.detachNewThread { [self] in
                while let index = next.take(below: paths.count) {
                    let result = loader.parseAndDecode(paths[index])
                    condition.lock()
                    results[index] = result
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }
    }

    /// Waits for file `index` and hands it over.
    func take(_ index: Int) -> (DecodedFile?, [Diagnostic]) {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let result = results[index]!
        results[index] = nil
        return result
    }

    /// Hands out file indexes in order to the workers.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
