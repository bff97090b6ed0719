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

    /// The same, of a document in pieces.
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
