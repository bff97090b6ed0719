import Foundation

/// A value computed on a thread of its own, waited for on first read: independent work that
/// overlaps with whatever the caller does next.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: Value?

    public init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        Thread.detachNewThread { [self] in
            result = work()
            group.leave()
        }
    }

    public var value: Value {
        group.wait()
        return result!
    }
}
