import Foundation
import XCTest

@testable import OutboundConfig
@testable import OutboundStore

final class SnapshotCompressionTests: XCTestCase {
    /// 20,000 rows of ids, names and Unicode: several pieces, each its own zlib stream.
    private func rows(changing changed: Set<Int> = [], dropping dropped: Set<Int> = []) -> [CanonicalForm.Row] {
        let tenant = CanonicalForm.Row(CanonicalForm.Entity(key: .tenant, text: #"{"name":"T","digitalChannels":"enabled"}"#), sources: "")
        let agents = (0..<20_000).filter { !dropped.contains($0) }.map { number in
            let text = #"{"name":"Ünïcode \#(number)\#(changed.contains(number) ? " changed" : "")","licence":"premium"}"#
            return CanonicalForm.Row(
                CanonicalForm.Entity(key: CanonicalForm.Key(kind: "agents", id: String(format: "agent-%05d", number)), text: text), sources: "")
        }
        let sites = [CanonicalForm.Row(CanonicalForm.Entity(key: CanonicalForm.Key(kind: "sites", id: "hq"), text: "{}"), sources: "")]
        return [tenant] + sites + agents
    }

    /// The pieces make exactly the document, and the stored streams inflate back to it.
    func testPiecesMakeTheDocumentAndInflateBackToIt() throws {
        let rows = rows()
        let whole = CanonicalForm.documentBytes(from: rows.map(\.entity))
        let snapshot = DesiredState.Snapshot(of: rows)
        XCTAssertGreaterThan(snapshot.pieces.count, 3)
        XCTAssertTrue(snapshot.pieces.allSatisfy { $0.fingerprint == CanonicalForm.digest(of: $0.bytes) }, "a piece is known by its SHA-256")
        XCTAssertEqual(snapshot.document, whole)
        XCTAssertEqual(snapshot.digest, CanonicalForm.digest(of: whole))
        let (stored, note) = SnapshotCompression.stored(snapshot, revision: 1, reusing: nil)
        XCTAssertEqual(stored.encoding, SnapshotCompression.deflate)
        XCTAssertNotNil(note)
        XCTAssertLessThan(stored.bytes.count, whole.count / 2)
        XCTAssertEqual(SnapshotCompression.decompress(stored.bytes), String(decoding: whole, as: UTF8.self))
        XCTAssertNil(SnapshotCompression.decompress(stored.bytes.prefix(stored.bytes.count / 2)), "a truncated snapshot is damaged, not short")

        let empty = DesiredState.Snapshot(of: [])
        XCTAssertEqual(String(decoding: empty.document, as: UTF8.self), #"{"version":1}"#)
        XCTAssertEqual(SnapshotCompression.decompress(SnapshotCompression.stored(empty, revision: 1, reusing: nil).0.bytes), #"{"version":1}"#)
    }

    /// One changed entity changes one piece: the next snapshot copies the other pieces'
    /// streams byte for byte, deflates the changed one, and inflates to the new document. A
    /// deleted entity, a note whose bytes no longer match, or another revision's bytes
    /// behave as they should.
    func testTheNextSnapshotCopiesTheStreamsOfUnchangedPieces() throws {
        let first = DesiredState.Snapshot(of: rows())
        let (stored, note) = SnapshotCompression.stored(first, revision: 1, reusing: nil)
        let previous = try XCTUnwrap(SnapshotCompression.PieceNote(text: XCTUnwrap(note), bytes: stored.bytes))

        for (second, label) in [(rows(changing: [12_345]), "changed"), (rows(dropping: [7]), "deleted"), (rows(changing: [0, 19_999]), "both ends")] {
            let next = DesiredState.Snapshot(of: second)
            let changed = Set(next.pieces.map(\.fingerprint)).subtracting(first.pieces.map(\.fingerprint))
            XCTAssertTrue((1...2).contains(changed.count), "\(label): \(changed.count) pieces changed")
            let (again, _) = SnapshotCompression.stored(next, revision: 2, reusing: previous)
            XCTAssertEqual(SnapshotCompression.decompress(again.bytes), String(decoding: next.document, as: UTF8.self), label)
            for piece in next.pieces where !changed.contains(piece.fingerprint) {
                XCTAssertEqual(
                    previous.stream(of: piece.fingerprint).map { again.bytes.range(of: $0) != nil }, true, "\(label): a kept piece's stream is copied"
                )
            }
        }

        // Proof that streams are copied, not deflated again to the same bytes: a note whose
        // stream for one kept piece inflates to other text puts that text in the next snapshot.
        let poisoned = first.pieces[1]
        let poison = CanonicalForm.DocumentPiece(bytes: Array("POISON".utf8), fingerprint: poisoned.fingerprint)
        let streams = first.pieces.map { piece in
            SnapshotCompression.stored(
                DesiredState.Snapshot(pieces: [piece.fingerprint == poisoned.fingerprint ? poison : piece], digest: ""), revision: 0, reusing: nil
            ).0.bytes
        }
        let blob = streams.reduce(Data(), +)
        let poisonedNote = try XCTUnwrap(
            SnapshotCompression.PieceNote(
                text: SnapshotCompression.PieceNote.text(
                    revision: 1, bytes: blob, pieces: zip(first.pieces, streams).map { ($0.fingerprint, $1.count) }), bytes: blob))
        let next = DesiredState.Snapshot(of: rows(changing: [19_999]))
        let copied = try XCTUnwrap(SnapshotCompression.decompress(SnapshotCompression.stored(next, revision: 2, reusing: poisonedNote).0.bytes))
        XCTAssertEqual(
            copied,
            String(decoding: next.document, as: UTF8.self).replacingOccurrences(of: String(decoding: poisoned.bytes, as: UTF8.self), with: "POISON"))

        XCTAssertNil(SnapshotCompression.PieceNote(text: try XCTUnwrap(note), bytes: stored.bytes.dropLast()), "bytes of another length")
        var flipped = stored.bytes
        flipped[flipped.startIndex + 100] ^= 0x01
        XCTAssertNil(SnapshotCompression.PieceNote(text: try XCTUnwrap(note), bytes: flipped), "bytes with another checksum")
        XCTAssertNil(SnapshotCompression.PieceNote(text: "1 1 0 0\n", bytes: Data()), "a note of another format")
        XCTAssertNil(SnapshotCompression.PieceNote(text: "garbage", bytes: stored.bytes))

        // Lines swapped (their lengths still add up) fail the note's own checksum.
        var lines = try XCTUnwrap(note).split(separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(1, 2)
        XCTAssertNil(SnapshotCompression.PieceNote(text: lines.joined(separator: "\n"), bytes: stored.bytes), "lines out of place")
        // A length past the bytes, however large, is refused, not an overflow.
        let huge = SnapshotCompression.PieceNote.text(
            revision: 1, bytes: stored.bytes, pieces: [(first.pieces[0].fingerprint, 1), (first.pieces[1].fingerprint, Int.max)])
        XCTAssertNil(SnapshotCompression.PieceNote(text: huge, bytes: stored.bytes), "a length past the bytes")
    }
}
