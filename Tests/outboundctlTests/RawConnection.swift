import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to 127.0.0.1 driven byte by byte, for what URLSession will not send:
/// a request line with `..` or invalid UTF-8, a body sent one byte a second, a body without
/// a length, and many connections held open at once. Used by one thread at a time.
final class RawConnection: @unchecked Sendable {
    private let socketDescriptor: Int32

    init(port: Int, receiveTimeout seconds: Int = 30) throws {
        socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw ServeFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(socketDescriptor)
            throw ServeFailure("connect to 127.0.0.1:\(port): errno \(code)")
        }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socketDescriptor) }

    /// Sends every byte; false when the server closed the connection first.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(socketDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            sent += written
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads one response: the status line, the headers, and a body of `Content-Length`
    /// bytes (or up to the close).
    func response() throws -> HTTPAnswer {
        var received: [UInt8] = []
        var headerEnd: Int?
        var bodyLength: Int?
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = headerEnd, let length = bodyLength, received.count >= end + length { break }
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw ServeFailure("no answer within the receive timeout (errno \(errno))") }
            received += buffer[..<count]
            if headerEnd == nil, let end = Self.endOfHeaders(received) {
                headerEnd = end
                let head = String(decoding: received[..<end], as: UTF8.self)
                bodyLength =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let end = headerEnd else {
            throw ServeFailure("the connection closed before a whole answer: \(String(decoding: received, as: UTF8.self))")
        }
        let lines = String(decoding: received[..<end], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw ServeFailure("not an HTTP answer: \(lines.first ?? "")")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: status, headers: headers, body: Data(received[end...]))
    }

    private static func endOfHeaders(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}
