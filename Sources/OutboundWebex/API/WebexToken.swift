import Foundation

/// The bearer token, kept where no output can reach it: it prints, dumps and reflects as
/// `<token>`, so an error message, a log line or a debugger's `print` cannot leak it (SPEC §10:
/// never printed, logged or written anywhere). It is read from a file or the environment,
/// never from the command line, where every user of the machine could list it.
public struct WebexToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// The first line of `tokenFile`, else `WEBEX_TOKEN` of `environment`.
    public init(tokenFile: String?, environment: [String: String]) throws(Refusal) {
        let text: String
        let source: String
        if let tokenFile {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tokenFile, isDirectory: &isDirectory) else {
                throw Refusal(description: "the token file \(WebexEndpoint.shown(tokenFile)) does not exist")
            }
            guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: tokenFile) else {
                throw Refusal(description: "cannot read the token file \(WebexEndpoint.shown(tokenFile)): not a readable file")
            }
            text = String(decoding: data.prefix { $0 != 0x0A }, as: UTF8.self)
            source = "the first line of \(WebexEndpoint.shown(tokenFile))"
        } else if let value = environment["WEBEX_TOKEN"] {
            text = value
            source = "WEBEX_TOKEN"
        } else {
            throw Refusal(description: "no token: pass --token-file FILE (its first line) or set WEBEX_TOKEN")
        }
        let token = text.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
        guard !token.isEmpty else { throw Refusal(description: "no token: \(source) is empty") }
        // A header value is visible ASCII; anything else would be refused by the server or,
        // worse, split the request.
        if token.lowercased().hasPrefix("bearer ") {
            throw Refusal(description: "\(source) starts with 'Bearer ': write the token alone, the word is added when it is sent")
        }
        guard token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Refusal(description: "the token in \(source) holds characters a bearer token cannot (spaces, control or non-ASCII characters)")
        }
        secret = token
    }

    var authorization: String { "Bearer \(secret)" }

    public var description: String { "<token>" }
    public var debugDescription: String { "<token>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
