import OutboundConfig

/// An item of a Webex list: every one carries the Webex id other items refer to it by.
public protocol WebexItem: Decodable, Sendable {
    /// The list items of this type are read from: its schema and the fields the mapping reads.
    static var resource: WebexResource { get }
    var id: String { get }
}

/// Where an item was read: its file and JSON path (`user.2.json`, `$.data[5]`), so a problem
/// found after decoding (a dangling reference, a repeated id) is located like a decoding one.
public struct WebexItemLocation: Hashable, Sendable {
    public var file: String
    public var jsonPath: String
}
