/// The id grammar `^[a-z0-9][a-z0-9._-]{0,63}$`, checked byte by byte (no regex engine on the
/// hot path of a 50,000-agent file).
public enum Identifier {
    public static func isValid(_ id: String) -> Bool {
        var count = 0
        for byte in id.utf8 {
            let alphanumeric = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            if count == 0 {
                guard alphanumeric else { return false }
            } else {
                guard alphanumeric || byte == 0x2E || byte == 0x5F || byte == 0x2D else { return false }
            }
            count += 1
            if count > 64 { return false }
        }
        return count > 0
    }
}
