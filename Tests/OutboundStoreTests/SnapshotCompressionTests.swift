import Foundation
@testable import OutboundStore
import XCTest

final class SnapshotCompressionTests: XCTestCase {
    /// A document larger than one piece deflates to several zlib streams back to back and
    /// inflates to exactly the same bytes.
    func testSeveralPiecesRoundTrip() throws {
        var document = ""
        var state: UInt64 = 42
        while document.utf8.count < SnapshotCompression.pieceSize * 5 / 2 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            document += "{\"agent-\(state >> 40)\":{\"name\":\"Ünïcode \(state % 997)\"}},\n"
        }
        let deflated = try XCTUnwrap(SnapshotCompression.compress(Array(document.utf8)))
        XCTAssertLessThan(deflated.count, document.utf8.count / 2)
        XCTAssertEqual(SnapshotCompression.decompress(deflated), document)
        XCTAssertEqual(SnapshotCompression.decompress(try XCTUnwrap(SnapshotCompression.compress([]))), "")
        XCTAssertNil(SnapshotCompression.decompress(deflated.prefix(deflated.count / 2)), "a truncated snapshot is damaged, not short")
    }
}
