import Foundation

/// Agent ids to slots. Ids added by later revisions go to a small table of their own, folded
/// into the main one once it grows past a sixteenth of it, so adding an agent does not copy
/// the whole index each revision.
struct AgentIndex: Sendable {
    private var settled: [String: UInt32]
    private var added: [String: UInt32] = [:]
    private(set) var slots: Int

    init(_ settled: [String: UInt32]) {
        self.settled = settled
        slots = settled.count
    }

    /// Dictionary storage: a key, a value and a metadata bit per bucket.
    var bytes: Int {
        (settled.capacity + added.capacity) * (MemoryLayout<String>.stride + MemoryLayout<UInt32>.stride) * 9 / 8
    }

    func slot(_ id: String) -> UInt32? {
        added.isEmpty ? settled[id] : added[id] ?? settled[id]
    }

    mutating func add(_ id: String) -> UInt32 {
        let slot = UInt32(slots)
        slots += 1
        added[id] = slot
        if added.count > settled.count / 16 + 256 {
            settled.merge(added) { old, _ in old }
            added = [:]
        }
        return slot
    }
}
