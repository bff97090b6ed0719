import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line status on standard error while long work runs ("Loading 7 files (9.0 MB)…"),
/// only on a terminal and never with `--quiet`; erased when the work ends, so it never mixes
/// with results or ends up in logs.
enum Progress {
    /// `worthShowing` is asked only on a terminal, so deciding costs nothing elsewhere.
    static func whileRunning<T>(
        _ message: @autoclosure () -> String, when worthShowing: @autoclosure () -> Bool, quiet: Bool, _ body: () throws -> T
    ) rethrows -> T {
        guard !quiet, isatty(STDERR_FILENO) == 1, worthShowing() else { return try body() }
        FileHandle.standardError.write(Data((message() + "\r").utf8))
        defer { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
        return try body()
    }

    /// Total size of the files under `paths`, to decide whether loading is worth a status line.
    static func megabytes(of paths: [String]) -> Double {
        var bytes = 0
        for path in paths {
            if let enumerator = FileManager.default.enumerator(atPath: path) {
                while let item = enumerator.nextObject() as? String {
                    if let size = enumerator.fileAttributes?[.size] as? Int, item.hasSuffix(".yaml") || item.hasSuffix(".yml") { bytes += size }
                }
            } else if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
                bytes += size
            }
        }
        return Double(bytes) / 1_000_000
    }
}
