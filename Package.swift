// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "outboundctl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outboundctl", targets: ["outboundctl"]),
        .library(name: "OutboundConfig", targets: ["OutboundConfig"]),
        .library(name: "OutboundStore", targets: ["OutboundStore"]),
        .library(name: "OutboundStoreSQLite", targets: ["OutboundStoreSQLite"]),
        .library(name: "OutboundStorePostgres", targets: ["OutboundStorePostgres"]),
        .library(name: "OutboundGateServer", targets: ["OutboundGateServer"]),
        .library(name: "OutboundWebex", targets: ["OutboundWebex"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's malloc_trim, for `serve` to give replaced snapshots' pages back (FreedMemory).
        .systemLibrary(name: "CMalloc"),
        .target(name: "OutboundConfig", dependencies: ["CYAML", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "OutboundStore", dependencies: ["OutboundConfig", "CZlib"]),
        // Cisco's schemas, the export reader, the mapping, and the API client: the only module
        // that imports the HTTP client library.
        .target(
            name: "OutboundWebex",
            dependencies: [
                "OutboundConfig", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "OutboundStoreSQLite",
            dependencies: ["OutboundStore", "OutboundConfig", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(
            name: "OutboundStorePostgres",
            dependencies: ["OutboundStore", "OutboundConfig", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        // Starts a throwaway PostgreSQL server for the tests of both test targets (scripts/dev-postgres.sh).
        .target(name: "PostgresTestSupport", path: "Tests/PostgresTestSupport"),
        .target(
            name: "OutboundGateServer",
            dependencies: [
                "CMalloc",
                "OutboundStore",
                "OutboundConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "outboundctl",
            dependencies: [
                "OutboundConfig",
                "OutboundStore",
                "OutboundStoreSQLite",
                "OutboundStorePostgres",
                "OutboundGateServer",
                "OutboundWebex",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "outboundctl-bench",
            dependencies: ["OutboundConfig", "OutboundStore", "OutboundStoreSQLite", "OutboundWebex", "CYAML", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .testTarget(name: "OutboundConfigTests", dependencies: ["OutboundConfig"]),
        .testTarget(name: "OutboundWebexTests", dependencies: ["OutboundWebex", "OutboundConfig"]),
        .testTarget(
            name: "OutboundGateServerTests",
            dependencies: ["OutboundGateServer", "OutboundStore", "OutboundStoreSQLite", "OutboundConfig",
                           .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(
            name: "OutboundStoreTests",
            dependencies: ["OutboundStore", "OutboundStoreSQLite", "OutboundStorePostgres", "OutboundConfig", "PostgresTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "outboundctlTests", dependencies: ["outboundctl", "outboundctl-bench", "OutboundConfig", "OutboundStore", "OutboundStoreSQLite",
                                                            "OutboundWebex", "PostgresTestSupport"]),
    ]
)
