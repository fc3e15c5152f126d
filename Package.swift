// swift-tools-version:6.2
import PackageDescription

/// Applied to every Swift target.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "mcred",
    products: [
        .library(name: "MicroCredentials", targets: ["MicroCredentials"]),
        .library(name: "MicroCredentialProfile", targets: ["MicroCredentialProfile"]),
        .library(name: "DataIntegrity", targets: ["DataIntegrity"]),
        .library(name: "CanonicalJSON", targets: ["CanonicalJSON"]),
        .library(name: "Ed25519OpenSSL", targets: ["Ed25519OpenSSL"]),
        .library(name: "RemoteDocuments", targets: ["RemoteDocuments"]),
        .library(name: "StatusRegister", targets: ["StatusRegister"]),
        .library(name: "VerifierServer", targets: ["VerifierServer"]),
        .executable(name: "mcred", targets: ["mcred"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // Without its default Foundation trait: mcred does not link Foundation, for a fast start.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already required by async-http-client; named for RemoteDocuments' use of its types and the test server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // SQLite (Debian's libsqlite3) for the credential register.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The web verifier (`mcred serve`), and its request log.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already required by hummingbird; named for the HTTP part types of the read time-out handler.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // OpenSSL 3 libcrypto, through a module map and a shim header. Only Ed25519OpenSSL imports it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // zlib, through a module map and a shim header. Only Gzip imports it.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // GZIP compression with a decompression cap, over zlib.
        .target(name: "Gzip", dependencies: ["CZlib"], swiftSettings: settings),
        // Ed25519, SHA-256 and key files over OpenSSL: a small, safe, synchronous API.
        .target(name: "Ed25519OpenSSL", dependencies: ["COpenSSL"], swiftSettings: settings),
        // The RDF 1.1 data model (terms and quads) shared by JSON-LD and RDF canonicalization. Standard library only.
        .target(name: "RDF", swiftSettings: settings),
        // JSON-LD 1.1 expansion and deserialization to RDF against bundled contexts (never the network).
        .target(name: "JSONLD", dependencies: ["RDF", "CanonicalJSON"], swiftSettings: settings),
        // RDF Dataset Canonicalization (RDFC-1.0), hashing through OpenSSL.
        .target(name: "RDFCanonicalization", dependencies: ["RDF", "Ed25519OpenSSL"], swiftSettings: settings),
        // Strict I-JSON parser and RFC 8785 serializer. Standard library only.
        .target(name: "CanonicalJSON", swiftSettings: settings),
        // W3C Data Integrity: multibase, Multikey and did:key, the Cryptosuite protocol with eddsa-jcs-2022,
        // proof shapes, verification method resolution protocols. No network code.
        .target(
            name: "DataIntegrity", dependencies: ["Ed25519OpenSSL", "CanonicalJSON", "JSONLD", "RDF", "RDFCanonicalization"],
            swiftSettings: settings),
        // DocumentLoader over HTTPS (AsyncHTTPClient): time-out, size cap, mirrors, offline mode, a file cache.
        .target(
            name: "RemoteDocuments",
            dependencies: [
                "DataIntegrity", "Ed25519OpenSSL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        // Verifiable credentials: the verifier with its policy and pluggable status and trust evaluators, the
        // report and its JSON form, the signer.
        .target(
            name: "MicroCredentials",
            dependencies: ["DataIntegrity", "Ed25519OpenSSL", "CanonicalJSON", "Gzip"],
            swiftSettings: settings
        ),
        // The EU micro-credential profile as an Open Badges 3.0 AchievementCredential: issuing, lint, inspect.
        .target(
            name: "MicroCredentialProfile",
            dependencies: ["MicroCredentials", "DataIntegrity", "CanonicalJSON"],
            swiftSettings: settings
        ),
        // The awarding body's register of issued credentials and their status lists, in SQLite through GRDB,
        // behind a protocol that another database could implement.
        .target(
            name: "StatusRegister",
            dependencies: [
                "MicroCredentials", "DataIntegrity", "CanonicalJSON", "Ed25519OpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        // The web verifier: an HTML page and an HTTP API over a CredentialVerifier, on Hummingbird 2.
        .target(
            name: "VerifierServer",
            dependencies: [
                "MicroCredentials", "MicroCredentialProfile", "CanonicalJSON", "DataIntegrity", "Ed25519OpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        // What the executables need from the system, and nothing about credentials: files and standard input
        // with size limits, atomic writes, paths, the environment, the terminal, a worker pool.
        .target(
            name: "CommandLineRuntime",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: settings
        ),
        // The command-line tool. With CommandLineRuntime, the only code that reads files, standard input or the
        // environment.
        .executableTarget(
            name: "mcred",
            dependencies: [
                "CommandLineRuntime",
                "MicroCredentials",
                "MicroCredentialProfile",
                "StatusRegister",
                "DataIntegrity",
                "RemoteDocuments",
                "VerifierServer",
                "CanonicalJSON",
                "Ed25519OpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: settings
        ),
        // Shared by the test targets: the vector locator, hex, a seeded generator, running programs.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: settings),
        // A small HTTP/1.1 server on 127.0.0.1 for the tests that fetch documents.
        .target(
            name: "LoopbackHTTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/LoopbackHTTP", swiftSettings: settings),
        .testTarget(
            name: "JSONLDTests",
            dependencies: ["JSONLD", "RDF", "RDFCanonicalization", "CanonicalJSON", "Ed25519OpenSSL", "TestSupport"],
            swiftSettings: settings),
        .testTarget(
            name: "RDFCanonicalizationTests", dependencies: ["RDFCanonicalization", "RDF", "TestSupport"],
            swiftSettings: settings),
        .testTarget(name: "Ed25519OpenSSLTests", dependencies: ["Ed25519OpenSSL", "TestSupport"], swiftSettings: settings),
        .testTarget(
            name: "CanonicalJSONTests", dependencies: ["CanonicalJSON", "TestSupport"], exclude: ["Noncharacters"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "DataIntegrityTests",
            dependencies: ["DataIntegrity", "Ed25519OpenSSL", "CanonicalJSON", "TestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MicroCredentialsTests",
            dependencies: ["MicroCredentials", "DataIntegrity", "Ed25519OpenSSL", "CanonicalJSON", "TestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MicroCredentialProfileTests",
            dependencies: [
                "MicroCredentialProfile", "MicroCredentials", "DataIntegrity", "Ed25519OpenSSL", "CanonicalJSON",
                "TestSupport",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "StatusRegisterTests",
            dependencies: [
                "StatusRegister", "MicroCredentials", "DataIntegrity", "Ed25519OpenSSL", "CanonicalJSON", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "RemoteDocumentsTests",
            dependencies: [
                "RemoteDocuments", "DataIntegrity", "Ed25519OpenSSL", "LoopbackHTTP",
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "VerifierServerTests",
            dependencies: [
                "VerifierServer", "MicroCredentials", "MicroCredentialProfile", "DataIntegrity", "Ed25519OpenSSL",
                "CanonicalJSON", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "mcredTests",
            dependencies: [
                "mcred", "TestSupport", "LoopbackHTTP", "JSONLD",
            ],
            exclude: ["Golden"], swiftSettings: settings
        ),
    ]
)
