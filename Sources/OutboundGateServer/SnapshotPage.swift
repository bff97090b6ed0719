import Foundation
import OutboundConfig

/// A cell packed into 16 bytes: its team and answer are indexes into `InternedValues`.
struct PackedCell: Sendable {
    var team: UInt32
    var answer: UInt32
    var revision: UInt32
    var channel: OutboundConfig.Channel
}

/// Up to `size` agents' ids and cells in flat arrays, never changed once built: a new
/// revision copies only the pages of the agents it touches.
final class SnapshotPage: Sendable {
    static let size = 256
    static let empty = SnapshotPage(ids: [], present: [], starts: [0], cells: [])

    let ids: [String]
    /// False for a slot whose agent a later revision deleted (its id stays indexed).
    let present: [Bool]
    /// Where each slot's cells start in `cells`; one more entry than `ids`.
    let starts: [UInt32]
    let cells: [PackedCell]

    private init(ids: [String], present: [Bool], starts: [UInt32], cells: [PackedCell]) {
        self.ids = ids
        self.present = present
        self.starts = starts
        self.cells = cells
    }

    func cells(at offset: Int) -> ArraySlice<PackedCell> {
        cells[Int(starts[offset])..<Int(starts[offset + 1])]
    }

    struct Builder {
        private var ids: [String] = []
        private var present: [Bool] = []
        private var starts: [UInt32] = [0]
        private var cells: [PackedCell] = []

        var count: Int { ids.count }

        mutating func append(id: String, present: Bool, cells: [PackedCell]) {
            ids.append(id)
            self.present.append(present)
            self.cells.append(contentsOf: cells)
            starts.append(UInt32(self.cells.count))
        }

        func build() -> SnapshotPage { SnapshotPage(ids: ids, present: present, starts: starts, cells: cells) }
    }
}
