// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "annex",
    products: [
        .library(name: "Annex", targets: ["AnnexIO", "AnnexCore", "AnnexArchive"]),
        .executable(name: "annex", targets: ["annex"]),
        .executable(name: "annex-bench", targets: ["AnnexBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // zlib through pkg-config; named CZlibAnnex because ZIPFoundation already owns `CZlib`.
        .systemLibrary(name: "CZlibAnnex", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // SQLite from the system (pkg-config sqlite3), not GRDB or sqlite-nio: the archive needs a dozen
        // statements, and the system library adds no package to resolve, no SQLite amalgamation or NIO
        // to compile, and nothing to the binary but a link to libsqlite3 (see Sources/AnnexArchive/SQLite.swift).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        // Header only: SSE2 byte classification for the CSV extent scan (Swift cannot reach movemask).
        .systemLibrary(name: "CAnnexSIMD"),
        .target(name: "AnnexIO", dependencies: ["CZlibAnnex", "CLibXML2", "CAnnexSIMD"]),
        // The built-in layouts of templates/ are compiled in (EmbedTemplates), so a copied binary works anywhere.
        .target(name: "AnnexCore", dependencies: ["AnnexIO"], plugins: ["EmbedTemplates"]),
        // The SQLite archive of the monthly cycle: its own target, so AnnexCore stays free of SQLite.
        .target(name: "AnnexArchive", dependencies: ["AnnexCore", "CSQLite"]),
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["EmbedFiles"]),
        // `annex serve`: its own target so the `Annex` library product stays free of SwiftNIO.
        .target(name: "AnnexServer", dependencies: [
            "AnnexIO", "AnnexCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "MultipartKit", package: "multipart-kit"),
        ]),
        .executableTarget(name: "annex", dependencies: [
            "AnnexIO", "AnnexCore", "AnnexArchive", "AnnexServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // Start-up: the position-independent binary has ~109,000 relative relocations that the
            // loader applies one by one before main (a third of a small command's 8 ms). lld packs them
            // (DT_RELR, glibc ≥ 2.36: Debian 12), which keeps address randomization and saves ~2 ms a run
            // (BENCHMARKS.md, start-up).
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux])),
        ]),
        // Benchmarks/bench.py's annex side: reads and writes through the public AnnexIO API.
        .executableTarget(name: "AnnexBench", dependencies: ["AnnexIO"]),
        // Running other programs, temporary folders, the OOXML validator: shared by the test targets.
        .target(name: "AnnexTestSupport", path: "Tests/AnnexTestSupport"),
        .testTarget(name: "AnnexIOTests", dependencies: ["AnnexIO", "AnnexTestSupport"]),
        .testTarget(name: "AnnexCoreTests", dependencies: ["AnnexCore", "AnnexTestSupport"]),
        .testTarget(name: "AnnexArchiveTests", dependencies: ["AnnexArchive", "AnnexTestSupport"]),
        // Runs the built `annex` binary: exit codes, messages, files on disk.
        .testTarget(name: "AnnexCLITests", dependencies: ["annex", "AnnexTestSupport"]),
        // The server in process (HummingbirdTesting); jobs run the built `annex` binary as children.
        .testTarget(name: "AnnexServerTests", dependencies: [
            "annex", "AnnexServer", "AnnexTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
