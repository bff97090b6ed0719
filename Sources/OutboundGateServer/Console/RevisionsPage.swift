import Foundation
import Hummingbird
import OutboundStore

/// `/revisions`: `history` for people — number, time, author, message and change counts,
/// newest first. Authors and messages are whatever `apply` was given, so they are escaped
/// like any other value.
enum RevisionsPage {
    static func render(_ visit: Visit, reads: StoreReads) async throws -> Response {
        let revisions = try await reads.run { try await $0.history() }
        let rows = revisions.reversed().map { revision -> HTML in
            """
            <tr><td data-label="Revision">\(revision.number)</td><td data-label="Time">\(revision.time)</td>\
            <td data-label="Author">\(revision.author)</td><td data-label="Message">\(revision.message)</td>\
            <td data-label="Created">\(revision.creates)</td><td data-label="Updated">\(revision.updates)</td>\
            <td data-label="Deleted">\(revision.deletes)</td></tr>

            """
        }
        let table: HTML =
            revisions.isEmpty
            ? "<p>The store has no revision yet.</p>"
            : """
            <table class="stack revisions">
            <thead><tr><th scope="col">Revision</th><th scope="col">Time (UTC)</th><th scope="col">Author</th><th scope="col">Message</th>\
            <th scope="col">Created</th><th scope="col">Updated</th><th scope="col">Deleted</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            """
        return visit.page(
            "Revisions", .revisions,
            """
            <h1>Revisions</h1>
            <p>Every apply and rollback, newest first. The console serves revision \(visit.snapshot.revision).</p>
            \(table)
            """)
    }
}
