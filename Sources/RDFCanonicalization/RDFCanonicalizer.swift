public import RDF
import Ed25519OpenSSL

/// Why a dataset was not canonicalized.
public enum RDFCanonicalizationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The dataset needs more work than the limits allow (a poison graph, RDFC-1.0 §6): which limit.
    case workLimitExceeded(String)

    public var description: String {
        switch self {
        case .workLimitExceeded(let limit):
            "the dataset's blank nodes are too entangled to canonicalize within the work limit (\(limit)); "
                + "a genuine credential never comes close"
        }
    }
}

/// The RDF Dataset Canonicalization algorithm RDFC-1.0 (W3C Recommendation, 21 May 2024): relabels a dataset's
/// blank nodes `c14n0`, `c14n1`, … so that isomorphic datasets get identical canonical N-Quads.
///
/// **Work limit.** Hash N-Degree Quads (§4.8) explores permutations of blank nodes that first-degree hashes do
/// not tell apart, and a crafted graph makes that exponential. As in other implementations (rdf-canonize's
/// `maxWorkFactor`), the number of times it may run for any one blank node is limited to the number of blank
/// nodes in the dataset raised to ``workFactor`` (2 by default: the W3C suite's "computable" poison graphs
/// pass, its 10-node clique stops in a fraction of a second). Two further limits bound the whole run: at most
/// ``maximumPermutations`` permutations tried, and Hash N-Degree Quads nested at most ``maximumDepth`` deep (so a
/// long chain cannot exhaust the stack). Beyond any of them canonicalization stops with
/// ``RDFCanonicalizationError/workLimitExceeded(_:)``. Credentials, whose blank nodes are few and
/// distinguishable, never reach them.
public struct RDFCanonicalizer: Sendable {
    /// The hash function of the algorithm (§4.2): SHA-256 by default.
    public enum HashAlgorithm: Sendable {
        case sha256, sha384

        func hexDigest(_ text: String) -> String {
            hexDigest(bytes: Array(text.utf8))
        }

        func hexDigest(bytes: [UInt8]) -> String {
            lowercaseHex(self == .sha256 ? SHA256.hash(bytes) : SHA384.hash(bytes))
        }
    }

    /// The canonical dataset.
    public struct Result: Sendable {
        /// The quads with their blank nodes relabelled.
        public let quads: [RDFQuad]
        /// The canonical N-Quads document: the quads' lines sorted in code point order (§4.4.3 step 6).
        public let canonicalNQuads: String
        /// Each input blank node label and its canonical label (§4.4.3 "issued identifiers map").
        public let issuedIdentifiers: [String: String]
    }

    public let hashAlgorithm: HashAlgorithm
    public let workFactor: Int
    /// Permutations tried in a whole run, at most (the W3C suite's positive tests need under 3,000).
    public static let maximumPermutations = 100_000
    /// Nesting of Hash N-Degree Quads, at most (the W3C suite needs under 10).
    public static let maximumDepth = 64

    public init(hashAlgorithm: HashAlgorithm = .sha256, workFactor: Int = 2) {
        self.hashAlgorithm = hashAlgorithm
        self.workFactor = workFactor
    }

    /// §4.4 The canonicalization algorithm.
    public func canonicalize(_ quads: [RDFQuad]) throws(RDFCanonicalizationError) -> Result {
        var run = Run(quads: quads, hash: hashAlgorithm, workFactor: workFactor)
        try run.issueCanonicalIdentifiers()
        let issued = run.canonicalIssuer.issued
        func relabel(_ term: RDFTerm) -> RDFTerm {
            if case .blankNode(let label) = term { return .blankNode(issued[label]!) }
            return term
        }
        let relabelled = quads.map { quad in
            RDFQuad(subject: relabel(quad.subject), predicate: quad.predicate, object: relabel(quad.object),
                    graph: quad.graph.map(relabel))
        }
        return Result(quads: relabelled, canonicalNQuads: NQuads.canonicalDocument(relabelled), issuedIdentifiers: issued)
    }
}

/// §4.3 The identifier issuer: `prefix` + a counter, remembering what it issued and in which order.
private struct IdentifierIssuer {
    let prefix: String
    var counter = 0
    var issued: [String: String] = [:]
    var order: [String] = []

    mutating func issue(_ existing: String) -> String {
        if let identifier = issued[existing] { return identifier }
        let identifier = prefix + String(counter)
        counter += 1
        issued[existing] = identifier
        order.append(existing)
        return identifier
    }
}

/// One canonicalization: the state of §4.2 and the algorithms of §4.4–§4.8.
private struct Run {
    let quads: [RDFQuad]
    let hash: RDFCanonicalizer.HashAlgorithm
    /// Blank node label → the indices of the quads it appears in.
    var quadsOf: [String: [Int]] = [:]
    var canonicalIssuer = IdentifierIssuer(prefix: "c14n")
    var deepIterations: [String: Int] = [:]
    let maximumDeepIterations: Int
    var permutationsTried = 0
    var depth = 0

    init(quads: [RDFQuad], hash: RDFCanonicalizer.HashAlgorithm, workFactor: Int) {
        self.quads = quads
        self.hash = hash
        var quadsOf: [String: [Int]] = [:]
        for (index, quad) in quads.enumerated() {
            func note(_ term: RDFTerm?) {
                if case .blankNode(let label)? = term, quadsOf[label]?.last != index {
                    quadsOf[label, default: []].append(index)
                }
            }
            note(quad.subject)
            note(quad.object)
            note(quad.graph)
        }
        self.quadsOf = quadsOf
        var limit = workFactor <= 0 ? 0 : 1
        for _ in 0..<max(0, workFactor) {
            let (product, overflow) = limit.multipliedReportingOverflow(by: max(1, quadsOf.count))
            limit = overflow ? Int.max : product
        }
        maximumDeepIterations = limit
    }

    /// §4.4.3 steps 3–5.
    mutating func issueCanonicalIdentifiers() throws(RDFCanonicalizationError) {
        var blankNodesOf: [String: [String]] = [:]
        for label in quadsOf.keys.sorted() { blankNodesOf[firstDegreeHash(label), default: []].append(label) }
        var shared: [(hash: String, labels: [String])] = []
        for (hashValue, labels) in blankNodesOf.sorted(by: { utf8Precedes($0.key, $1.key) }) {
            if labels.count == 1 {
                _ = canonicalIssuer.issue(labels[0])
            } else {
                shared.append((hashValue, labels))
            }
        }
        for (_, labels) in shared {
            var paths: [(hash: String, issuer: IdentifierIssuer)] = []
            for label in labels where canonicalIssuer.issued[label] == nil {
                var temporary = IdentifierIssuer(prefix: "b")
                _ = temporary.issue(label)
                paths.append(try nDegreeHash(label, issuer: temporary))
            }
            for path in paths.sorted(by: { utf8Precedes($0.hash, $1.hash) }) {
                for existing in path.issuer.order { _ = canonicalIssuer.issue(existing) }
            }
        }
    }

    /// §4.6 Hash First Degree Quads.
    func firstDegreeHash(_ label: String) -> String {
        func stand(_ term: RDFTerm) -> RDFTerm {
            if case .blankNode(let other) = term { return .blankNode(other == label ? "a" : "z") }
            return term
        }
        let indices = quadsOf[label] ?? []
        var lines = LineBuffer(capacity: indices.count)
        for index in indices {
            let quad = quads[index]
            lines.append(RDFQuad(subject: stand(quad.subject), predicate: quad.predicate, object: stand(quad.object),
                                 graph: quad.graph.map(stand)))
        }
        return hash.hexDigest(bytes: lines.sorted(removingDuplicates: false))
    }

    /// §4.7 Hash Related Blank Node.
    func relatedHash(_ related: String, quad: RDFQuad, issuer: IdentifierIssuer, position: String) -> String {
        var input = position
        if position != "g" { input += NQuads.term(quad.predicate) }
        if let identifier = canonicalIssuer.issued[related] ?? issuer.issued[related] {
            input += "_:" + identifier
        } else {
            input += firstDegreeHash(related)
        }
        return hash.hexDigest(input)
    }

    /// §4.8 Hash N-Degree Quads.
    mutating func nDegreeHash(
        _ label: String, issuer start: IdentifierIssuer
    ) throws(RDFCanonicalizationError) -> (hash: String, issuer: IdentifierIssuer) {
        let iterations = deepIterations[label, default: 0] + 1
        guard iterations <= maximumDeepIterations else {
            throw .workLimitExceeded("more than \(maximumDeepIterations) Hash N-Degree Quads runs for one blank node")
        }
        guard depth < RDFCanonicalizer.maximumDepth else {
            throw .workLimitExceeded("Hash N-Degree Quads nested more than \(RDFCanonicalizer.maximumDepth) deep")
        }
        deepIterations[label] = iterations
        depth += 1
        defer { depth -= 1 }

        var issuer = start
        var relatedByHash: [String: [String]] = [:]
        for index in quadsOf[label] ?? [] {
            let quad = quads[index]
            for (term, position) in [(quad.subject, "s"), (quad.object, "o"), (quad.graph, "g")] {
                guard case .blankNode(let related)? = term, related != label else { continue }
                relatedByHash[relatedHash(related, quad: quad, issuer: issuer, position: position), default: []]
                    .append(related)
            }
        }
        var data = ""
        for (relatedHashValue, related) in relatedByHash.sorted(by: { utf8Precedes($0.key, $1.key) }) {
            data += relatedHashValue
            var chosenPath = ""
            var chosenIssuer: IdentifierIssuer?
            var permutations = Permutations(related)
            permutation: while let permutation = permutations.next() {
                permutationsTried += 1
                guard permutationsTried <= RDFCanonicalizer.maximumPermutations else {
                    throw .workLimitExceeded("more than \(RDFCanonicalizer.maximumPermutations) permutations")
                }
                var issuerCopy = issuer
                var path = ""
                var recursion: [String] = []
                for node in permutation {
                    if let identifier = canonicalIssuer.issued[node] {
                        path += "_:" + identifier
                    } else {
                        if issuerCopy.issued[node] == nil { recursion.append(node) }
                        path += "_:" + issuerCopy.issue(node)
                    }
                    if !chosenPath.isEmpty && path.utf8.count >= chosenPath.utf8.count
                        && utf8Precedes(chosenPath, path) { continue permutation }
                }
                for node in recursion {
                    let result = try nDegreeHash(node, issuer: issuerCopy)
                    path += "_:" + issuerCopy.issue(node)
                    path += "<" + result.hash + ">"
                    issuerCopy = result.issuer
                    if !chosenPath.isEmpty && path.utf8.count >= chosenPath.utf8.count
                        && utf8Precedes(chosenPath, path) { continue permutation }
                }
                if chosenPath.isEmpty || utf8Precedes(path, chosenPath) {
                    chosenPath = path
                    chosenIssuer = issuerCopy
                }
            }
            data += chosenPath
            if let chosenIssuer { issuer = chosenIssuer }
        }
        return (hash.hexDigest(data), issuer)
    }
}


/// Every order of a list, each once (lexicographic by position, starting from the list as given).
private struct Permutations {
    private let items: [String]
    private var indices: [Int]?

    init(_ items: [String]) {
        self.items = items
        indices = Array(items.indices)
    }

    mutating func next() -> [String]? {
        guard var current = indices else { return nil }
        let result = current.map { items[$0] }
        // The next permutation of the indices in lexicographic order; none after the last.
        if let pivot = current.indices.dropLast().last(where: { current[$0] < current[$0 + 1] }) {
            let successor = current.indices.last { current[$0] > current[pivot] }!
            current.swapAt(pivot, successor)
            current[(pivot + 1)...].reverse()
            indices = current
        } else {
            indices = nil
        }
        return result
    }
}
