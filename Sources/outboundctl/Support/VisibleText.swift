import Foundation

/// Input shown to people, made harmless: control characters, DEL, the C1 controls and the
/// bidirectional overrides become visible escapes (`\x1b`, `\u{9b}`, `\u{202e}`), so a value in
/// a configuration file or a store cannot clear the screen, set the window title or reorder
/// the text around it. Backslashes are left alone, as `cat -v` leaves other characters.
enum VisibleText {
    /// `text` with every character a terminal would act on escaped; tabs kept when asked
    /// (source excerpts, where the caret line repeats them to stay aligned).
    static func escaping(_ text: String, keepingTabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingTabs: keepingTabs) }) else { return text }
        var output = ""
        output.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepingTabs: keepingTabs) {
                output += escape(scalar)
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepingTabs: Bool = false) -> Bool {
        switch scalar.value {
        case 0x09: !keepingTabs
        case 0x00..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x00..<0x80: "\\x" + hex(scalar.value, width: 2)
        default: "\\u{" + hex(scalar.value, width: 2) + "}"
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Bytes read from a file as text: valid UTF-8 decoded, each invalid byte shown as `\xNN`.
    static func decoding(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var output = ""
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                output.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { output += "\\x" + hex(UInt32(byte), width: 2) }
                offset += length
            case .emptyInput:
                return output
            }
        }
    }
}

/// The last line of defence for everything this process writes: every control byte other
/// than newline and tab is escaped, and so is every ESC that does not start one of our own
/// colour codes (`ESC [ digits;… m`) — all of them when colour is off. Reporters escape the
/// input they show (`VisibleText`); this catches whatever reaches output another way.
enum TerminalSafety {
    /// Set once `--no-color` is parsed: no ESC may then reach the output at all.
    nonisolated(unsafe) static var colourForbidden = false

    static func clean(_ bytes: [UInt8], colour: Bool) -> [UInt8] {
        guard bytes.contains(where: isSuspect) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B, colour, !colourForbidden, let end = colourCodeEnd(bytes, from: index) {
                output += bytes[index..<end]
                index = end
            } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] >= 0x80, bytes[index + 1] < 0xA0 {
                output += Array(VisibleText.escape(Unicode.Scalar(bytes[index + 1])).utf8)
                index += 2
            } else if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F {
                output += Array(VisibleText.escape(Unicode.Scalar(byte)).utf8)
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func isSuspect(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || byte == 0xC2
    }

    /// The end of an SGR sequence `ESC [ [0-9;]{0,16} m` starting at `start`, if it is one.
    private static func colourCodeEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start + 2 < bytes.count, bytes[start + 1] == UInt8(ascii: "[") else { return nil }
        var index = start + 2
        while index < bytes.count, index - start < 20 {
            let byte = bytes[index]
            if byte == UInt8(ascii: "m") { return index + 1 }
            guard (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ";") else { return nil }
            index += 1
        }
        return nil
    }
}
