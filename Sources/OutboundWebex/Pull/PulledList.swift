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
        /// A queue the list gave without `callDistributionGroups` (or with `null` there).
        var wantsWholeRead: Bool
    }

    /// A page's items and the totals it claims.
    private struct Page: Sendable {
        var number: Int
        var items: [Item]
        /// Nil when the tenant does not say: the list then ends at its first empty page.
        var totalPages: Int?
        var totalRecords: Int?
    }

    /// Why a list could not be read as one consistent list: read again, once.
    private struct Moved: Error {
        var reason: String
    }

    /// A bound on the pages a list may claim or be read to: a hostile or broken answer must not
    /// send the pull on for ever (a million pages of 100 is a hundred million items).
    static let maximumPages = 1_000_000

    static func read(_ resource: WebexResource, client: WebexClient, pageSize: Int) async throws -> PulledList {
        var summary = WebexPull.ListSummary(resource: resource)
        var pages: [Page]
        do {
            pages = try await readOnce(resource, client: client, pageSize: pageSize, summary: &summary)
        } catch let moved as Moved {
            summary.readAgain = true
            do {
                pages = try await readOnce(resource, client: client, pageSize: pageSize, summary: &summary)
            } catch let again as Moved {
                throw WebexAPIError.tenantChanged(list: resource.listPath, reason: "\(moved.reason); then \(again.reason)")
            }
        }
        summary.pages = pages.count
        summary.items = pages.reduce(0) { $0 + $1.items.count }
        var check = WebexListCheck(resource)
        var ids: [String: [String]] = [:]
        for page in pages {
            var bytes = Array(#"{"data":["#.utf8)
            for (index, item) in page.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += item.text
            }
            bytes += "]}".utf8
            let label = "\(resource.listPath)?page=\(page.number)"
            check.check(page: bytes, label: label)
            ids[label] = page.items.map(\.id)
        }
        let problems = check.problems.map { identified($0, ids: ids) }
        return PulledList(summary: summary, problems: problems, fileBytes: file(pages.flatMap(\.items)))
    }

    /// A problem of an item with the item's id added: a page's order is the API's, not the
    /// written file's, and the id is what the admin looks the entity up by.
    private static func identified(_ problem: WebexInputProblem, ids: [String: [String]]) -> WebexInputProblem {
        let prefix = "$.data["
        guard problem.jsonPath.hasPrefix(prefix), let close = problem.jsonPath.firstIndex(of: "]"),
            let index = Int(problem.jsonPath[problem.jsonPath.index(problem.jsonPath.startIndex, offsetBy: prefix.count)..<close]),
            let id = ids[problem.file]?[safe: index], !id.isEmpty
        else { return problem }
        var problem = problem
        problem.message += " (the item with id \(WebexEndpoint.shown(id)))"
        return problem
    }

    /// The list's pages, and for queues the whole queues the list left without distribution
    /// groups; `Moved` when the list changed meanwhile.
    private static func readOnce(_ resource: WebexResource, client: WebexClient, pageSize: Int, summary: inout WebexPull.ListSummary) async throws
        -> [Page]
    {
        var pages = try await readPages(resource, client: client, pageSize: pageSize)
        if resource == .queue { summary.readWhole = try await readWhole(&pages, client: client) }
        return pages
    }

    /// Page 0, then the rest a few at a time; without `meta.totalPages`, one at a time to the
    /// first empty page. A list moved when a page's totals differ from page 0's or an id comes
    /// twice.
    private static func readPages(_ resource: WebexResource, client: WebexClient, pageSize: Int) async throws -> [Page] {
        let first = try await page(0, of: resource, client: client, pageSize: pageSize)
        var pages = [first]
        if let totalPages = first.totalPages {
            let rest = Array(1..<max(totalPages, 1))
            for start in stride(from: 0, to: rest.count, by: WebexPull.requestsInFlight) {
                let batch = rest[start..<min(start + WebexPull.requestsInFlight, rest.count)]
                try await withThrowingTaskGroup(of: Page.self) { group in
                    for number in batch {
                        group.addTask { try await page(number, of: resource, client: client, pageSize: pageSize) }
                    }
                    for try await page in group { pages.append(page) }
                }
            }
        } else {
            while let last = pages.last, !last.items.isEmpty, last.number + 1 < maximumPages {
                pages.append(try await page(last.number + 1, of: resource, client: client, pageSize: pageSize))
            }
            if pages.count > 1, pages.last?.items.isEmpty == true { pages.removeLast() }
        }
        pages.sort { $0.number < $1.number }
        var seen: [String: Int] = [:]
        for page in pages {
            if page.totalRecords != first.totalRecords {
                throw Moved(reason: "page \(page.number) counts \(describe(page.totalRecords)) records, page 0 \(describe(first.totalRecords))")
            }
            if page.totalPages != first.totalPages {
                throw Moved(reason: "page \(page.number) counts \(describe(page.totalPages)) pages, page 0 \(describe(first.totalPages))")
            }
            for item in page.items where !item.id.isEmpty {
                if let earlier = seen.updateValue(page.number, forKey: item.id) {
                    throw Moved(reason: "id \(WebexEndpoint.shown(item.id)) is on page \(earlier) and page \(page.number)")
                }
            }
        }
        return pages
    }

    private static func describe(_ count: Int?) -> String { count.map(String.init) ?? "no" }

    private static func page(_ number: Int, of resource: WebexResource, client: WebexClient, pageSize: Int) async throws -> Page {
        let answer: WebexClient.Answer
        do {
            answer = try await client.get(resource.listPath, query: [("page", "\(number)"), ("pageSize", "\(pageSize)")]) { tape in
                Self.problem(ofPage: number, in: tape)
            }
        } catch WebexAPIError.failed(let request, 404?, let trackingId, let reason, let tries) {
            // Every list exists in every tenant: a list not found is an organisation not found.
            throw WebexAPIError.failed(
                request: request, status: 404, trackingId: trackingId,
                reason: "\(reason) (is --org right? the organisation is in every path)", tries: tries)
        }
        client.notePage()
        let tape = answer.tape
        let meta = tape.member("meta", of: tape.root)
        let data = tape.member("data", of: tape.root)!
        let items = tape.items(of: data).map { node in
            let isObject = tape.kind(node) == .object
            let id =
                isObject ? tape.member("id", of: node).flatMap { [.string, .escapedString].contains(tape.kind($0)) ? tape.string($0) : nil } : nil
            let groups = isObject ? tape.member("callDistributionGroups", of: node) : nil
            return Item(
                id: id ?? "",
                text: isObject || tape.kind(node) == .array ? tape.text(ofContainer: node) : ArraySlice(JSON(tape, node: node).rendered().utf8),
                wantsWholeRead: resource == .queue && isObject && (groups == nil || tape.kind(groups!) == .null))
        }
        return Page(
            number: number, items: items, totalPages: meta.flatMap { integer(tape, "totalPages", of: $0) },
            totalRecords: meta.flatMap { integer(tape, "totalRecords", of: $0) })
    }

    /// Why an answer is not a list page (SPEC §10: answers are untrusted input); the client
    /// retries such an answer like a 5xx. A page that is empty though its own `totalPages` says
    /// there are more is one: a list cannot claim pages it does not have. A page whose totals
    /// differ from page 0's is not: the list moved, and is read again.
    private static func problem(ofPage number: Int, in tape: JSONTape) -> String? {
        guard tape.kind(tape.root) == .object else { return "the answer is not a list page (an object with data)" }
        var totalPages: Int?
        if let meta = tape.member("meta", of: tape.root), tape.kind(meta) == .object, let pages = tape.member("totalPages", of: meta),
            tape.kind(pages) != .null
        {
            guard let count = integer(tape, "totalPages", of: meta), count >= 0, count <= maximumPages else {
                return "the answer's meta.totalPages is not a number of pages from 0 to \(maximumPages)"
            }
            totalPages = count
        }
        guard let data = tape.member("data", of: tape.root), tape.kind(data) == .array else { return "the answer has no data array" }
        if let totalPages, tape.count(data) == 0, number < totalPages {
            return "page \(number) came back empty, though the list claims \(totalPages) pages"
        }
        return nil
    }

    /// A whole number the tenant sent, if it is one that fits.
    private static func integer(_ tape: JSONTape, _ name: String, of object: Int) -> Int? {
        guard tape.kind(object) == .object, let node = tape.member(name, of: object), tape.kind(node) == .number, tape.isWholeNumber(node)
        else { return nil }
        return Int(tape.numberText(node))
    }

    /// Queues listed without `callDistributionGroups` (Cisco's own list examples carry none),
    /// read whole with `GET contact-service-queue/{id}`; returns how many. A queue gone
    /// meanwhile (404) means the list moved.
    private static func readWhole(_ pages: inout [Page], client: WebexClient) async throws -> Int {
        let wanted = pages.indices.flatMap { page in pages[page].items.indices.map { (page, $0) } }
            .filter { pages[$0.0].items[$0.1].wantsWholeRead && !pages[$0.0].items[$0.1].id.isEmpty }
        for start in stride(from: 0, to: wanted.count, by: WebexPull.requestsInFlight) {
            let batch = wanted[start..<min(start + WebexPull.requestsInFlight, wanted.count)]
            try await withThrowingTaskGroup(of: (Int, Int, ArraySlice<UInt8>).self) { group in
                for (page, index) in batch {
                    let id = pages[page].items[index].id
                    group.addTask {
                        let answer: WebexClient.Answer
                        do {
                            answer = try await client.get("contact-service-queue/\(try WebexEndpoint.segment(id))") { tape in
                                guard tape.kind(tape.root) == .object else { return "the answer is not a queue (an object)" }
                                let answered = tape.member("id", of: tape.root).flatMap {
                                    tape.kind($0) == .null ? nil : JSON(tape, node: $0).stringValue
                                }
                                return answered == id ? nil : "the answer is another queue than the one asked for"
                            }
                        } catch WebexAPIError.failed(_, 404?, _, _, _) {
                            throw Moved(reason: "queue \(WebexEndpoint.shown(id)) was listed, then not found")
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

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
