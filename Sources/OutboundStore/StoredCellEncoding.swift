import Foundation
import OutboundConfig

/// How every backend keeps an `AvailabilityCell` in its `availability` table: the
/// date-independent reasons before and after check 4 as comma-joined codes, and the licence
/// window as UTC instants in whole seconds since 1970, which each backend's view judges
/// against the time of the query. One encoding, so `store copy` moves cells between backends
/// unchanged.
public enum StoredCellEncoding {
    public static func text(_ reasons: [ReasonCode]) -> String {
        reasons.map(\.rawValue).joined(separator: ",")
    }

    public static func reasons(_ text: String) -> [ReasonCode] {
        text.isEmpty ? [] : text.split(separator: ",").compactMap { ReasonCode(rawValue: String($0)) }
    }

    public static func seconds(_ instant: Date) -> Int64 {
        Int64(instant.timeIntervalSince1970.rounded(.down))
    }

    public static func instant(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
