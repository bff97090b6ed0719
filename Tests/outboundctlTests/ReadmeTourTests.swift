import Foundation
import XCTest

/// The README's tour ("Five minutes with examples/acme") tells a reader what each command
/// answers; a reader who runs it next month or in ten years must get those answers (issue #25:
/// acme's licences once ran for one calendar year, and the tour changed its answers on the next
/// 1 January). These tests read the claims from README.md and docs/reference.md themselves, run
/// the tour's commands as written through the built binary with the clock moved by Debian's
/// `faketime` to today and years ahead, and compare, so the README and the behaviour cannot
/// drift apart without a failure here.
final class ReadmeTourTests: XCTestCase {
    private static let faketime = "/usr/bin/faketime"

    /// Today and years ahead. acme's licences are chosen to keep their verdicts until 2099.
    private static let yearsAhead = [0, 1, 10, 30]

    /// Where each run happens: a copy of `examples/`, so the tour's relative paths and its
    /// default store `./outbound.sqlite` stay out of the repository.
    private var directory: URL!

    override func setUpWithError() throws {
        _ = try XCTUnwrap(
            FileManager.default.isExecutableFile(atPath: Self.faketime) ? Self.faketime : nil,
            "faketime is missing: apt-get install faketime (scripts/test.sh installs it)")
        // The wrapper's own runs clean up after themselves; what it can meet is left by others.
        removeStaleFaketimeObjects()
    }

    // MARK: What the documents say

    private static func document(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The README's section "Five minutes with examples/acme", up to the next heading.
    private static func tourSection() throws -> String {
        let readme = try document("README.md")
        let start = try XCTUnwrap(readme.range(of: "\n## Five minutes with examples/acme\n"), "README.md has no tour section")
        let rest = readme[start.upperBound...]
        let end = [rest.range(of: "\n## "), rest.range(of: "\n### ")].compactMap { $0?.lowerBound }.min() ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The fenced code blocks of `text`, in order.
    private static func codeBlocks(_ text: String) -> [String] {
        text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map { block in
            String(block.element.drop { $0 != "\n" }.dropFirst())  // without the info string (sh, text)
        }
    }

    /// One command of the tour and its comment, as README.md spells them.
    private struct TourLine {
        var command: String
        var claim: String
    }

    /// The `outboundctl` lines of the tour's first code block, split at their comment.
    private static func tourLines() throws -> [TourLine] {
        let block = try XCTUnwrap(codeBlocks(try tourSection()).first, "the tour has no code block")
        let lines = block.split(separator: "\n").map(String.init).filter { $0.hasPrefix("outboundctl ") }
        XCTAssertGreaterThanOrEqual(lines.count, 8, block)
        return lines.map { line in
            guard let hash = line.range(of: " # ") else { return TourLine(command: line.trimmingCharacters(in: .whitespaces), claim: "") }
            return TourLine(
                command: line[..<hash.lowerBound].trimmingCharacters(in: .whitespaces),
                claim: line[hash.upperBound...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// The README's code block of `matrix`'s last lines (the one of lines starting `sms:`).
    private static func matrixCounts() throws -> [String] {
        let block = try XCTUnwrap(codeBlocks(try tourSection()).first { $0.hasPrefix("sms:") }, "the tour shows no reason counts of matrix")
        return block.split(separator: "\n").map(String.init)
    }

    /// Every reason code of the gate: the last column of the checks table in docs/reference.md §3.
    private static func reasonCodes() throws -> Set<String> {
        let reference = try document("docs/reference.md")
        let section = try XCTUnwrap(reference.components(separatedBy: "\n## 3. ").dropFirst().first, "docs/reference.md has no §3")
        var codes = Set<String>()
        let table = section.components(separatedBy: "\n## ")[0].split(separator: "\n")
        for line in table where line.range(of: #"^\| \d+ \|"#, options: .regularExpression) != nil {
            codes.formUnion(matches(#"`([a-z-]+)`"#, in: String(line.split(separator: "|").last ?? "")).map { $0[1] })
        }
        XCTAssertGreaterThanOrEqual(codes.count, 10, "the table of §3 was read")
        return codes
    }

    /// Every match of `pattern` in `text`, each as its groups (0 the whole match).
    private static func matches(_ pattern: String, in text: String) -> [[String]] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    /// The first match of `pattern` in `text` as its groups; fails the test when there is none.
    private static func match(_ pattern: String, in text: String, line: UInt = #line) throws -> [String] {
        try XCTUnwrap(matches(pattern, in: text).first, "no \(pattern) in: \(text)", line: line)
    }

    // MARK: Running at a moved clock

    /// The instant `years` years from now, as faketime takes it (UTC), and its day.
    private static func instant(yearsAhead years: Int) throws -> (instant: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
        // Noon: the same day in Lisbon (acme's zone) as in UTC, whatever the hour of the run.
        let today = try XCTUnwrap(calendar.date(bySettingHour: 12, minute: 0, second: 0, of: Date()))
        let date = try XCTUnwrap(calendar.date(byAdding: .year, value: years, to: today))
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let text = formatter.string(from: date)
        return (text, String(text.prefix(10)))
    }

    /// A fresh copy of `examples/` to run in.
    private func freshExamples() throws -> URL {
        let directory = try temporaryDirectory(self)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("examples"), to: directory.appendingPathComponent("examples"))
        return directory
    }

    /// Runs a line of shell (the tour's spelling, quotes and all) in `directory` with the clock at
    /// `instant` and the built `outboundctl` first on the PATH, as the tour's `export` puts it.
    private func shell(_ command: String, at instant: String, in directory: URL) throws -> RunResult {
        let path = productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try runProgram(
            Self.faketime, [instant, "/bin/sh", "-c", command], in: directory,
            environment: ["TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1", "PATH": path])
    }

    /// Runs the built `outboundctl` with `arguments` in `directory` with the clock at `instant`.
    private func outboundctl(at instant: String, _ arguments: [String], in directory: URL) throws -> RunResult {
        try runProgram(
            Self.faketime, [instant, productsDirectory.appendingPathComponent("outboundctl").path] + arguments, in: directory,
            environment: ["TZ": "UTC", "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
    }

    // MARK: The tour

    func testTheTourAnswersAsTheReadmeSaysTodayAndYearsAhead() throws {
        let tour = try Self.tourLines()
        let counts = try Self.matrixCounts()
        let codes = try Self.reasonCodes()
        for years in Self.yearsAhead {
            let (instant, day) = try Self.instant(yearsAhead: years)
            let directory = try freshExamples()
            var explained: String?
            for line in tour {
                let run = try shell(line.command, at: instant, in: directory)
                let context = "\(line.command) at \(instant): \(run.stdout)\(run.stderr)"
                try check(line, run, context: context, day: day, directory: directory, codes: codes, counts: counts, explained: &explained)
            }
        }
    }

    /// Compares one run of a tour line with the claim of its comment.
    private func check(
        _ line: TourLine, _ run: RunResult, context: String, day: String, directory: URL, codes: Set<String>, counts: [String],
        explained: inout String?
    ) throws {
        let output = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch line.command {
        case let command where command.hasPrefix("outboundctl validate "):
            // "0 errors, 6 warnings: …": every count the comment gives is the summary's.
            let summary = output.last { !$0.isEmpty } ?? ""
            let said = Self.matches(#"(\d+) (error|warning)s?\b"#, in: line.claim)
            XCTAssertFalse(said.isEmpty, "the README gives no count for `\(command)`")
            let found = Dictionary(Self.matches(#"(\d+) (error|warning)s?\b"#, in: summary).map { ($0[2], $0[1]) }) { first, _ in first }
            for count in said { XCTAssertEqual(found[count[2]], count[1], "\(count[0]) — \(context)") }
            let errors = said.first { $0[2] == "error" }?[1]
            XCTAssertEqual(run.status, errors == "0" ? 0 : 1, context)
            let warnings = output.filter { $0.contains(": warning[") }
            if line.claim.contains("who pays for Premium in vain") {
                XCTAssertFalse(warnings.isEmpty, context)
                for warning in warnings { XCTAssertTrue(warning.contains("holds Premium licence"), "\(warning) — \(context)") }
            }
            if line.claim.contains("file:line:col") {
                let errorLines = output.filter { $0.contains(": error[") }
                XCTAssertFalse(errorLines.isEmpty, context)
                for error in errorLines {
                    let located = #"^examples/[a-z-]+/[a-z]+\.yaml:\d+:\d+: error\[OB\d{3}\]: "#
                    XCTAssertNotNil(error.range(of: located, options: .regularExpression), "located: \(error)")
                }
                XCTAssertTrue(output.contains { $0.range(of: #"^ *\| *\^"#, options: .regularExpression) != nil }, "a caret: \(context)")
                XCTAssertTrue(run.stdout.contains("did you mean"), "fix hints: \(context)")
            }
        case let command where command.hasPrefix("outboundctl plan "):
            // "60 creates; then whose outbound availability changes (10 agents)"
            let creates = try Self.match(#"(\d+) creates"#, in: line.claim)[1]
            let agents = try Self.match(#"\((\d+) agents\)"#, in: line.claim)[1]
            XCTAssertEqual(run.status, 0, context)
            XCTAssertTrue(output.contains("Outbound availability changes:"), context)
            let summary = "Plan: \(creates) to add, 0 to change, 0 to destroy; \(agents) agents change outbound availability."
            XCTAssertTrue(output.contains(summary), context)
        case let command where command.hasPrefix("outboundctl apply "):
            // "revision 1 in ./outbound.sqlite"
            let said = try Self.match(#"revision (\d+) in (\S+)"#, in: line.claim)
            XCTAssertEqual(run.status, 0, context)
            XCTAssertTrue(output.contains { $0.hasPrefix("Applied revision \(said[1]): ") }, context)
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(said[2]).path), context)
        case let command where command.hasPrefix("outboundctl explain ") && line.claim.hasPrefix("why not:"):
            // "why not: slot-manual, with the node to change": exactly those reasons, and a fix that names a node.
            let agent = command.split(separator: " ")[2]
            let channel = try Self.match(#"--channel (\w+)"#, in: command)[1]
            let reasons = Self.matches(#"[a-z]+(?:-[a-z]+)+"#, in: line.claim).map { $0[0] }.filter(codes.contains)
            XCTAssertFalse(reasons.isEmpty, "the README names no reason code: \(line.claim)")
            XCTAssertEqual(run.status, 1, context)
            let heading = output.first ?? ""
            XCTAssertTrue(heading.hasPrefix("\(agent) · \(channel) · team "), context)
            XCTAssertTrue(heading.hasSuffix(": NOT AVAILABLE (\(reasons.joined(separator: ", ")))"), context)
            XCTAssertTrue(output.contains { $0.range(of: #"^ +fix: [a-z]+\.yaml:\d+:\d+ "#, options: .regularExpression) != nil }, context)
            // The clock moved: the store's answer was judged on the faked day.
            XCTAssertEqual(output.last { !$0.isEmpty }, "(licences judged on \(day))", context)
            explained = heading
        case let command where command.hasPrefix("outboundctl explain ") && line.claim.hasPrefix("the same, from the files, both channels"):
            let agent = command.split(separator: " ")[2]
            let headings = output.filter { $0.hasPrefix("\(agent) · ") }
            let earlier = try XCTUnwrap(explained, "the tour explains from the store first")
            XCTAssertTrue(headings.contains(earlier), "the same answer as from the store: \(earlier) — \(context)")
            XCTAssertEqual(Set(headings.map { $0.split(separator: " ")[2] }), ["email", "sms"], "both channels: \(context)")
            XCTAssertTrue(run.stdout.contains("(examples/acme/agents.yaml:"), "from the files: \(context)")
            XCTAssertEqual(output.last { !$0.isEmpty }, "(licences judged on \(day))", context)
        case "outboundctl matrix":
            // The reason counts the README shows after the tour.
            XCTAssertEqual(run.status, 0, context)
            XCTAssertEqual(output.filter { $0.hasPrefix("sms: ") || $0.hasPrefix("email: ") }, counts, context)
        case "outboundctl history":
            let apply = try XCTUnwrap(try Self.tourLines().first { $0.command.hasPrefix("outboundctl apply ") })
            let message = try Self.match(#"-m "([^"]*)""#, in: apply.command)[1]
            XCTAssertEqual(run.status, 0, context)
            XCTAssertTrue(output.contains { $0.hasPrefix("1 ") && $0.hasSuffix(" \(message)") }, "the apply's revision: \(context)")
        default:
            XCTFail("the tour runs `\(line.command)` (\(line.claim)), which ReadmeTourTests does not check: add its claim here")
        }
    }

    /// "Change something — say remove `X` from `AGENT` in `FILE` — and `outboundctl plan …` shows
    /// the field change and that AGENT gains outbound CHANNEL": after the tour's apply, on each day.
    func testTheChangeTheReadmeSuggestsGainsTheChannelTodayAndYearsAhead() throws {
        let text = try Self.tourSection().replacingOccurrences(of: "\n", with: " ")
        let change = try Self.match(#"remove `([^`]+)` from `([^`]+)` in `([^`]+)`"#, in: text)
        let (removed, agent, file) = (change[1], change[2], change[3])
        let outcome = try Self.match(#"`(outboundctl plan [^`]+)` shows the field change and that (\S+) gains outbound (\w+)"#, in: text)
        XCTAssertEqual(outcome[2], agent)
        let field = try XCTUnwrap(removed.split(separator: ":").first.map(String.init))
        for years in Self.yearsAhead {
            let (instant, _) = try Self.instant(yearsAhead: years)
            let directory = try freshExamples()
            let apply = try outboundctl(at: instant, ["apply", "examples/acme"], in: directory)
            XCTAssertEqual(apply.status, 0, apply.stderr)
            let url = directory.appendingPathComponent(file)
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            XCTAssertEqual(lines.filter { $0.trimmingCharacters(in: .whitespaces) == removed }.count, 1, "one `\(removed)` in \(file)")
            let edited = lines.filter { $0.trimmingCharacters(in: .whitespaces) != removed }.joined(separator: "\n")
            try edited.write(to: url, atomically: true, encoding: .utf8)
            let plan = try shell(outcome[1], at: instant, in: directory)
            let context = "\(outcome[1]) at \(instant): \(plan.stdout)\(plan.stderr)"
            XCTAssertEqual(plan.status, 0, context)
            XCTAssertTrue(plan.stdout.contains("~ agents.\(agent)\n"), "the agent changes: \(context)")
            XCTAssertNotNil(plan.stdout.range(of: "\n +\(field): .* → \\(none\\)\n", options: .regularExpression), "the field change: \(context)")
            let gains = "\n +\(NSRegularExpression.escapedPattern(for: agent)) · [a-z0-9-]+ · \(outcome[3]): unavailable → available\n"
            XCTAssertNotNil(plan.stdout.range(of: gains, options: .regularExpression), "\(agent) gains outbound \(outcome[3]): \(context)")
        }
    }

    /// "the two tenant-wide reasons (`A`, `B`) … acme covers every other reason code and
    /// launch-day those two": every code of docs/reference.md §3, on each day.
    func testTheExamplesCoverTheReasonCodesAsTheReadmeSaysTodayAndYearsAhead() throws {
        let readme = try Self.document("README.md").replacingOccurrences(of: "\n", with: " ")
        let tenantWide = try Self.match(#"the two tenant-wide reasons \(`([a-z-]+)`, `([a-z-]+)`\)"#, in: readme)
        XCTAssertTrue(readme.contains("acme covers every other reason code and launch-day those two"), "the README's claim changed: adapt this test")
        let launchDayCodes: Set<String> = [tenantWide[1], tenantWide[2]]
        let codes = try Self.reasonCodes()
        XCTAssertTrue(launchDayCodes.isSubset(of: codes), "\(launchDayCodes) are reason codes of docs/reference.md §3")
        for years in Self.yearsAhead {
            let (instant, _) = try Self.instant(yearsAhead: years)
            let directory = try freshExamples()
            func reasons(_ arguments: [String], rows key: String) throws -> Set<String> {
                let run = try outboundctl(at: instant, arguments + ["--format", "json"], in: directory)
                let rows = try XCTUnwrap(run.json?[key] as? [[String: Any]], "\(arguments) at \(instant): \(run.stdout)\(run.stderr)")
                return Set(rows.flatMap { $0["reasons"] as? [String] ?? [] })
            }
            let launchDay = try reasons(["matrix", "examples/launch-day"], rows: "rows")
            XCTAssertTrue(launchDayCodes.isSubset(of: launchDay), "launch-day at \(instant) shows \(launchDay)")
            // acme: the matrix, an inactive agent (not in the matrix) and a runtime state (check 9).
            var acme = try reasons(["matrix", "examples/acme"], rows: "rows")
            acme.formUnion(try reasons(["explain", "luis.almeida", "examples/acme"], rows: "answers"))
            acme.formUnion(try reasons(["explain", "bruno.costa", "examples/acme", "--state", "engaged"], rows: "answers"))
            XCTAssertEqual(acme.union(launchDayCodes), codes, "acme at \(instant) shows \(acme.sorted())")
        }
    }
}
