import CZlib
import Foundation
import OutboundConfig

/// Revision snapshots are stored deflated (zlib, level 1): a 50,000-agent snapshot is 9 MB of
/// text and under 1 MB deflated, and every byte a revision writes is written twice (WAL, then
/// checkpoint) and kept forever. Each piece of the document (`CanonicalForm.documentPieces`)
/// is its own zlib stream, stored back to back; inflating reads stream after stream.
///
/// Deflating was a fifth of a one-agent apply of 50,000 agents, so the store's meta keeps
/// (under `snapshot_pieces`) the SHA-256 and stream length of each piece of the last snapshot
/// written: the next apply copies the streams of pieces it has again and deflates only the
/// ones that changed (one, for one changed entity). The note names the revision and the
/// length and CRC-32 of its stored bytes, carries a CRC-32 of its own lines, and is used only
/// when all of them still match.
public enum SnapshotCompression {
    /// How `revisions.snapshot` is stored, in `revisions.snapshot_encoding`.
    public static let deflate = "deflate"
    public static let text = "text"
    /// The meta key of the note on the last written snapshot's pieces.
    static let piecesKey = "snapshot_pieces"

    /// A snapshot as a store keeps it, copying the streams of pieces `previous` has, and the
    /// note for the next apply (nil when kept as text: zlib failed, out of memory).
    static func stored(_ snapshot: DesiredState.Snapshot, revision: Int, reusing previous: PieceNote?) -> (StoredSnapshot, String?) {
        let streams = ParallelMap.map(snapshot.pieces, minimumCount: 2) { [previous] piece in
            previous?.stream(of: piece.fingerprint) ?? piece.bytes.withUnsafeBytes { compress(piece: $0) }
        }
        guard streams.allSatisfy({ $0 != nil }) else { return (StoredSnapshot(encoding: text, bytes: Data(snapshot.document)), nil) }
        var bytes = Data(capacity: streams.reduce(0) { $0 + $1!.count })
        for stream in streams { bytes += stream! }
        let note = PieceNote.text(
            revision: revision, bytes: bytes,
            pieces: zip(snapshot.pieces, streams).map { ($0.fingerprint, $1!.count) })
        return (StoredSnapshot(encoding: deflate, bytes: bytes), note)
    }

    /// The note on the last written snapshot's pieces with that snapshot's bytes, nil when
    /// there is none or it no longer describes the stored bytes.
    static func previousPieces(_ session: any StoreSession) throws -> PieceNote? {
        guard let text = try session.meta(piecesKey), let header = PieceNote.Header(text: text),
            let stored = try session.snapshot(header.revision), stored.encoding == deflate
        else { return nil }
        return PieceNote(text: text, bytes: stored.bytes)
    }

    /// Where each piece's stream lies in a stored snapshot, by the piece's SHA-256. Its text:
    /// a line `2 <revision> <byte count> <crc-32 of the bytes> <crc-32 of the lines below>`,
    /// then `<sha-256> <stream length>` per piece; numbers in hex but for the revision.
    struct PieceNote: Sendable {
        struct Header {
            var revision: Int
            var count: Int
            var checksum: UInt32
            var linesChecksum: UInt32

            init?(text: String) {
                let fields = text.prefix { $0 != "\n" }.split(separator: " ")
                guard fields.count == 5, fields[0] == "2", let revision = Int(fields[1]), let count = Int(fields[2], radix: 16),
                    let checksum = UInt32(fields[3], radix: 16), let linesChecksum = UInt32(fields[4], radix: 16)
                else { return nil }
                (self.revision, self.count, self.checksum, self.linesChecksum) = (revision, count, checksum, linesChecksum)
            }
        }

        private let bytes: Data
        private let streams: [String: Range<Int>]

        init?(text: String, bytes: Data) {
            guard let header = Header(text: text), header.count == bytes.count, header.checksum == Self.checksum(bytes) else { return nil }
            let lines = text.drop { $0 != "\n" }.dropFirst()
            guard header.linesChecksum == Self.checksum(Data(lines.utf8)) else { return nil }
            var streams: [String: Range<Int>] = [:]
            var offset = 0
            for line in lines.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count == 2, fields[0].utf8.count == 64, let length = Int(fields[1], radix: 16),
                    length > 0, length <= bytes.count - offset
                else { return nil }
                streams[String(fields[0])] = (bytes.startIndex + offset)..<(bytes.startIndex + offset + length)
                offset += length
            }
            guard offset == bytes.count else { return nil }
            self.bytes = bytes
            self.streams = streams
        }

        func stream(of fingerprint: String) -> Data? {
            streams[fingerprint].map { bytes.subdata(in: $0) }
        }

        static func text(revision: Int, bytes: Data, pieces: [(fingerprint: String, length: Int)]) -> String {
            let lines = pieces.map { "\($0.fingerprint) \(String($0.length, radix: 16))\n" }.joined()
            return
                "2 \(revision) \(String(bytes.count, radix: 16)) \(String(checksum(bytes), radix: 16)) \(String(checksum(Data(lines.utf8)), radix: 16))\n"
                + lines
        }

        private static func checksum(_ bytes: Data) -> UInt32 {
            bytes.withUnsafeBytes { UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        }
    }

    private static func compress(piece source: UnsafeRawBufferPointer) -> Data? {
        var size = compressBound(uLong(source.count))
        var output = Data(count: Int(size))
        let status = output.withUnsafeMutableBytes { destination in
            compress2(
                destination.baseAddress!.assumingMemoryBound(to: Bytef.self), &size,
                source.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(source.count), 1)
        }
        guard status == Z_OK else { return nil }
        output.count = Int(size)
        return output
    }

    /// The document back; nil when the bytes are not zlib streams (a damaged store).
    /// The document of a stored snapshot, nil when it cannot be decoded.
    public static func decode(_ snapshot: StoredSnapshot) -> String? {
        snapshot.encoding == text ? String(decoding: snapshot.bytes, as: UTF8.self) : decompress(snapshot.bytes)
    }

    public static func decompress(_ data: Data) -> String? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status = Z_OK
        data.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                repeat {
                    chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = uInt(buffer.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                    }
                    output += chunk[0..<(chunk.count - Int(stream.avail_out))]
                } while status == Z_OK
                // The next piece's stream, if any.
                guard status == Z_STREAM_END, stream.avail_in > 0, inflateReset(&stream) == Z_OK else { return }
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
