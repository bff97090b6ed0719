import Foundation
import OutboundConfig

/// What `serve` answers from: one committed revision's cells and agents, read in one
/// transaction, so every answer built from it belongs to that revision.
public struct ServedRevision: Sendable {
    public var storeId: String
    public var revision: Int
    /// When the revision was committed (UTC, ISO 8601); nil before the first apply.
    public var revisionTime: String?
    public var cells: [AvailabilityKey: AvailabilityCell]
    /// Every agent id, with or without cells.
    public var agents: [String]
}

/// Which revision a store is at, cheap enough to read several times a second.
public struct StoreHead: Sendable, Equatable {
    public var storeId: String
    public var revision: Int
}

extension OutboundStore {
    public func head() throws -> StoreHead {
        try read { StoreHead(storeId: try $0.meta("store_id") ?? "", revision: try $0.currentRevision()) }
    }

    public func servedRevision() throws -> ServedRevision {
        try read { session in
            let revision = try session.currentRevision()
            return ServedRevision(
                storeId: try session.meta("store_id") ?? "", revision: revision,
                revisionTime: try session.revisions().last { $0.number == revision }?.time,
                cells: try session.cells(agents: nil), agents: try session.ids(kind: Section.agents.rawValue))
        }
    }
}

extension ChangeFeed.Cursor {
    /// The cursor as an opaque URL-safe token (`/v1/changes?cursor=`).
    public var text: String {
        let fields: [String] =
            switch self {
            case .change(let key): ["c", key.agent, key.team, key.channel.rawValue]
            case .removal(let revision, let key): ["r", String(revision), key.agent, key.team, key.channel.rawValue]
            }
        return Data(fields.joined(separator: "\t").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads `text`; nil for anything this server did not write.
    public init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard text.utf8.count <= 1_024, !base64.contains("=") else { return nil }
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let fields = decoded.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        func key(_ parts: ArraySlice<String>) -> AvailabilityKey? {
            guard parts.count == 3, let channel = Channel(rawValue: parts[parts.startIndex + 2]) else { return nil }
            return AvailabilityKey(agent: parts[parts.startIndex], team: parts[parts.startIndex + 1], channel: channel)
        }
        switch fields.first {
        case "c":
            guard let key = key(fields.dropFirst()) else { return nil }
            self = .change(key)
        case "r":
            guard fields.count == 5, let revision = Int(fields[1]), revision >= 0, let key = key(fields.dropFirst(2)) else { return nil }
            self = .removal(revision: revision, key)
        default: return nil
        }
    }
}
