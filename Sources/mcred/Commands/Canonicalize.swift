import ArgumentParser
import CanonicalJSON
import CommandLineRuntime
import DataIntegrity
import Ed25519OpenSSL

struct Canonicalize: MCredCommand {
    static let configuration = CommandConfiguration(
        commandName: "canonicalize",
        abstract: "Write the RFC 8785 (JCS) canonical form of a JSON document, or with --rdfc its RDFC-1.0 canonical N-Quads.",
        discussion: """
            The input is parsed strictly (RFC 8259 + I-JSON: no duplicate member names, no lone surrogates, \
            finite numbers only, no byte order mark, at most 16 MiB and 128 levels deep). The canonical UTF-8 \
            bytes go to standard output with no trailing newline; --sha256 prints their lowercase hex SHA-256 \
            and a newline instead.

            With --rdfc the document is read as JSON-LD (bundled contexts only, never the network; a term no \
            context defines is an error) and its RDF dataset is written as RDFC-1.0 canonical N-Quads, one quad \
            a line: what an eddsa-rdfc-2022 proof hashes (spec/json-ld.md).

            Examples:
              mcred canonicalize credential.json
              mcred canonicalize --sha256 - < credential.json
              mcred canonicalize --rdfc credential.json
            """)

    @Argument(help: ArgumentHelp("The JSON file, or '-' for standard input.", valueName: "file"))
    var file: String = "-"

    @Flag(help: "Print the hex SHA-256 of the canonical bytes instead of the bytes.")
    var sha256 = false

    @Flag(help: "Write the RDFC-1.0 canonical N-Quads of the JSON-LD document instead of its JCS form.")
    var rdfc = false

    func execute() async throws {
        let value = try parsedJSON(try Files.read(file), name: Files.displayName(file))
        let canonical: [UInt8]
        if rdfc {
            do {
                canonical = Array(try EddsaRdfc2022.canonicalNQuads(value).utf8)
            } catch {
                throw InputError("\(Files.displayName(file)): \(error.message)")
            }
        } else {
            canonical = value.canonicalBytes()
        }
        if sha256 {
            try Terminal.write(SHA256.hexDigest(canonical) + "\n")
        } else {
            try Terminal.write(canonical)
        }
    }
}
