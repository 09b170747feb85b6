// swift-tools-version:6.1
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

// Layers depend downward only: motcua -> Web -> Services -> Storage -> Domain.
// Domain is pure Swift (Foundation only) and holds the law.
let package = Package(
    name: "motcua",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "motcua", targets: ["motcua"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .target(name: "Domain"),
        // The system SQLite (Debian: libsqlite3-dev), called directly from Storage.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Storage",
            dependencies: [
                "Domain", "CSQLite",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 for the audit ledger's chain, computed where its rows are written.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Outgoing HTTP (portal, population database, timestamp authority) on SwiftNIO.
        .target(
            name: "Network",
            dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        // Native PDF writing (TrueType embedding, Vietnamese text); forms and results build on it.
        .target(name: "PDF"),
        // PAdES B-B signing: hand-built CMS (signing-certificate-v2) + incremental PDF update.
        .target(
            name: "Signing",
            dependencies: [
                "Network",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Documents",
            // Network: the S3-compatible blob store.
            dependencies: ["Domain", "Network", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Services",
            dependencies: [
                "Domain", "Storage", "Documents", "PDF", "Signing", "Network",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RS256 ID tokens from sign-in providers.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "Web",
            dependencies: [
                "Domain", "Services", "Signing", "PDF",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                // /metrics: HTTP metrics by route (swift-metrics), exposed in Prometheus text.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")]
        ),
        // Real HTTP simulators of the national systems (DVCQG portal, population database), for
        // tests and the demo; `motcua sim dvcqg|population`.
        .target(
            name: "Simulators",
            dependencies: [
                "Domain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // ES256 ID tokens of the OpenID Connect provider.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "motcua",
            dependencies: [
                "Domain", "Storage", "Services", "Web", "Documents", "Signing", "Simulators",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(name: "AppTestSupport", dependencies: ["Domain", "Storage", "Services", "Documents"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], exclude: ["Fixtures"]),
        .testTarget(
            name: "DocumentsTests",
            dependencies: ["Documents", "Domain", "AppTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "PDFTests", dependencies: ["PDF", "AppTestSupport"]),
        .testTarget(
            name: "SigningTests",
            dependencies: [
                "Signing", "PDF",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulators", "Services", "Domain", "Network"]),
        .testTarget(name: "SyncTests", dependencies: ["Simulators", "Services", "Domain", "Storage", "AppTestSupport", "Network"]),
        .testTarget(
            name: "ServicesTests",
            dependencies: [
                "Domain", "Storage", "Services", "Documents", "AppTestSupport",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Domain", "Storage", "Services", "Web", "AppTestSupport", "Documents", "Signing", "Simulators", "Network",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
