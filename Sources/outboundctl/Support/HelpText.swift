/// The discussion of a command's `--help`, in one layout for every command: paragraphs
/// (one line each, wrapped by ArgumentParser to the terminal), the exit statuses, and
/// examples short enough never to be wrapped.
enum HelpText {
    static func discussion(_ paragraphs: [String], exits: [(Int32, String)], examples: [String]) -> String {
        var text = paragraphs.joined(separator: "\n\n")
        text +=
            "\n\nExit status:\n" + exits.map { "  \(String($0.0).padding(toLength: 3, withPad: " ", startingAt: 0)) \($0.1)" }.joined(separator: "\n")
        text += "\n\nExample\(examples.count == 1 ? "" : "s"):\n" + examples.map { "  " + $0 }.joined(separator: "\n")
        return text
    }

    static let usageError: (Int32, String) = (64, "usage error")
    static let storeError: (Int32, String) = (3, "store error (missing, unreadable, locked, newer schema)")
}
