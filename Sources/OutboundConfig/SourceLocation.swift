import Foundation

/// A 1-based position in a configuration file. Every diagnostic and every gate check points at
/// one, so an admin can jump straight to the node that decided the answer.
///
/// The file name is interned: a location is three integers, so the hundreds of thousands of
/// located values of a large tenant copy without reference counting.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var fileIndex: Int32
    private var line32: Int32
    private var column32: Int32

    public init(file: String, line: Int, column: Int) {
        self.fileIndex = FileNames.shared.index(of: file)
        self.line32 = Int32(clamping: line)
        self.column32 = Int32(clamping: column)
    }

    init(fileIndex: Int32, line: Int32, column: Int32) {
        self.fileIndex = fileIndex
        self.line32 = line
        self.column32 = column
    }

    var fileIndexValue: Int32 { fileIndex }

    public var file: String { FileNames.shared.name(at: fileIndex) }
    public var line: Int { Int(line32) }
    public var column: Int { Int(column32) }

    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file name, line, column. (File indexes depend on which thread saw a file
    /// first, so they only serve as a fast equality check.)
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.fileIndex != rhs.fileIndex {
            return lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8)
        }
        return (lhs.line32, lhs.column32) < (rhs.line32, rhs.column32)
    }
}

/// The process-wide table of file names behind `SourceLocation`.
final class FileNames: @unchecked Sendable {
    static let shared = FileNames()

    private let lock = NSLock()
    private var names: [String] = []
    private var indexes: [String: Int32] = [:]

    func index(of name: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let index = indexes[name] { return index }
        let index = Int32(names.count)
        names.append(name)
        indexes[name] = index
        return index
    }

    func name(at index: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return names[Int(index)]
    }

    /// Every name so far.
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return names
    }
}

/// A value together with the place in the files it came from.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
