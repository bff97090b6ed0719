import Foundation
import OutboundConfig
import OutboundStore

/// Agents by id and name for the search, read from the store once per revision: the served
/// snapshot holds ids and cells, not names, and a search should not read the store per keystroke.
final class AgentDirectory: @unchecked Sendable {
    struct Entry: Sendable {
        var id: String
        var name: String?
        fileprivate var folded: (id: String, name: String)
    }

    private let lock = NSLock()
    private var loaded: (storeId: String, revision: Int, entries: [Entry])?

    /// The agents of `snapshot`'s revision, read from the store when not held yet.
    func entries(for snapshot: GateSnapshot, reads: StoreReads) async throws -> [Entry] {
        if let loaded = lock.withLock({ loaded }), loaded.storeId == snapshot.storeId, loaded.revision == snapshot.revision {
            return loaded.entries
        }
        let names = try await reads.run { try await $0.names(in: .agents) }
        // Folding every agent's id and name is CPU work.
        let read = try await BlockingWork.run { names.map { Entry(id: $0.id, name: $0.name, folded: (Self.fold($0.id), Self.fold($0.name ?? ""))) } }
        lock.withLock { loaded = (snapshot.storeId, snapshot.revision, read) }
        return read
    }

    /// Agents whose id or name holds `text` (ignoring case and accents): ids starting with it
    /// first, then names with a word starting with it, then the rest, each by id.
    static func search(_ text: String, in entries: [Entry], limit: Int) -> (found: [Entry], more: Bool) {
        let wanted = fold(text.trimmingCharacters(in: .whitespaces))
        var ranked: [(Int, Entry)] = []
        for entry in entries {
            if entry.folded.id.hasPrefix(wanted) {
                ranked.append((0, entry))
            } else if entry.folded.name.hasPrefix(wanted) || entry.folded.name.contains(" " + wanted) {
                ranked.append((1, entry))
            } else if entry.folded.id.contains(wanted) || entry.folded.name.contains(wanted) {
                ranked.append((2, entry))
            }
        }
        ranked.sort { ($0.0, $0.1.id) < ($1.0, $1.1.id) }
        return (ranked.prefix(limit).map(\.1), ranked.count > limit)
    }

    private static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
