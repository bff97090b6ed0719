import Foundation
import GRDB
import OutboundConfig
import OutboundStore

/// The `availability` columns of a cell on SQLite, in `StoredCellEncoding`'s form (NULL where
/// the window is open). (Integers, not text, for the instants: a first apply writes 100,000
/// rows, and the text instants made it measurably slower.)
enum StoredCellColumns {
    static let list = "reasons_before, reasons_after, valid_from, valid_until"

    /// A row of `agent_id, team_id, channel, <list>`.
    static func decode(_ row: Row) -> (AvailabilityKey, AvailabilityCell)? {
        guard let channel = Channel(rawValue: row[2]) else { return nil }
        let from: Int64? = row[5]
        let until: Int64? = row[6]
        let window = LicenceWindow(from: from.map(StoredCellEncoding.instant), until: until.map(StoredCellEncoding.instant))
        return (
            AvailabilityKey(agent: row[0], team: row[1], channel: channel),
            AvailabilityCell(before: StoredCellEncoding.reasons(row[3]), after: StoredCellEncoding.reasons(row[4]), window: window)
        )
    }
}
