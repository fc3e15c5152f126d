import ArgumentParser
import CommandLineRuntime
import CanonicalJSON
import DataIntegrity
import MicroCredentials
import RemoteDocuments

/// How a verification report is shown, and at what time the credential is judged: shared by `verify` and
/// `inspect`.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Judge validity at this time instead of now.", valueName: "datetime"))
    var at: DateTimeStamp?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Never colour the text output (it is coloured only on a terminal).")
    var noColor = false
}

/// The options that say how credentials are verified — trust lists, strictness, where DID documents come
/// from — shared by `verify`, `inspect` and `lint`.
struct VerificationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A signed trust list of awarding bodies (repeatable).", valueName: "list"))
    var trust: [String] = []

    @Option(help: ArgumentHelp(
        "Who may sign a trust list: a did:key, a did:web, or a public key PEM file (repeatable).", valueName: "anchor"))
    var trustAnchor: [String] = []

    @Flag(help: "Any indeterminate check makes the verdict NOT VERIFIED, with exit status 1.")
    var strict = false

    @Option(help: ArgumentHelp("A did:web DID document to use instead of fetching it (repeatable).", valueName: "file"))
    var didDocument: [String] = []

    @Option(help: ArgumentHelp("A local copy of a status list credential: URL=FILE (repeatable).",
                               valueName: "url=file"))
    var statusList: [String] = []

    @Option(help: ArgumentHelp("Cache folder for fetched documents (default: $XDG_CACHE_HOME/mcred or ~/.cache/mcred).",
                               valueName: "dir"))
    var cache: String?

    @Option(help: ArgumentHelp("Seconds to wait for a fetched document.", valueName: "seconds"))
    var timeout: Double = 5

    @Flag(help: "Never use the network: only --did-document and --status-list files and the cache.")
    var offline = false

    @Option(help: ArgumentHelp("Fetch DOMAIN's documents from BASE_URL instead (repeatable).",
                               valueName: "domain=base-url"))
    var didWebMirror: [String] = []

    func validate() throws {
        if !trust.isEmpty && trustAnchor.isEmpty {
            throw ValidationError("--trust needs at least one --trust-anchor: who may sign the trust list.")
        }
        guard timeout >= 0.1, timeout <= 600 else { throw ValidationError("--timeout must be in [0.1, 600] seconds.") }
        _ = try mirrors()
        _ = try statusListFiles()
    }

    /// `--status-list` values: file paths by list URL.
    func statusListFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for value in statusList {
            let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].hasPrefix("https://") || parts[0].hasPrefix("http://"), !parts[1].isEmpty else {
                throw ValidationError("--status-list takes URL=FILE, e.g. https://uni.example/status/1=status-1.json.")
            }
            files[String(parts[0])] = String(parts[1])
        }
        return files
    }

    /// What a trust list says of the credential's awarding body (the "Issuer trusted" message), when a trust
    /// list was consulted; nil otherwise.
    static func awardingBody(_ report: VerificationReport) -> String? {
        guard let trust = report.checks.first(where: { $0.kind == .trust }),
              report.checks.contains(where: { $0.kind == .trust && $0.status != .indeterminate })
        else { return nil }
        return trust.message
    }

    /// `--did-web-mirror` values by domain.
    func mirrors() throws -> [String: String] {
        var mirrors: [String: String] = [:]
        for value in didWebMirror {
            let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty,
                  parts[1].hasPrefix("https://") || parts[1].hasPrefix("http://")
            else {
                throw ValidationError("--did-web-mirror takes DOMAIN=BASE_URL, e.g. uni.example=http://127.0.0.1:8080.")
            }
            mirrors[String(parts[0])] = String(parts[1])
        }
        return mirrors
    }

    /// Runs `body` with the verifier these options describe — did:key and did:web keys, status lists, the trust
    /// lists (each verified once, at `time`), the strictness — then closes its network connections.
    /// - Throws: ``InputError`` for a file that cannot be read or a trust list that cannot be relied on.
    func withVerifier<T>(at time: DateTimeStamp, _ body: (CredentialVerifier) async throws -> T) async throws -> T {
        var configuration = HTTPDocumentLoader.Configuration(
            timeout: .milliseconds(Int64((timeout * 1000).rounded())), mirrors: try mirrors(), offline: offline,
            cacheDirectory: cache ?? HTTPDocumentLoader.defaultCacheDirectory(environment: [
                "XDG_CACHE_HOME": System.environment("XDG_CACHE_HOME") ?? "", "HOME": System.environment("HOME") ?? "",
            ]))
        let didDocuments = HTTPDocumentLoader(configuration: configuration)
        // A status list is trusted for its proof, not its transport: plain http is fetched too, and lists of a
        // million entries are allowed their size.
        configuration.allowsPlainHTTP = true
        configuration.maximumBodyBytes = 2 * 1024 * 1024
        let statusLists = HTTPDocumentLoader(configuration: configuration)
        func shutdown() async {
            await didDocuments.shutdown()
            await statusLists.shutdown()
        }
        do {
            let result = try await body(try await verifier(at: time, didDocuments: didDocuments, statusLists: statusLists))
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }

    private func verifier(
        at time: DateTimeStamp, didDocuments: HTTPDocumentLoader, statusLists: HTTPDocumentLoader
    ) async throws -> CredentialVerifier {
        let loader = LayeredDocumentLoader([try localDocuments(), didDocuments])
        let resolvers = ResolverRegistry([DIDKeyResolver(), DIDWebResolver(loader: loader)])
        var verifier = CredentialVerifier(resolvers: resolvers)
        if !trust.isEmpty {
            let anchors = try trustAnchor.map(anchor)
            var lists: [TrustList] = []
            for path in trust {
                do {
                    lists.append(try await TrustList.verified(Files.read(path), anchors: anchors, verifier: verifier, at: time))
                } catch let error as TrustListError {
                    throw InputError("--trust \(path): \(error)")
                }
            }
            verifier.trustEvaluator = TrustListEvaluator(lists: lists)
        }
        // After the trust lists: a status list signed by a key they give the issuer counts as the issuer's.
        verifier.statusEvaluator = BitstringStatusEvaluator(
            loader: LayeredDocumentLoader([try localStatusLists(), statusLists]), listVerifier: verifier)
        verifier.policy.strict = strict
        return verifier
    }

    /// The `--status-list` files, by URL.
    private func localStatusLists() throws -> LocalDocuments {
        var documents: [String: [UInt8]] = [:]
        for (url, path) in try statusListFiles() {
            documents[url] = try Files.read(path, limit: 2 * 1024 * 1024)
        }
        return LocalDocuments(documents)
    }

    /// The `--did-document` files, by the document URL of their `id`.
    private func localDocuments() throws -> LocalDocuments {
        var documents: [String: [UInt8]] = [:]
        for path in didDocument {
            let bytes = try Files.read(path, limit: 1 << 20)
            guard case .object(let document)? = try? JSONValue(parsing: bytes),
                  let id = document["id"]?.stringValue
            else { throw InputError("--did-document \(path) is not a DID document (a JSON object with an id)") }
            do {
                documents[try DIDWebResolver.documentURL(of: id)] = bytes
            } catch {
                throw InputError("--did-document \(path): \(error)")
            }
        }
        return LocalDocuments(documents)
    }

    /// A trust anchor: a DID, or a public key file.
    private func anchor(_ value: String) throws -> TrustAnchor {
        if value.hasPrefix("did:") {
            if value.hasPrefix("did:key:") {
                do {
                    _ = try DIDKey(parsing: value)
                } catch {
                    throw InputError("--trust-anchor \(value): \(error)")
                }
            }
            return .identifier(value)
        }
        do {
            return try TrustAnchor(publicKeyFile: Files.read(value, limit: 1 << 20))
        } catch let error as TrustListError {
            throw InputError("--trust-anchor \(value): \(error)")
        }
    }
}
