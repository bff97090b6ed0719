import OutboundConfig

/// One list read from the tenant: every page of it, its items checked, and the file it becomes.
struct PulledList: Sendable {
    var summary: WebexPull.ListSummary
    var problems: [WebexInputProblem] = []
    var fileBytes: [UInt8] = []

    /// An item as the tenant sent it.
    private struct Item: Sendable {
        var id: String
        var text: ArraySlice<UInt8>
        /// A queue the list gave without `callDistributionGroups`.
        var wantsWholeRead: Bool
    }

    /// A page's items and the totals it claims.
    private struct Page: Sendable {
        var number: Int
        var items: [Item]
        var totalPages: Int
        var totalRecords: Int?
    }

    /// Why a list could not be read as one consistent list: read again, once.
    private struct Moved: Error {
        var reason: String
    }

    /// A bound on the pages a list may claim: a hostile or broken answer must not send the
    /// pull on for ever (a million pages of 100 is a hundred million items).
    static let maximumPages = 1_000_000

    static func read(_ resource: WebexResource, client: WebexClient, pageSize: Int) async throws -> PulledList {
        var summary = WebexPull.ListSummary(resource: resource)
        var pages: [Page]
        do {
            pages = try await readPages(resource, client: client, pageSize: pageSize)
        } catch let moved as Moved {
            summary.readAgain = true
            do {
                pages = try await readPages(resource, client: client, pageSize: pageSize)
            } catch let again as Moved {
                throw WebexAPIError.tenantChanged(list: resource.listPath, reason: "\(moved.reason); then \(again.reason)")
            }
        }
        if resource == .queue {
            summary.readWhole = try await readWhole(&pages, client: client)
        }
        summary.pages = pages.count
        var list = PulledList(summary: summary)
        list.check(pages, resource)
        list.fileBytes = Self.file(pages.flatMap(\.items))
        list.summary.items = pages.reduce(0) { $0 + $1.items.count }
        return list
    }

    /// Page 0, then the rest a few at a time. A list moved when a page's `totalRecords` differs
    /// from page 0's or an id comes twice.
    private static func readPages(_ resource: WebexResource, client: WebexClient, pageSize: Int) async throws -> [Page] {
        let first = try await page(0, of: resource, client: client, pageSize: pageSize, expectedPages: nil)
        var pages = [first]
        let rest = Array(1..<max(first.totalPages, 1))
        for start in stride(from: 0, to: rest.count, by: WebexPull.pagesInFlight) {
            let batch = rest[start..<min(start + WebexPull.pagesInFlight, rest.count)]
            try await withThrowingTaskGroup(of: Page.self) { group in
                for number in batch {
                    group.addTask {
                        try await page(number, of: resource, client: client, pageSize: pageSize, expectedPages: first.totalPages)
                    }
                }
                for try await page in group { pages.append(page) }
            }
        }
        pages.sort { $0.number < $1.number }
        var seen: [String: Int] = [:]
        for page in pages {
            if page.totalRecords != first.totalRecords {
                throw Moved(
                    reason:
                        "page \(page.number) counts \(page.totalRecords.map(String.init) ?? "no") records, page 0 \(first.totalRecords.map(String.init) ?? "none")"
                )
            }
            if page.totalPages != first.totalPages {
                throw Moved(reason: "page \(page.number) counts \(page.totalPages) pages, page 0 \(first.totalPages)")
            }
            for item in page.items where !item.id.isEmpty {
                if let earlier = seen.updateValue(page.number, forKey: item.id) {
                    throw Moved(reason: "id \(WebexEndpoint.shown(item.id)) is on page \(earlier) and page \(page.number)")
                }
            }
        }
        return pages
    }

    private static func page(_ number: Int, of resource: WebexResource, client: WebexClient, pageSize: Int, expectedPages: Int?) async throws
        -> Page
    {
        let answer = try await client.get(resource.listPath, query: [("page", "\(number)"), ("pageSize", "\(pageSize)")]) { tape in
            Self.problem(ofPage: number, in: tape, expectedPages: expectedPages)
        }
        client.notePage()
        let tape = answer.tape
        let meta = tape.member("meta", of: tape.root)!
        let data = tape.member("data", of: tape.root)!
        let items = tape.items(of: data).map { node in
            Item(
                id: tape.kind(node) == .object
                    ? tape.member("id", of: node).flatMap { tape.kind($0) == .string || tape.kind($0) == .escapedString ? tape.string($0) : nil }
                        ?? "" : "",
                text: tape.kind(node) == .object || tape.kind(node) == .array
                    ? tape.text(ofContainer: node) : ArraySlice(JSON(tape, node: node).rendered().utf8),
                wantsWholeRead: resource == .queue && tape.kind(node) == .object && tape.member("callDistributionGroups", of: node) == nil)
        }
        return Page(
            number: number, items: items, totalPages: Self.integer(tape, "totalPages", of: meta)!,
            totalRecords: Self.integer(tape, "totalRecords", of: meta))
    }

    /// Why an answer is not page `number` of a list (SPEC §10: answers are untrusted input); the
    /// client retries such an answer like a 5xx.
    private static func problem(ofPage number: Int, in tape: JSONTape, expectedPages: Int?) -> String? {
        guard tape.kind(tape.root) == .object else { return "the answer is not a list page (an object with meta and data)" }
        guard let meta = tape.member("meta", of: tape.root), tape.kind(meta) == .object else { return "the answer has no meta object" }
        guard let totalPages = integer(tape, "totalPages", of: meta), totalPages >= 0, totalPages <= maximumPages else {
            return "the answer's meta.totalPages is not a number of pages from 0 to \(maximumPages)"
        }
        if let records = tape.member("totalRecords", of: meta), integer(tape, "totalRecords", of: meta) == nil || tape.kind(records) != .number {
            return "the answer's meta.totalRecords is not a whole number"
        }
        guard let data = tape.member("data", of: tape.root), tape.kind(data) == .array else { return "the answer has no data array" }
        if tape.count(data) == 0, number < (expectedPages ?? totalPages) {
            return "page \(number) came back empty, though the list claims \(expectedPages ?? totalPages) pages"
        }
        return nil
    }

    private static func integer(_ tape: JSONTape, _ name: String, of object: Int) -> Int? {
        guard let node = tape.member(name, of: object), tape.kind(node) == .number, tape.isWholeNumber(node) else { return nil }
        return Int(tape.numberText(node))
    }

    /// Queues listed without `callDistributionGroups` (Cisco's own list examples carry none),
    /// read whole with `GET contact-service-queue/{id}`; returns how many.
    private static func readWhole(_ pages: inout [Page], client: WebexClient) async throws -> Int {
        let wanted = pages.indices.flatMap { page in pages[page].items.indices.map { (page, $0) } }
            .filter { pages[$0.0].items[$0.1].wantsWholeRead && !pages[$0.0].items[$0.1].id.isEmpty }
        for start in stride(from: 0, to: wanted.count, by: WebexPull.pagesInFlight) {
            let batch = wanted[start..<min(start + WebexPull.pagesInFlight, wanted.count)]
            try await withThrowingTaskGroup(of: (Int, Int, ArraySlice<UInt8>).self) { group in
                for (page, index) in batch {
                    let id = pages[page].items[index].id
                    group.addTask {
                        let answer = try await client.get("contact-service-queue/\(WebexEndpoint.segment(id))") { tape in
                            tape.kind(tape.root) == .object ? nil : "the answer is not a queue (an object)"
                        }
                        return (page, index, answer.tape.text(ofContainer: answer.tape.root))
                    }
                }
                for try await (page, index, text) in group {
                    pages[page].items[index].text = text
                    pages[page].items[index].wantsWholeRead = false
                }
            }
        }
        return wanted.count
    }

    /// Checks each page's items as `import webex` checks a file, located by the request that
    /// read them (`v2/user?page=3: $.data[5].email`).
    private mutating func check(_ pages: [Page], _ resource: WebexResource) {
        for page in pages {
            var bytes = Array(#"{"data":["#.utf8)
            for (index, item) in page.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += item.text
            }
            bytes += "]}".utf8
            problems += resource.problems(ofListResponse: bytes, label: "\(resource.listPath)?page=\(page.number)")
        }
    }

    /// The list's file: the paged envelope, items sorted by id, one a line, so an unchanged
    /// tenant pulls to the same bytes whatever order its pages came in.
    private static func file(_ items: [Item]) -> [UInt8] {
        let sorted = items.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        var bytes = Array(
            #"{"meta":{"page":0,"pageSize":\#(sorted.count),"totalPages":\#(sorted.isEmpty ? 0 : 1),"totalRecords":\#(sorted.count)},"data":["#.utf8)
        for (index, item) in sorted.enumerated() {
            bytes += index == 0 ? "\n".utf8 : ",\n".utf8
            bytes += item.text
        }
        bytes += "\n]}\n".utf8
        return bytes
    }
}
