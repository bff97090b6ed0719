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
    /// The cursor as a URL-safe token (`/v1/changes?cursor=`): `c~AGENT~TEAM~CHANNEL` after a
    /// change, `r~REVISION~AGENT~TEAM~CHANNEL` after a removal. Ids never hold `~`, so the form is
    /// the regular language of schemas/openapi.json's `Cursor` pattern (scripts/openapi.py), which
    /// `init(text:)` reads exactly.
    public var text: String {
        let fields: [String] =
            switch self {
            case .change(let key): ["c", key.agent, key.team, key.channel.rawValue]
            case .removal(let revision, let key): ["r", String(revision), key.agent, key.team, key.channel.rawValue]
            }
        return fields.joined(separator: "~")
    }

    /// Reads `text`; nil for anything outside the form `text` writes: ids of the id grammar, an
    /// outbound channel, a revision of at most 10 digits without leading zeros.
    public init?(text: String) {
        let fields = text.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        func key(_ parts: ArraySlice<String>) -> AvailabilityKey? {
            guard parts.count == 3, let channel = Channel(rawValue: parts[parts.startIndex + 2]), Channel.outbound.contains(channel),
                Identifier.isValid(parts[parts.startIndex]), Identifier.isValid(parts[parts.startIndex + 1])
            else { return nil }
            return AvailabilityKey(agent: parts[parts.startIndex], team: parts[parts.startIndex + 1], channel: channel)
        }
        switch fields.first {
        case "c":
            guard let key = key(fields.dropFirst()) else { return nil }
            self = .change(key)
        case "r":
            let digits = fields.count == 5 ? fields[1].utf8 : "".utf8
            guard (1...10).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count == 1 || digits.first != 0x30,
                let revision = Int(fields[1]), let key = key(fields.dropFirst(2))
            else { return nil }
            self = .removal(revision: revision, key)
        default: return nil
        }
    }
}
