import Foundation

/// Why the store could not be used, naming its location (a path, or host, port and
/// database), never a password. The CLI maps every case to exit 3, except the refusals, which
/// are exit 1: nothing is wrong with the store.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case unreadable(String, String)
    case locked(String)
    case newerSchema(String)
    case stalePlan(String)
    case deletionsNeedConfirmation(Int)
    case unknownRevision(Int)
    /// `apply --expect-revision N` on a store at another revision.
    case moved(expected: Int, actual: Int)
    /// `store copy` into a store that has revisions.
    case targetNotEmpty(String)

    public var description: String {
        switch self {
        case .missing(let location): "no store at \(location); run `outboundctl apply` to create it, or pass --store"
        case .unreadable(let location, let reason): "cannot use the store at \(location): \(reason)"
        case .locked(let location): "another apply holds the store at \(location) (the lock timeout passed); nothing was written, try again"
        case .newerSchema(let location): "the store at \(location) was written by a newer outboundctl; upgrade outboundctl to use it"
        case .stalePlan(let reason): "saved plan is stale: \(reason); run `outboundctl plan` again"
        case .deletionsNeedConfirmation(let count):
            "the plan deletes \(count) object\(count == 1 ? "" : "s"); pass --yes to apply it without a terminal"
        case .unknownRevision(let revision): "the store has no revision \(revision)"
        case .moved(let expected, let actual): "the store moved: it is at revision \(actual), not \(expected); nothing was written (plan again)"
        case .targetNotEmpty(let location):
            "the store at \(location) already has revisions; store copy only fills an empty store (nothing was written)"
        }
    }

    /// True for refusals that leave the store as it was and are not store faults.
    public var isRefusal: Bool {
        switch self {
        case .stalePlan, .deletionsNeedConfirmation, .unknownRevision, .moved, .targetNotEmpty: true
        default: false
        }
    }
}
