import Foundation

/// The clone the tests run in: fixtures are read from it, never from outside the repository.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
