import OutboundConfig

/// A Webex entity as the tenant sent it, changed in a few top-level members and written back
/// with every other member's text exactly as read (SPEC §10: a field the format does not hold
/// survives byte for byte — a number like `1.50`, a `\u00e9` escape, a member order).
struct WebexEntityText {
    private var members: [(key: String, text: [UInt8])] = []

    /// nil when `tape` is not an object.
    init?(_ tape: JSONTape) {
        guard tape.kind(tape.root) == .object else { return nil }
        for key in tape.keys(of: tape.root) {
            members.append((tape.string(key), Array(tape.rawText(of: key + 1))))
        }
        self.tape = tape
    }

    private let tape: JSONTape
    /// Top-level members set so far, as values (nil: removed).
    private var edited: [String: JSON?] = [:]

    /// The value of a dotted field, as JSON (nil when absent).
    func value(_ field: String) -> JSON? {
        let parts = field.split(separator: ".", maxSplits: 1).map(String.init)
        let top: JSON?
        if let set = edited[parts[0]] {
            top = set
        } else {
            top = tape.member(parts[0], of: tape.root).map { JSON(tape, node: $0) }
        }
        return parts.count == 1 ? top : top?[parts[1]]
    }

    /// Sets a dotted field (`manuallyAssignable.email`); nil removes it. Only the top-level
    /// member it lies in is written anew.
    mutating func set(_ field: String, to value: JSON?) {
        let parts = field.split(separator: ".", maxSplits: 1).map(String.init)
        let top = parts[0]
        var newValue = value
        if parts.count == 2 {
            let current = self.value(top) ?? .object([])
            newValue = current.setting(parts[1], to: value)
        }
        edited[top] = .some(newValue)
        if let index = members.firstIndex(where: { $0.key == top }) {
            if let newValue { members[index].text = Array(newValue.rendered().utf8) } else { members.remove(at: index) }
        } else if let newValue {
            members.append((top, Array(newValue.rendered().utf8)))
        }
    }

    var bytes: [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSON.escape(member.key, into: &output)
            output.append(UInt8(ascii: ":"))
            output += member.text
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}
