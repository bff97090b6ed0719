import OutboundConfig

/// This tool's ids for imported Webex entities (SPEC §9): made from the Webex names, since an
/// admin reads and types them (`suporte-nivel-1`, not a UUID), and stable, so importing the same
/// export twice writes the same files.
public enum WebexIds {
    /// The longest id the format allows (`^[a-z0-9][a-z0-9._-]{0,63}$`).
    static let maximumLength = 64

    /// Letters Unicode gives no decomposition into a base letter and accents.
    private static let unaccented: [Character: String] = [
        "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i",
    ]

    /// `name` as an id: accents folded to ASCII (`Nível` → `nivel`), lower-cased, every run of
    /// other characters one `-`, no `-`, `.` or `_` at either end, at most 64 characters.
    /// `fallback` stands in for a name with nothing left (all symbols, or another script).
    public static func slug(_ name: String, fallback: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return asciiSlug(name, fallback: fallback) }
        var folded = ""
        for character in name {
            if character.isASCII {
                folded.append(character)
                continue
            }
            if let replacement = unaccented[character] {
                folded += replacement
                continue
            }
            for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                folded.unicodeScalars.append(scalar)
            }
        }
        var slug = ""
        for scalar in folded.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", ".", "_", "-":
                slug.unicodeScalars.append(scalar)
            default:
                if !slug.hasSuffix("-") { slug += "-" }
            }
        }
        slug = trimmed(String(slug.prefix(maximumLength)))
        return slug.isEmpty ? fallback : slug
    }

    /// `slug` of an ASCII name, on its bytes: most names are ASCII, and going character by
    /// character through Unicode folding was most of a 50,000-user import.
    private static func asciiSlug(_ name: String, fallback: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"):
                bytes.append(byte)
            default:
                if bytes.last != UInt8(ascii: "-") { bytes.append(UInt8(ascii: "-")) }
            }
        }
        let slug = trimmed(String(decoding: bytes.prefix(maximumLength), as: UTF8.self))
        return slug.isEmpty ? fallback : slug
    }

    /// Unique ids for `entities` (Webex id, name), keyed by Webex id. Entities whose slugs
    /// collide are ordered by name, then Webex id — never by their order in the files, which
    /// the API does not promise — and the first keeps the bare slug; the others get `-2`, `-3`, …,
    /// skipping any id another entity's own name gives. A `reserved` id is never given bare.
    /// Webex ids are unique (the export reader refuses repeats).
    public static func assign(_ entities: [(webexId: String, name: String)], fallback: String, reserved: Set<String> = []) -> [String: String] {
        let slugs = ParallelMap.map(entities) { slug($0.name, fallback: fallback) }
        var bySlug = [String: [Int]](minimumCapacity: entities.count)
        for (index, slug) in slugs.enumerated() { bySlug[slug, default: []].append(index) }
        var ids = [String: String](minimumCapacity: entities.count)
        // Only slugs that collide need an order, and only among their own entities: sorting
        // all 50,000 users' slugs was most of assigning their ids. Colliding slugs are handled
        // in slug order, since a suffixed id cut to the length limit could meet another's.
        var colliding: [String] = []
        for (slug, indices) in bySlug {
            if indices.count == 1, !reserved.contains(slug) { ids[entities[indices[0]].webexId] = slug } else { colliding.append(slug) }
        }
        var taken = Set(bySlug.keys).union(reserved)
        for slug in colliding.sorted() {
            let order = bySlug[slug]!.sorted { a, b in
                if entities[a].name != entities[b].name { return entities[a].name < entities[b].name }
                return entities[a].webexId < entities[b].webexId
            }
            var number = 2
            for (position, index) in order.enumerated() {
                if position == 0, !reserved.contains(slug) {
                    ids[entities[index].webexId] = slug
                    continue
                }
                var candidate = suffixed(slug, number)
                while taken.contains(candidate) {
                    number += 1
                    candidate = suffixed(slug, number)
                }
                taken.insert(candidate)
                ids[entities[index].webexId] = candidate
            }
        }
        return ids
    }

    /// `slug-number`, cutting the slug so the result stays within the length limit.
    private static func suffixed(_ slug: String, _ number: Int) -> String {
        let suffix = "-\(number)"
        return trimmed(String(slug.prefix(maximumLength - suffix.count))) + suffix
    }

    /// `text` without `-`, `.` or `_` at either end (ids are ASCII by then).
    private static func trimmed(_ text: String) -> String {
        let bytes = Array(text.utf8)
        func isSeparator(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") }
        guard let first = bytes.firstIndex(where: { !isSeparator($0) }), let last = bytes.lastIndex(where: { !isSeparator($0) }) else { return "" }
        return first == 0 && last == bytes.count - 1 ? text : String(decoding: bytes[first...last], as: UTF8.self)
    }
}
