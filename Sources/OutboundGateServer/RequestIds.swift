import Foundation
import Synchronization

/// Ids for requests that bring no `X-Request-Id`: one random prefix per process and a counter,
/// unique without a random draw and a formatted UUID per request (a profile under wrk showed
/// both, the draw as a system call, among the costliest steps of a single check).
final class RequestIds: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        prefix = String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }

    /// The client's `X-Request-Id` when it is short printable ASCII, else a new one.
    func id(given: String?) -> String {
        if let given, !given.isEmpty, given.utf8.count <= 128, given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return given }
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(number, radix: 16)
    }
}
