import Foundation

extension OutboundStore {
    /// Copies this whole store — every revision with its time, author, message, snapshot and
    /// sources, the entities, the availability and the change feed — into `target`, which must
    /// have no revision (else `StoreError.targetNotEmpty`, nothing written). The target keeps
    /// its own identity, so plans saved on this store are refused there. Read in one
    /// transaction and written in one: a copy is whole or absent. Returns the revisions copied.
    public func copy(into target: OutboundStore) throws -> Int {
        let contents = try read { try $0.contents() }
        return try target.backend.write { session in
            guard try session.currentRevision() == 0 else { throw StoreError.targetNotEmpty(target.location) }
            try session.insert(contents)
            return (contents.revisions.count, true)
        }
    }
}
