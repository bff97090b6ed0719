/// Bounds that keep hostile or accidental input (alias bombs, endless nesting, huge scalars)
/// from exhausting memory or the stack. Each one, when hit, is a located error. Documented in
/// `docs/limits.md`.
public struct LoaderLimits: Sendable {
    /// Largest accepted file, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int
    /// Most nodes that alias expansions may add to one file.
    public var maxAliasExpansion: Int
    /// Longest scalar, in bytes.
    public var maxScalarBytes: Int
    /// Most configuration files in one run.
    public var maxFiles: Int

    public init(
        maxFileBytes: Int = 256 << 20, maxDepth: Int = 256, maxAliasExpansion: Int = 1_000_000,
        maxScalarBytes: Int = 1 << 20, maxFiles: Int = 10_000
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxScalarBytes = maxScalarBytes
        self.maxFiles = maxFiles
    }

    public static let `default` = LoaderLimits()
}
