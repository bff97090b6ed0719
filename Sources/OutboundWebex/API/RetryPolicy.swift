import Foundation

/// How long to wait before trying a request again (SPEC §10 "Rate"). A 429 says how long with
/// `Retry-After`, in seconds or as an HTTP date, and is believed up to a cap; without it, and
/// after a 5xx, a timeout or a dropped connection, waits grow exponentially with jitter, so
/// clients refused together do not come back together.
struct RetryPolicy: Sendable {
    /// Tries after the first for a 5xx, a timeout, a dropped connection or an answer that is not
    /// one (not JSON, too large, a page that claims more than it holds).
    var failureRetries = 5
    /// 429s waited out before giving up: a tenant that never lets a request through must end
    /// the command, not hold it for ever.
    var throttleRetries = 10
    /// The longest `Retry-After` believed.
    var retryAfterCap: Duration = .seconds(120)
    /// A 429 without `Retry-After`: 1 s, doubling to 60 s.
    var throttleBackoff = (first: Duration.seconds(1), last: Duration.seconds(60))
    /// A failure: 0.5 s, doubling to 8 s. Shorter than the 429's, since a 5xx or a dropped
    /// connection says nothing about load, and five of them should not take minutes.
    var failureBackoff = (first: Duration.milliseconds(500), last: Duration.seconds(8))

    /// The wait before try `attempt` (1 for the first retry), between half and all of the
    /// doubled delay.
    static func backoff(_ attempt: Int, first: Duration, last: Duration) -> Duration {
        let doubled = first * (1 << min(max(attempt - 1, 0), 20))
        let delay = min(doubled, last)
        return delay * Double.random(in: 0.5...1)
    }

    func throttleWait(retryAfter: String?, attempt: Int, now: Date) -> Duration {
        if let retryAfter, let wait = Self.parse(retryAfter: retryAfter, now: now) { return min(wait, retryAfterCap) }
        return Self.backoff(attempt, first: throttleBackoff.first, last: throttleBackoff.last)
    }

    func failureWait(attempt: Int) -> Duration {
        Self.backoff(attempt, first: failureBackoff.first, last: failureBackoff.last)
    }

    /// `Retry-After` (RFC 9110 §10.2.3): whole seconds, or an HTTP date (a date in the past is
    /// no wait). Anything else is ignored, and the backoff applies.
    static func parse(retryAfter: String, now: Date) -> Duration? {
        let text = retryAfter.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return .seconds(Int(text.prefix(9)) ?? 0)
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds(Int(min(seconds, 86_400) * 1000)) : .zero
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 has senders use,
    /// and the two obsolete forms it has recipients accept.
    private static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
