import Crypto

/// The digest lives apart from the rendering so the fuzzer (`scripts/fuzz.sh`), which builds
/// the front end with `swiftc` alone, can leave out the one file that needs swift-crypto.
extension CanonicalForm {
    /// SHA-256 of a canonical document: the configuration's identity in plans and history.
    public static func digest(of document: String) -> String {
        var document = document
        return document.withUTF8 { digest(of: UnsafeRawBufferPointer($0)) }
    }

    /// The same, of the document's bytes.
    public static func digest(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { digest(of: $0) }
    }

    /// A run of the document's bytes (`pieceRanges`) and the SHA-256 of those bytes, by which
    /// a store finds the piece's deflated stream among the previous snapshot's. A hash of
    /// the rows' keys and 64-bit hashes had been cheaper, but whoever writes a name can steer
    /// FNV-1a to collide, and a store would then keep another piece's bytes in a snapshot
    /// whose digest says otherwise.
    public struct DocumentPiece: Sendable {
        public let bytes: [UInt8]
        public let fingerprint: String
    }

    /// The document from rows in key order, in pieces, written and fingerprinted on all cores.
    public static func documentPieces(from rows: [Row]) -> [DocumentPiece] {
        ParallelMap.map(pieceRanges(of: rows), minimumCount: 2) { range in
            let bytes = pieceBytes(of: rows, range)
            return DocumentPiece(bytes: bytes, fingerprint: digest(of: bytes))
        }
    }

    /// The digest of a document in pieces.
    public static func digest(of pieces: [DocumentPiece]) -> String {
        var hasher = Crypto.SHA256()
        for piece in pieces { piece.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return hex(hasher)
    }

    private static func digest(of bytes: UnsafeRawBufferPointer) -> String {
        var hasher = Crypto.SHA256()
        hasher.update(bufferPointer: bytes)
        return hex(hasher)
    }

    private static func hex(_ hasher: Crypto.SHA256) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: hasher.finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
