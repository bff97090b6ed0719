import CZlib
import Foundation

/// Revision snapshots are stored deflated (zlib, level 1): a 50,000-agent snapshot is 9 MB of
/// text and under 1 MB deflated, and every byte a revision writes is written twice (WAL, then
/// checkpoint) and kept forever. Level 1 deflates it in a few tens of milliseconds, on the
/// thread that builds the snapshot, while the apply reads the store.
enum SnapshotCompression {
    /// How `revisions.snapshot` is stored, in `revisions.snapshot_encoding`.
    static let deflate = "deflate"
    static let text = "text"

    /// The deflated document; nil if zlib fails (out of memory), and the snapshot is then
    /// stored as text.
    static func compress(_ document: String) -> Data? {
        var document = document
        return document.withUTF8 { source in
            var size = compressBound(uLong(source.count))
            var output = Data(count: Int(size))
            let status = output.withUnsafeMutableBytes { destination in
                compress2(destination.baseAddress!.assumingMemoryBound(to: Bytef.self), &size, source.baseAddress, uLong(source.count), 1)
            }
            guard status == Z_OK else { return nil }
            output.count = Int(size)
            return output
        }
    }

    /// The document back; nil when the bytes are not a zlib stream (a damaged store).
    static func decompress(_ data: Data) -> String? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status = Z_OK
        data.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk[0..<(chunk.count - Int(stream.avail_out))]
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
