/// A share of one file's decoding, so that a large file is decoded on all cores: the top
/// level (version, tenant, small sections), or a slice of the entries of a large section.
/// `ParallelLoad` decodes the parts of a file wherever a core is free and merges them in order.
enum DecodingPart: Sendable, Equatable {
    /// Everything: one part for the whole file.
    case wholeFile
    /// Everything but the entries of large sections.
    case topLevel
    /// Entries `entries` of the section at top-level pair `pairIndex`.
    case entries(pairIndex: Int, entries: Range<Int>)

    /// Entries per slice: enough that a slice's overhead is noise, few enough that a
    /// 10,000-agent file is shared by several cores.
    static let sliceSize = 2_000

    /// Whether a section's node is decoded in slices rather than with the top level.
    static func isShared(_ section: YAMLDocument.NodeID, in document: YAMLDocument) -> Bool {
        document.isMapping(section) && document.count(section) > sliceSize
    }

    /// The parts of `file`, in merge order: the whole file when nothing in it is large.
    static func parts(of file: YAMLFile) -> [DecodingPart] {
        guard let document = file.document, document.isMapping(document.root) else { return [.wholeFile] }
        let root = document.root
        var parts: [DecodingPart] = []
        for index in 0..<document.count(root) {
            let section = document.value(root, index)
            guard Section(rawValue: document.string(document.key(root, index))) != nil, isShared(section, in: document) else { continue }
            let entries = document.count(section)
            for start in stride(from: 0, to: entries, by: sliceSize) {
                parts.append(.entries(pairIndex: index, entries: start..<min(entries, start + sliceSize)))
            }
        }
        return parts.isEmpty ? [.wholeFile] : [.topLevel] + parts
    }
}
