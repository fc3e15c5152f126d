import ArgumentParser
import CommandLineRuntime
import DataIntegrity
import Logging
import VerifierServer

struct Serve: MCredCommand, OptionGroupOwner {
    static var optionGroups: [any ParsableArguments] { [VerificationOptions()] }

    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web verifier: a page for people and an HTTP API for machines.",
        discussion: """
            GET / is a self-contained page: drop, choose or paste a credential and see the verdict, every check \
            and the 16 EU elements. POST /v1/verify answers the report of 'mcred verify --format json' for the \
            credential in the body (application/json, application/vc or application/ld+json; ?at=DATETIME to \
            judge at another time), POST /v1/inspect the report of 'mcred inspect --format json', GET /healthz \
            {"status": "ok"}. Errors are RFC 9457 problem details: 400 not JSON, 405 wrong method, 413 body over \
            --max-body, 415 other media type. spec/openapi.yaml describes the API.

            Nothing is stored and no state is shared between requests, so several instances can stand behind \
            any load balancer; status lists are static files that a CDN can cache. Trust lists are verified once, \
            at start: restart to load new ones. The first line on standard output is 'listening on URL'; one log \
            line per request (method, path, status, duration) goes to standard error. SIGTERM or SIGINT stops \
            the server after the requests in progress.

            Exit status: 0 stopped by a signal, 2 the address cannot be used or a trust list cannot be relied on.

            Examples:
              mcred serve
              mcred serve --host 0.0.0.0 --port 8443 --offline
              mcred serve --trust trust-list.json --trust-anchor registry.pub.pem
            """)

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBody = 2 * 1024 * 1024

    @Option(help: ArgumentHelp("Seconds a client has to send a whole request.", valueName: "seconds"))
    var readTimeout: Double = 10

    @Option(help: ArgumentHelp("Connections open at once.", valueName: "count"))
    var maxConnections = 1024

    @OptionGroup(title: "Trust and key resolution")
    var verification: VerificationOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in [0, 65535].") }
        guard (1024...(64 << 20)).contains(maxBody) else {
            throw ValidationError("--max-body must be in [1024, 67108864] bytes.")
        }
        guard readTimeout >= 0.1, readTimeout <= 3600 else {
            throw ValidationError("--read-timeout must be in [0.1, 3600] seconds.")
        }
        guard (1...100_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be in [1, 100000].")
        }
    }

    func execute() async throws {
        var logger = Logger(label: "mcred.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        let configuration = VerifierServer.Configuration(
            host: host, port: port, maximumBodyBytes: maxBody, readTimeout: .milliseconds(Int64(readTimeout * 1000)),
            maximumConnections: maxConnections, maximumConcurrentRequests: 4 * System.processorCount)
        let host = host
        try await verification.withVerifier(at: .now) { verifier in
            let server = VerifierServer(verifier: verifier, configuration: configuration, logger: logger)
            do {
                try await server.run { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    try? Terminal.write("listening on http://\(shown):\(port)/\n")
                }
            } catch {
                throw InputError("cannot serve on \(host) port \(port): \(error)")
            }
        }
    }
}
