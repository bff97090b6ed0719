import CZlib
import OutboundConfig
import Foundation

/// Revision snapshots are stored deflated (zlib, level 1): a 50,000-agent snapshot is 9 MB of
/// text and under 1 MB deflated, and every byte a revision writes is written twice (WAL, then
/// checkpoint) and kept forever. The document is deflated in 1 MiB pieces on all cores, each
/// its own zlib stream, stored back to back; inflating reads stream after stream.
public enum SnapshotCompression {
    /// How `revisions.snapshot` is stored, in `revisions.snapshot_encoding`.
    public static let deflate = "deflate"
    public static let text = "text"

    static let pieceSize = 1 << 20

    /// The deflated document; nil if zlib fails (out of memory), and the snapshot is then
    /// stored as text.
    @Sendable public static func compress(_ bytes: [UInt8]) -> Data? {
        let pieces = stride(from: 0, to: max(bytes.count, 1), by: pieceSize).map { $0..<min(bytes.count, $0 + pieceSize) }
        let deflated = ParallelMap.map(pieces, minimumCount: 2) { piece in
            bytes[piece].withUnsafeBufferPointer { compress(piece: UnsafeRawBufferPointer($0)) }
        }
        guard deflated.allSatisfy({ $0 != nil }) else { return nil }
        return deflated.reduce(into: Data()) { $0 += $1! }
    }

    private static func compress(piece source: UnsafeRawBufferPointer) -> Data? {
        var size = compressBound(uLong(source.count))
        var output = Data(count: Int(size))
        let status = output.withUnsafeMutableBytes { destination in
            compress2(destination.baseAddress!.assumingMemoryBound(to: Bytef.self), &size,
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

    /// A desired state's snapshot as a store keeps it.
    public static func stored(_ snapshot: DesiredState.Snapshot) -> StoredSnapshot {
        if let encoded = snapshot.encoded { return StoredSnapshot(encoding: deflate, bytes: encoded) }
        return StoredSnapshot(encoding: text, bytes: Data(snapshot.document))
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
