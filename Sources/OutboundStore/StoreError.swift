import Foundation
import GRDB

/// Why the store could not be used. The CLI maps every case to exit 3, except the refusals
/// (`stalePlan`, `deletionsNeedConfirmation`) which are exit 1: nothing is wrong with the store.
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

    public var description: String {
        switch self {
        case .missing(let path): "no store at \(path); run `outboundctl apply` to create it, or pass --store"
        case .unreadable(let path, let reason): "cannot use the store at \(path): \(reason)"
        case .locked(let path): "another apply holds the store at \(path) (the lock timeout passed); nothing was written, try again"
        case .newerSchema(let path): "the store at \(path) was written by a newer outboundctl; upgrade outboundctl to use it"
        case .stalePlan(let reason): "saved plan is stale: \(reason); run `outboundctl plan` again"
        case .deletionsNeedConfirmation(let count): "the plan deletes \(count) object\(count == 1 ? "" : "s"); pass --yes to apply it without a terminal"
        case .unknownRevision(let revision): "the store has no revision \(revision)"
        case .moved(let expected, let actual): "the store moved: it is at revision \(actual), not \(expected); nothing was written (plan again)"
        }
    }

    /// True for refusals that leave the store as it was and are not store faults.
    public var isRefusal: Bool {
        switch self {
        case .stalePlan, .deletionsNeedConfirmation, .unknownRevision, .moved: true
        default: false
        }
    }

    /// Translates SQLite failures into store errors with the path.
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: throw StoreError.locked(path)
            case .SQLITE_NOTADB: throw StoreError.unreadable(path, "the file is not an outboundctl store (not a SQLite database)")
            case .SQLITE_CORRUPT: throw StoreError.unreadable(path, "the database is corrupt")
            case .SQLITE_FULL: throw StoreError.unreadable(path, "the disk or database is full; nothing was written")
            case .SQLITE_READONLY: throw StoreError.unreadable(path, "the store is read-only; nothing was written")
            case .SQLITE_CANTOPEN: throw StoreError.unreadable(path, "the file cannot be opened")
            default: throw StoreError.unreadable(path, error.message ?? "\(error)")
            }
        } catch {
            throw StoreError.unreadable(path, "\(error)")
        }
    }
}
