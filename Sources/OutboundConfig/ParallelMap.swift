import Foundation

/// Maps an array on all cores, in chunks, keeping the order. For pure, independent work only.
public enum ParallelMap {
    /// Below `minimumCount` items the work is not worth the threads.
    public static func map<Element: Sendable, Result: Sendable>(
        _ items: [Element], minimumCount: Int = 2_000, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        Array(unsafeUninitializedCapacity: items.count) { buffer, initialized in
            initialize(buffer, mapping: items, minimumCount: minimumCount, transform)
            initialized = items.count
        }
    }

    /// Initialises `output` (exactly `items.count` elements, uninitialised) with the items'
    /// transforms, each chunk writing its own range: results are never gathered and copied,
    /// which for 50,000 canonical rows cost a retain and a release per string, twice.
    static func initialize<Element: Sendable, Result: Sendable>(
        _ output: UnsafeMutableBufferPointer<Result>, mapping items: [Element], minimumCount: Int = 2_000,
        _ transform: @Sendable (Element) -> Result
    ) {
        precondition(output.count == items.count, "one result per item")
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard items.count >= max(minimumCount, 2), cores > 1 else {
            for index in items.indices { (output.baseAddress! + index).initialize(to: transform(items[index])) }
            return
        }
        let chunkCount = min(items.count, cores * 4)
        let chunkSize = (items.count + chunkCount - 1) / chunkCount
        nonisolated(unsafe) let output = output
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(items.count, start + chunkSize)
            for index in start..<max(start, end) { (output.baseAddress! + index).initialize(to: transform(items[index])) }
        }
    }

    /// Maps consecutive chunks of `items`, so each chunk can keep state (a cache) of its own.
    public static func mapChunks<Element: Sendable, Result: Sendable>(
        _ items: [Element], minimumCount: Int = 2_000, _ transform: @Sendable (ArraySlice<Element>) -> [Result]
    ) -> [Result] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard items.count >= max(minimumCount, 2), cores > 1 else { return transform(items[...]) }
        let chunkCount = min(items.count, cores * 4)
        let chunkSize = (items.count + chunkCount - 1) / chunkCount
        let slots = UnsafeMutableBufferPointer<[Result]>.allocate(capacity: chunkCount)
        slots.initialize(repeating: [])
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        nonisolated(unsafe) let output = slots
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(items.count, start + chunkSize)
            guard start < end else { return }
            output[chunk] = transform(items[start..<end])
        }
        return slots.flatMap { $0 }
    }
}
