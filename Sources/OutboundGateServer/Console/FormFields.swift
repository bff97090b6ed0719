import Foundation

/// `application/x-www-form-urlencoded`, as browsers send the console's forms, in a query
/// string (GET) or a body (POST). Unlike the API's query parameters, `+` is a space, and a
/// field left empty is a field not given: a form sends its empty date or "any team" too.
enum FormFields {
    static func parse(_ text: String?) throws -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0])
            let value = try parts.count > 1 ? decode(parts[1]) : ""
            guard !value.isEmpty else { continue }
            fields[name, default: []].append(value)
        }
        return fields
    }

    private static func decode(_ text: Substring) throws -> String {
        guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw APIError.badRequest("'\(GateAPI.visible(String(text)))' is not percent-encoded UTF-8")
        }
        return decoded
    }
}
