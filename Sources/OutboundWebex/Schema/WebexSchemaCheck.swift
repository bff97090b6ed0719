import OutboundConfig

/// Checks values of one export file against Cisco's schemas (`WebexSchema`), on the file's tape
/// and without decoding: every problem of an item, each at its JSON path, so one run shows all
/// there is to fix. Also refused, though JSON Schema sees only the parsed object: a member that
/// appears twice in one object, which the import would otherwise read one way and a Webex
/// client another.
///
/// SPEC §9 weighs a problem by the item's member it is in: in a member the mapping reads, it
/// refuses the item; in one it does not read, it is a warning, and so is a `null` in a read
/// member Cisco's schema does not require (read as absent: the document marks nothing
/// nullable, and null can mean nothing else there). Problems say their weight and member;
/// `isValid` judges only what refuses.
///
/// Why layouts: items of a list carry a few sets of members, in a few orders. Looking each
/// member's schema up by name made a `String` of every key of every item; instead, the members'
/// schemas are worked out once per schema and set of keys, found again by a hash of the keys'
/// bytes and confirmed by comparing them.
final class WebexSchemaCheck {
    struct Problem {
        enum Weight {
            /// In a member the mapping reads, or the item itself: the item is refused.
            case error
            /// In a member the mapping does not read.
            case unreadField
            /// A `null` in a read member Cisco's schema does not require: read as absent.
            case nullReadAsAbsent
        }

        /// Below the checked value: `.teamIds[2]`, or empty for the value itself.
        var path: String
        var message: String
        var weight: Weight
        /// The item's member it is in (`createdTime`); nil for the item itself.
        var field: String?
    }

    private let tape: JSONTape
    /// The members of an item the mapping reads (`WebexResource.mappedFields`).
    private let reading: Set<String>
    private var layouts: [LayoutKey: Layout] = [:]
    private var path: [Step] = []
    private var problems: [Problem] = []
    /// Off: problems are only noted as found, not written out (`isValid`).
    private var describing = true
    private var found = false
    /// The weight of a problem found now, and the item's member being checked (its key node).
    private var weight = Problem.Weight.error
    private var itemMember: Int?

    private enum Step {
        case key(node: Int)
        case index(Int)
    }

    private struct LayoutKey: Hashable {
        var schema: ObjectIdentifier
        var keys: UInt64
    }

    /// What the members of an object with given keys need, per member position. A class, so
    /// that finding one again copies a reference, not its arrays.
    private final class Layout {
        enum Member {
            case checked(WebexSchema)
            /// Not in the schema: allowed, and listed by the report.
            case undescribed
            /// A key an earlier member already has.
            case repeated
        }

        /// An object with these keys, to compare the next one with.
        let object: Int
        let members: [Member]
        /// Whether the mapping reads each member, by position (for an item's own members).
        let read: [Bool]
        /// Required members the object does not have, and whether the mapping reads each.
        let missing: [(name: String, read: Bool)]

        init(object: Int, members: [Member], read: [Bool], missing: [(name: String, read: Bool)]) {
            self.object = object
            self.members = members
            self.read = read
            self.missing = missing
        }
    }

    /// A check of `tape`'s items, whose members `reading` the mapping reads.
    init(tape: JSONTape, reading: Set<String>) {
        self.tape = tape
        self.reading = reading
    }

    /// The problems of the item at `node` under `schema`, in document order (a missing
    /// required member after the members there are).
    func problems(of node: Int, against schema: WebexSchema) -> [Problem] {
        problems = []
        describing = true
        check(node, schema)
        return problems
    }

    /// Whether the item at `node` has no problem that refuses it under `schema`, without
    /// writing out its problems: members the mapping does not read are not even looked at.
    func isValid(_ node: Int, against schema: WebexSchema) -> Bool {
        (describing, found) = (false, false)
        check(node, schema)
        return !found
    }

    private func check(_ node: Int, _ schema: WebexSchema) {
        let kind = tape.kind(node)
        if let type = schema.type, !fits(node, kind, type) {
            report("expected \(type.phrase), found \(shown(node))")
            return
        }
        switch kind {
        case .string, .escapedString: checkString(node, schema)
        case .number: checkNumber(node, schema)
        case .array: checkArray(node, schema)
        case .object: checkObject(node, schema)
        case .true, .false, .null: break
        }
    }

    private func fits(_ node: Int, _ kind: JSONTape.Kind, _ type: WebexSchema.ValueType) -> Bool {
        switch type {
        case .string: kind == .string || kind == .escapedString
        case .integer: kind == .number && tape.isWholeNumber(node)
        case .number: kind == .number
        case .boolean: kind == .true || kind == .false
        case .array: kind == .array
        case .object: kind == .object
        }
    }

    private func checkString(_ node: Int, _ schema: WebexSchema) {
        guard schema.enumeration != nil || schema.minLength != nil || schema.maxLength != nil || schema.pattern != nil || schema.format != nil else {
            return
        }
        let text = tape.utf8(node)
        if let values = schema.enumeration, !values.contains(where: { $0.utf8.elementsEqual(text) }) {
            report("\(shown(node)) is not one of \(values.joined(separator: ", "))")
        }
        // JSON Schema counts characters (code points); the tape holds valid UTF-8, whose
        // characters each have one byte that is not a continuation byte.
        let length = text.count { $0 & 0xC0 != 0x80 }
        if let minimum = schema.minLength, length < minimum {
            report("\(shown(node)) has \(length) characters, fewer than the \(minimum) Cisco's schema requires")
        }
        if let maximum = schema.maxLength, length > maximum {
            report("\(shown(node)) has \(length) characters, more than the \(maximum) Cisco's schema allows")
        }
        if let pattern = schema.pattern, !pattern.matches(text) {
            report("\(shown(node)) does not match Cisco's pattern \(pattern.source)")
        }
        if schema.format == .uuid, !Self.isUUID(text) {
            report("\(shown(node)) is not a UUID (8-4-4-4-12 hex digits)")
        }
    }

    /// The form OpenAPI validators accept for `format: uuid`: 36 characters, hex digits in
    /// groups of 8, 4, 4, 4 and 12 joined by hyphens.
    private static func isUUID(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.count == 36 else { return false }
        return zip(0..., text).allSatisfy { offset, byte in
            switch offset {
            case 8, 13, 18, 23: byte == UInt8(ascii: "-")
            default: (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20)
            }
        }
    }

    private func checkNumber(_ node: Int, _ schema: WebexSchema) {
        guard schema.format != nil || schema.minimum != nil || schema.maximum != nil else { return }
        let text = tape.numberText(node)
        switch schema.format {
        case .int32 where tape.isWholeNumber(node) && Int32(text) == nil:
            report("\(text) is outside int32, the format Cisco's schema gives")
        case .int64 where tape.isWholeNumber(node) && Int64(text) == nil:
            report("\(text) is outside int64, the format Cisco's schema gives")
        default: break
        }
        guard let value = Double(text) else { return }
        if let minimum = schema.minimum, value < minimum { report("\(text) is below \(Self.shown(minimum)), the minimum of Cisco's schema") }
        if let maximum = schema.maximum, value > maximum { report("\(text) is above \(Self.shown(maximum)), the maximum of Cisco's schema") }
    }

    private func checkArray(_ node: Int, _ schema: WebexSchema) {
        if let items = schema.items {
            for (index, item) in tape.items(of: node).enumerated() {
                path.append(.index(index))
                check(item, items)
                path.removeLast()
            }
        }
        guard schema.uniqueItems, tape.count(node) > 1, let (first, second) = firstRepeat(in: node) else { return }
        report("items \(first) and \(second) are the same, and Cisco's schema wants each item once")
    }

    /// The positions of the first item equal to an earlier one. Short lists are compared pair
    /// by pair; longer ones by a hash of each item, comparing only items whose hashes agree: a
    /// team's `userIds` can hold thousands of ids, and comparing every pair took longer than
    /// the rest of the import.
    private func firstRepeat(in array: Int) -> (Int, Int)? {
        let items = Array(tape.items(of: array))
        guard items.count > 8 else {
            for second in items.indices.dropFirst() {
                if let first = items[..<second].firstIndex(where: { tape.sameValue($0, items[second]) }) { return (first, second) }
            }
            return nil
        }
        var seen: [Int: [Int]] = [:]
        seen.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let hash = tape.valueHash(item)
            if let first = seen[hash]?.first(where: { tape.sameValue(items[$0], item) }) { return (first, index) }
            seen[hash, default: []].append(index)
        }
        return nil
    }

    private func checkObject(_ node: Int, _ schema: WebexSchema) {
        guard !schema.properties.isEmpty || !schema.required.isEmpty else { return }
        let layout = layout(of: node, for: schema)
        // The item's own members are weighed by whether the mapping reads them; what is below
        // one weighs as that member.
        let isItem = path.isEmpty
        for (position, (key, kind)) in zip(tape.keys(of: node), layout.members).enumerated() {
            if isItem {
                guard describing || layout.read[position] else { continue }
                (weight, itemMember) = (layout.read[position] ? .error : .unreadField, key)
            }
            switch kind {
            case .checked(let memberSchema):
                if isItem, weight == .error, tape.kind(key + 1) == .null, !schema.required.contains(tape.string(key)) {
                    weight = .nullReadAsAbsent
                }
                path.append(.key(node: key))
                check(key + 1, memberSchema)
                path.removeLast()
            case .repeated:
                path.append(.key(node: key))
                report("appears twice in this object")
                path.removeLast()
            case .undescribed:
                break
            }
        }
        if isItem { (weight, itemMember) = (.error, nil) }
        for (name, read) in layout.missing {
            if isItem {
                guard describing || read else { continue }
                weight = read ? .error : .unreadField
            }
            report("required by Cisco's schema, missing", below: WebexInputProblem.step(name), in: isItem ? name : nil)
        }
        if isItem { weight = .error }
    }

    private func layout(of object: Int, for schema: WebexSchema) -> Layout {
        let id = LayoutKey(schema: ObjectIdentifier(schema), keys: tape.keySignature(of: object))
        if let cached = layouts[id], tape.sameKeys(cached.object, object) { return cached }
        // Names compared as bytes, as JSON compares them (not by Unicode equivalence).
        var seen: Set<ArraySlice<UInt8>> = []
        let members = tape.keys(of: object).map { key -> Layout.Member in
            let name = tape.utf8(key)
            guard seen.insert(name).inserted else { return .repeated }
            return schema.properties[name].map { .checked($0) } ?? .undescribed
        }
        let layout = Layout(
            object: object, members: members, read: tape.keys(of: object).map { reading.contains(tape.string($0)) },
            missing: schema.required.filter { !seen.contains(ArraySlice($0.utf8)) }.map { ($0, reading.contains($0)) })
        layouts[id] = layout
        return layout
    }

    /// Notes a problem at the current path (and `suffix` below it), in the item's member being
    /// checked or in `field`.
    private func report(_ message: @autoclosure () -> String, below suffix: String = "", in field: String? = nil) {
        guard describing else {
            if weight == .error { found = true }
            return
        }
        var text = ""
        for step in path {
            switch step {
            case .key(let node): text += WebexInputProblem.step(tape.string(node))
            case .index(let index): text += "[\(index)]"
            }
        }
        problems.append(Problem(path: text + suffix, message: message(), weight: weight, field: field ?? itemMember.map(tape.string)))
    }

    /// A value as JSON, cut short: messages quote it, and a terminal never sees a raw control
    /// character (JSON escapes them).
    private func shown(_ node: Int) -> String {
        let text = JSON(tape, node: node).rendered()
        return text.count <= 60 ? text : String(text.prefix(59)) + "…"
    }

    private static func shown(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
