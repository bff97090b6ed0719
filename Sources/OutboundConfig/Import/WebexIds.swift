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
        var folded = ""
        for character in name {
            // Most names are ASCII; decomposing every character was most of a 50,000-user import.
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

    /// Unique ids for `entities` (Webex id, name), keyed by Webex id. Entities whose slugs
    /// collide are ordered by name, then Webex id — never by their order in the files, which
    /// the API does not promise — and the first keeps the bare slug; the others get `-2`, `-3`, …,
    /// skipping any id another entity's own name gives.
    public static func assign(_ entities: [(webexId: String, name: String)], fallback: String) -> [String: String] {
        let ordered = entities.map { (webexId: $0.webexId, name: $0.name, slug: slug($0.name, fallback: fallback)) }
            .sorted { ($0.slug, $0.name, $0.webexId) < ($1.slug, $1.name, $1.webexId) }
        var taken = Set(ordered.map(\.slug))
        var ids: [String: String] = [:]
        var previous: String?
        for entity in ordered {
            defer { previous = entity.slug }
            guard entity.slug == previous else {
                ids[entity.webexId] = entity.slug
                continue
            }
            var number = 2
            var candidate = suffixed(entity.slug, number)
            while taken.contains(candidate) {
                number += 1
                candidate = suffixed(entity.slug, number)
            }
            taken.insert(candidate)
            ids[entity.webexId] = candidate
        }
        return ids
    }

    /// `slug-number`, cutting the slug so the result stays within the length limit.
    private static func suffixed(_ slug: String, _ number: Int) -> String {
        let suffix = "-\(number)"
        return trimmed(String(slug.prefix(maximumLength - suffix.count))) + suffix
    }

    private static func trimmed(_ text: String) -> String {
        let separators: Set<Character> = ["-", ".", "_"]
        return String(text.drop { separators.contains($0) }.reversed().drop { separators.contains($0) }.reversed())
    }
}
