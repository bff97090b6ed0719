import GRDB
import OutboundConfig

/// How an `AvailabilityCell` lies in the `availability` table: the date-independent reasons
/// before and after check 4 as comma-joined codes, and the licence window as UTC instants
/// (`YYYY-MM-DDTHH:MM:SSZ`, NULL where open), which the view `outbound_availability` judges
/// against the time of the query.
enum StoredCellColumns {
    static let list = "reasons_before, reasons_after, valid_from, valid_until"

    static func text(_ reasons: [ReasonCode]) -> String {
        reasons.map(\.rawValue).joined(separator: ",")
    }

    static func reasons(_ text: String) -> [ReasonCode] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { ReasonCode(rawValue: String($0)) }
    }

    /// A row of `agent_id, team_id, channel, <list>`.
    static func decode(_ row: Row) -> (AvailabilityKey, AvailabilityCell)? {
        guard let channel = Channel(rawValue: row[2]) else { return nil }
        let from: String? = row[5]
        let until: String? = row[6]
        let window = LicenceWindow(from: from.flatMap(LicenceWindow.instant), until: until.flatMap(LicenceWindow.instant))
        return (AvailabilityKey(agent: row[0], team: row[1], channel: channel),
                AvailabilityCell(before: reasons(row[3]), after: reasons(row[4]), window: window))
    }
}
