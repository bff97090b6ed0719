import Foundation
import Hummingbird

/// The login form of a console under `--token-file`, and the checks on what it posts.
enum LoginPage {
    static let maxBody = 4_096

    static func form(next: String, notice: String?) -> HTML {
        let shown: HTML = notice.map { "<p class=\"notice\" role=\"alert\">\($0)</p>" } ?? ""
        return """
            <h1>Log in</h1>
            <p>The console needs a token without scope from serve's token file. It is sent once;
            the browser then keeps only a session, for 12 hours or until you log out.</p>
            \(shown)
            <form method="post" action="/login" class="filters">
            <input type="hidden" name="next" value="\(next)">
            <label for="token">Token<input id="token" name="token" type="password" autocomplete="current-password" required></label>
            <button type="submit">Log in</button>
            </form>
            """
    }

    /// The posted form's fields: a form body of at most 4 KiB, else a clear refusal.
    static func fields(of request: Request) async throws -> Query {
        guard let type = request.headers[.contentType],
            type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/x-www-form-urlencoded"
        else {
            throw APIError(
                status: .unsupportedMediaType, code: "unsupported-media-type",
                message: "the login form is sent as application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBody)
        } catch {
            throw APIError(status: .contentTooLarge, code: "too-large", message: "the login form is over 4 KiB")
        }
        guard let text = body.getString(at: body.readerIndex, length: body.readableBytes) else {
            throw APIError.badRequest("the login form is not text")
        }
        return Query(values: try FormFields.parse(text))
    }

    /// Where to go after logging in: a path of this console only (never `//host`, which a
    /// browser reads as another site), `/` when none is given.
    static func next(_ given: String?) throws -> String {
        guard let given else { return "/" }
        guard given.hasPrefix("/"), !given.hasPrefix("//"), !given.hasPrefix("/\\"),
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), given.utf8.count <= 2_048
        else {
            throw APIError.badRequest("next: '\(GateAPI.visible(given))' is not a path of this console")
        }
        return given
    }
}
