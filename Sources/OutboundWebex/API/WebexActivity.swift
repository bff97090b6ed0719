import Foundation

/// What a command talking to the tenant has done so far, for the status line on a terminal
/// (SPEC §10: requests done, pages read, any wait on a 429).
public struct WebexActivity: Sendable, Equatable {
    public var requests = 0
    public var pages = 0
    /// Until when a 429 holds requests back; nil when none does.
    public var waitingUntil: Date?

    public init() {}

    /// The status line: "42 requests, 40 pages read; waiting 12 s (429 Too Many Requests)".
    public func line(now: Date = Date()) -> String {
        var text = "\(requests) request\(requests == 1 ? "" : "s"), \(pages) page\(pages == 1 ? "" : "s") read"
        if let waitingUntil, waitingUntil > now {
            text += "; waiting \(Int(waitingUntil.timeIntervalSince(now).rounded(.up))) s (the tenant answered 429 Too Many Requests)"
        }
        return text
    }
}
