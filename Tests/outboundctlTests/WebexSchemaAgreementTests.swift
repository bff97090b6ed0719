import Foundation
import OutboundConfig
import OutboundWebex
import XCTest

/// `import webex` and a real OpenAPI validator judge the same exports alike. SPEC §9: a schema
/// problem in a field the mapping reads (the item's member its JSON path starts with, or a
/// missing required member of that name) refuses the item, at its JSON path; one in a field the
/// mapping does not read is a warning, counted per list and field, and the item is imported.
/// Items of the fixture tenant are changed at random (a value of another type, null, one past a
/// length or a bound, off a pattern or out of an enumeration, a repeated array item, a removed
/// member, or a change the schema allows). The items the real binary refuses must be exactly
/// those with a validator error (scripts/webex-fixture-check.py, Python's
/// openapi-schema-validator) in a read field; with those put back, the binary must import the
/// rest and count, per list and field, exactly the items the validator finds at fault there.
/// The changes avoid where the two differ on purpose (docs/webex.md): Python's `\s` and `\d`
/// beyond ASCII, its `$` before a final new line, and a `null` in a member the mapping reads,
/// which the import reads as absent when Cisco's schema does not require the member
/// (WebexImportTests covers that).
final class WebexSchemaAgreementTests: XCTestCase {
    private let tenant = repositoryRoot.appendingPathComponent("Tests/Fixtures/webex/tenant")

    /// An item of the export: its file and position in the file's list.
    private struct Item: Hashable, Comparable, CustomStringConvertible {
        var file: String
        var index: Int
        var description: String { "\(file)[\(index)]" }
        static func < (a: Item, b: Item) -> Bool { (a.file, a.index) < (b.file, b.index) }
        /// Before `other` in the import's order: by page, then position.
        func precedes(_ other: Item) -> Bool {
            (WebexResource.parse(fileName: file)!.page, index) < (WebexResource.parse(fileName: other.file)!.page, other.index)
        }
    }

    /// `$[3]…` or `$.data[3]…`: the item a JSON path is in, and the rest of the path.
    private func item(_ file: String, _ jsonPath: String) -> (item: Item, rest: Substring)? {
        let rest = jsonPath.hasPrefix("$.data[") ? jsonPath.dropFirst(7) : jsonPath.hasPrefix("$[") ? jsonPath.dropFirst(2) : nil
        guard let rest, let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]) else { return nil }
        return (Item(file: file, index: index), rest[rest.index(after: close)...])
    }

    /// What the validator found, weighed by SPEC §9's rule: the items with an error, and per
    /// list and field ("user.createdTime") the items with a warning there.
    private struct Verdicts {
        var errors: Set<Item> = []
        var warnings: [String: Set<Item>] = [:]
    }

    private func validatorVerdicts(_ directory: URL) throws -> Verdicts {
        let checked = try runProgram("/usr/bin/env", ["python3", "scripts/webex-fixture-check.py", directory.path])
        XCTAssertTrue(checked.status == 0 || checked.status == 1, checked.stdout + checked.stderr)
        var verdicts = Verdicts()
        for line in checked.stdout.split(separator: "\n") where checked.status == 1 {
            let parts = line.split(separator: ": ", maxSplits: 2).map(String.init)
            guard parts.count == 3, let (item, rest) = item(parts[0], parts[1]) else { continue }
            let field: String
            if let member = rest.dropFirst().split(whereSeparator: { $0 == "." || $0 == "[" }).first, rest.hasPrefix(".") {
                field = String(member)
            } else if let match = parts[2].firstMatch(of: /^'(.+)' is a required property$/) {
                field = String(match.1)
            } else if parts[2].hasPrefix("Additional properties are not allowed") {
                // The check script closes objects to keep fixtures honest; the import allows
                // members the schema does not describe, and lists them.
                continue
            } else {
                verdicts.errors.insert(item)
                continue
            }
            let resource = WebexResource.parse(fileName: item.file)!.resource
            if resource.mappedFields.contains(field) {
                verdicts.errors.insert(item)
            } else {
                verdicts.warnings["\(resource.rawValue).\(field)", default: []].insert(item)
            }
        }
        return verdicts
    }

    private func write(_ files: [String: JSON]) throws -> URL {
        // extra.yaml names entry points and queues; without it nothing but the lists is read.
        let directory = try temporaryDirectory(self)
        for (name, json) in files { try Data(json.rendered().utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    private func importJSON(_ directory: URL) throws -> (status: Int32, json: [String: Any], stderr: String) {
        let imported = try outboundctl([
            "import", "webex", directory.path, "--out", directory.appendingPathComponent("out").path, "--format", "json",
        ])
        return (imported.status, try XCTUnwrap(imported.json, imported.stdout + imported.stderr), imported.stderr)
    }

    func testTheImportRefusesAndWarnsExactlyWhereCiscosValidatorFindsProblems() throws {
        var random = SeededGenerator(state: 20_261_203)
        let names = try FileManager.default.contentsOfDirectory(atPath: tenant.path).filter { $0.hasSuffix(".json") }.sorted()
        let originals = try Dictionary(
            uniqueKeysWithValues: names.map { name in
                (name, try JSON.parse(String(decoding: Data(contentsOf: tenant.appendingPathComponent(name)), as: UTF8.self)))
            })
        var refusedInAll = 0
        var warnedInAll = 0
        var acceptedChangesInAll = 0
        for round in 0..<8 {
            var files = originals
            var changed: [Item: [String]] = [:]
            for _ in 0..<30 {
                let name = names.randomElement(using: &random)!
                var items = Self.items(of: files[name]!)
                let index = Int.random(in: 0..<items.count, using: &random)
                let resource = WebexResource.parse(fileName: name)!.resource
                if let change = Self.change(&items[index], keeping: resource.mappedFields, using: &random) {
                    changed[Item(file: name, index: index), default: []].append(change)
                    files[name] = Self.replacingItems(of: files[name]!, with: items)
                }
            }
            let log = changed.keys.sorted().map { "\($0): \(changed[$0]!.joined(separator: "; "))" }.joined(separator: "\n")

            let directory = try write(files)
            let theirs = try validatorVerdicts(directory)
            let imported = try importJSON(directory)
            let problems = imported.json["problems"] as? [[String: Any]] ?? []
            let ours = Set(
                problems.compactMap { problem -> Item? in
                    guard problem["severity"] as? String == "error", let file = problem["file"] as? String, let path = problem["jsonPath"] as? String
                    else { return nil }
                    return item(file, path)?.item
                })
            XCTAssertEqual(imported.status, ours.isEmpty ? 0 : 1, imported.stderr)
            XCTAssertEqual(ours.sorted(), theirs.errors.sorted(), "round \(round), changes:\n\(log)\nimport said:\n\(imported.stderr)")
            XCTAssertTrue(theirs.errors.isSubset(of: changed.keys), "an unchanged item was refused: \(theirs.errors.subtracting(changed.keys))")

            // The refused items as they were: the rest imports, with the validator's warnings counted.
            for item in theirs.errors {
                var items = Self.items(of: files[item.file]!)
                items[item.index] = Self.items(of: originals[item.file]!)[item.index]
                files[item.file] = Self.replacingItems(of: files[item.file]!, with: items)
            }
            let kept = try write(files)
            let theirWarnings = try validatorVerdicts(kept)
            XCTAssertEqual(theirWarnings.errors, [], "round \(round)")
            let accepted = try importJSON(kept)
            XCTAssertEqual(accepted.status, 0, "round \(round), changes:\n\(log)\nimport said:\n\(accepted.stderr)")
            let counted = try XCTUnwrap(accepted.json["schemaWarnings"] as? [[String: Any]])
            let ourCounts = Dictionary(
                uniqueKeysWithValues: counted.map { warning in
                    let first = item(warning["file"] as! String, warning["jsonPath"] as! String)!.item
                    return ("\(warning["resource"]!).\(warning["field"]!)", "\(warning["items"]!) items, first \(first)")
                })
            let theirCounts = theirWarnings.warnings.mapValues { items in
                "\(items.count) items, first \(items.min { $0.precedes($1) }!)"
            }
            XCTAssertEqual(ourCounts, theirCounts, "round \(round), changes:\n\(log)")
            XCTAssertTrue(counted.allSatisfy { $0["reason"] as? String == "not-read" }, "\(counted)")
            let warned = theirWarnings.warnings.values.reduce(into: Set<Item>()) { $0.formUnion($1) }
            XCTAssertTrue(warned.isSubset(of: changed.keys), "an unchanged item was warned about: \(warned.subtracting(changed.keys))")

            refusedInAll += theirs.errors.count
            warnedInAll += warned.count
            acceptedChangesInAll += changed.count - theirs.errors.count - warned.count
        }
        // The changes reach every verdict, so agreeing means something.
        XCTAssertGreaterThan(refusedInAll, 40)
        XCTAssertGreaterThan(warnedInAll, 40)
        XCTAssertGreaterThan(acceptedChangesInAll, 20)
    }

    private static func items(of file: JSON) -> [JSON] {
        switch file {
        case .array(let items): items
        case .object: if case .array(let items)? = file["data"] { items } else { [] }
        default: []
        }
    }

    private static func replacingItems(of file: JSON, with items: [JSON]) -> JSON {
        guard case .object(var members) = file else { return .array(items) }
        members[members.firstIndex { $0.0 == "data" }!].1 = .array(items)
        return .object(members)
    }

    /// Ids and the members that hold other items' ids or names are left alone: changing them
    /// would break references, which the import checks and the schema cannot.
    private static func isReference(_ key: String) -> Bool {
        key == "id" || key.hasSuffix("Id") || key.hasSuffix("Ids") || key == "entryPoints" || key == "wrapUpCodes"
    }

    /// Changes one value somewhere in `item` and says what it did; nil when nothing was there
    /// to change. Members the mapping reads are not removed (the import needs them whether or
    /// not Cisco's schema does), nor set to null (read as absent where the schema allows it).
    private static func change(_ item: inout JSON, keeping mapped: Set<String>, using random: inout SeededGenerator) -> String? {
        // Every place in the item, the item itself first: the steps to it.
        var places: [[Step]] = []
        func collect(_ value: JSON, _ path: [Step]) {
            switch value {
            case .object(let members):
                for (key, member) in members where !isReference(key) {
                    places.append(path + [.key(key)])
                    collect(member, path + [.key(key)])
                }
            case .array(let items):
                for (index, item) in items.enumerated() {
                    places.append(path + [.index(index)])
                    collect(item, path + [.index(index)])
                }
            default: break
            }
        }
        places.append([])
        collect(item, [])
        guard let path = places.randomElement(using: &random) else { return nil }
        var description = ""
        func changed(_ value: JSON) -> JSON? {
            let options: [JSON?]
            switch value {
            case .string:
                options = [
                    .int(12345), .null, .string(String(repeating: "a", count: 300)), .string("Ação"), .string("NOT_A_VALUE"), .string(""),
                    .string("Harbor 2"),
                ]
            case .int(let number):
                options = [.string(String(number)), .number(Double(number) + 0.5), .int(1 << 40), .int(-5), .int(20_000), .null, .int(number + 1)]
            case .bool(let flag):
                options = [.string("yes"), .int(1), .null, .bool(!flag)]
            case .array(let items):
                options = [items.first.map { .array(items + [$0]) }, .object([]), .array([]), .string("x")]
            case .object(let members):
                let removable = members.indices.filter { !isReference(members[$0].0) && (!path.isEmpty || !mapped.contains(members[$0].0)) }
                var fewer = members
                if let gone = removable.randomElement(using: &random) { fewer.remove(at: gone) }
                options = [.array([]), removable.isEmpty ? nil : .object(fewer), .string("x")]
            default:
                options = [.string("x"), .int(0)]
            }
            let isReadMember = path.count == 1 && { if case .key(let key) = path[0] { mapped.contains(key) } else { false } }()
            guard let choice = options.compactMap({ $0 }).filter({ !isReadMember || $0 != .null }).randomElement(using: &random) else { return nil }
            description = "\(path.map(\.text).joined()) \(value.rendered().prefix(40)) → \(choice.rendered().prefix(40))"
            return choice
        }
        guard Self.update(&item, at: path[...], with: changed) else { return nil }
        return description
    }

    private enum Step {
        case key(String)
        case index(Int)
        var text: String {
            switch self {
            case .key(let key): ".\(key)"
            case .index(let index): "[\(index)]"
            }
        }
    }

    private static func update(_ value: inout JSON, at path: ArraySlice<Step>, with change: (JSON) -> JSON?) -> Bool {
        guard let step = path.first else {
            guard let new = change(value) else { return false }
            value = new
            return true
        }
        switch (step, value) {
        case (.key(let key), .object(var members)):
            guard let index = members.firstIndex(where: { $0.0 == key }), update(&members[index].1, at: path.dropFirst(), with: change) else {
                return false
            }
            value = .object(members)
            return true
        case (.index(let index), .array(var items)):
            guard update(&items[index], at: path.dropFirst(), with: change) else { return false }
            value = .array(items)
            return true
        default:
            return false
        }
    }
}
