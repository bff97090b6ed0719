import Foundation

/// When a licence grants anything, as instants: from the first instant of `validFrom` to the
/// first instant of the day after `validUntil`, in the tenant's time zone (UTC when none).
/// "First instant", not midnight: a DST change can skip 00:00 (America/Santiago starts
/// 2026-09-06 at 01:00). The instants come from the time-zone database when computed.
public struct LicenceWindow: Sendable, Hashable {
    public var from: Date?
    public var until: Date?

    public init(from: Date? = nil, until: Date? = nil) {
        self.from = from
        self.until = until
    }

    public init(_ licence: Licence, timezone: String?) {
        let zone = timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        from = licence.validFrom.map { Self.firstInstant(of: $0.value, in: zone) }
        until = licence.validUntil.map { Self.firstInstant(of: $0.value.next, in: zone) }
    }

    /// The reason check 4 gives at `instant`, nil when the licence is valid then.
    public func reason(at instant: Date) -> ReasonCode? {
        if let from, instant < from { return .licenceNotYetValid }
        if let until, instant >= until { return .licenceExpired }
        return nil
    }

    /// The next instant after `instant` at which `reason(at:)` changes, nil when none lies ahead.
    public func nextBoundary(after instant: Date) -> Date? {
        if let from, instant < from { return from }
        if let until, instant < until { return until }
        return nil
    }

    static func firstInstant(of day: CalendarDate, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Noon exists on every day, whatever the zone's changes; the day's start is then found from it.
        let noon = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form the store and the HTTP API use. By hand from the
    /// seconds: a formatter object per row cost more than the store's whole write.
    public static func text(_ instant: Date) -> String {
        var seconds = time_t(instant.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

/// One (agent, team, channel) answer as it stays right on every day: the reasons that do not
/// depend on the date, in check order and split around check 4, and the licence window check 4
/// judges when the answer is read. The store keeps these; its view, `matrix`, `explain`, the
/// plan's impact and `serve` evaluate them at the moment they answer.
public struct AvailabilityCell: Sendable, Hashable {
    /// Reasons of the checks before check 4 (1–3) and after it (5–8).
    public var before: [ReasonCode]
    public var after: [ReasonCode]
    public var window: LicenceWindow

    public init(before: [ReasonCode], after: [ReasonCode], window: LicenceWindow) {
        self.before = before
        self.after = after
        self.window = window
    }

    /// From date-independent reasons in check order.
    init(reasons: [ReasonCode], window: LicenceWindow) {
        let split = reasons.firstIndex { $0.check > 4 } ?? reasons.count
        self.init(before: Array(reasons[..<split]), after: Array(reasons[split...]), window: window)
    }

    /// Every reason at `instant`, in check order; empty when available.
    public func reasons(at instant: Date) -> [ReasonCode] {
        guard let licence = window.reason(at: instant) else { return before + after }
        return before + [licence] + after
    }

    /// When the answer next changes by itself after `instant`.
    public func until(at instant: Date) -> Date? { window.nextBoundary(after: instant) }
}

extension CalendarDate {
    /// The following day.
    var next: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        let parts = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: 1, to: noon)!)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}
