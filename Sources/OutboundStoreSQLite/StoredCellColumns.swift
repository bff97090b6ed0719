import Foundation
import GRDB
import OutboundConfig

/// How an `AvailabilityCell` lies in the `availability` table: the date-independent reasons
/// before and after check 4 as comma-joined codes, and the licence window as UTC instants in
/// seconds since 1970 (NULL where open), which the view `outbound_availability` judges against
/// the time of the query and shows as `YYYY-MM-DDTHH:MM:SSZ`. (Integers, not text: a first
/// apply writes 100,000 rows, and the text instants made it measurably slower.)
enum StoredCellColumns {
    static let list = "reasons_before, reasons_after, valid_from, valid_until"

    static func seconds(_ instant: Date) -> Int64 {
        Int64(instant.timeIntervalSince1970.rounded(.down))
    }

    static func text(_ reasons: [ReasonCode]) -> String {
        reasons.map(\.rawValue).joined(separator: ",")
    }

    static func reasons(_ text: String) -> [ReasonCode] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { ReasonCode(rawValue: String($0)) }
    }

    /// A row of `agent_id, team_id, channel, <list>`.
    static func decode(_ row: Row) -> (AvailabilityKey, AvailabilityCell)? {
        guard let channel = Channel(rawValue: row[2]) else { return nil }
        let from: Int64? = row[5]
        let until: Int64? = row[6]
        let window = LicenceWindow(from: from.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                   until: until.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        return (AvailabilityKey(agent: row[0], team: row[1], channel: channel),
                AvailabilityCell(before: reasons(row[3]), after: reasons(row[4]), window: window))
    }
}
