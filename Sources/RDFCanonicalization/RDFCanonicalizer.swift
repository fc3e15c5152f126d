public import RDF
#if canImport(Glibc)
import Glibc
#endif
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
        var dataset = CompactDataset()
        var numbers: [String: Int] = [:]
        for quad in quads {
            dataset.add(subject: dataset.term(quad.subject, blankNodes: &numbers),
                        predicate: dataset.term(quad.predicate, blankNodes: &numbers),
                        object: dataset.term(quad.object, blankNodes: &numbers),
                        graph: quad.graph.map { dataset.term($0, blankNodes: &numbers) } ?? .defaultGraph)
        }
        let identifiers = try canonicalIdentifiers(dataset)
        let issued = numbers.mapValues { "c14n\(identifiers[$0])" }
        func relabel(_ term: RDFTerm) -> RDFTerm {
            if case .blankNode(let label) = term { return .blankNode(issued[label]!) }
            return term
        }
        let relabelled = quads.map { quad in
            RDFQuad(subject: relabel(quad.subject), predicate: quad.predicate, object: relabel(quad.object),
                    graph: quad.graph.map(relabel))
        }
        let document = Self.document(dataset, identifiers: identifiers)
        return Result(quads: relabelled, canonicalNQuads: String(decoding: document, as: UTF8.self),
                      issuedIdentifiers: issued)
    }

    /// The canonical N-Quads document of `dataset` (§4.4.3 step 6), as UTF-8.
    package func canonicalNQuads(of dataset: CompactDataset) throws(RDFCanonicalizationError) -> [UInt8] {
        Self.document(dataset, identifiers: try canonicalIdentifiers(dataset))
    }

    /// §4.4.3 steps 1–5: the canonical number of each blank node (`c14n` and the number is its identifier).
    private func canonicalIdentifiers(_ dataset: CompactDataset) throws(RDFCanonicalizationError) -> [Int] {
        var run = Run(dataset: dataset, hash: hashAlgorithm, workFactor: workFactor)
        try run.issueCanonicalIdentifiers()
        return run.canonicalIssuer.numbers
    }

    /// The lines of the dataset with the canonical blank node identifiers, sorted, each once.
    private static func document(_ dataset: CompactDataset, identifiers: [Int]) -> [UInt8] {
        var lines = LineBuffer(capacity: dataset.quads.count)
        dataset.text.withUnsafeBufferPointer { text in
            for quad in dataset.quads {
                lines.append { appendLine(quad, text: text, to: &$0) { node, bytes in
                    bytes += canonicalPrefix
                    appendDecimal(identifiers[node], to: &bytes)
                } }
            }
        }
        return lines.sorted(removingDuplicates: true)
    }
}

/// Appends the N-Quads line of `quad`, whose IRIs and literals are in `text` (the dataset's), each blank node written
/// by `label` (given its number).
private func appendLine(
    _ quad: CompactDataset.Quad, text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8],
    label: (Int, inout [UInt8]) -> Void
) {
    func append(_ term: CompactDataset.Term) {
        if term.isBlankNode {
            label(term.blankNode, &bytes)
        } else {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(term.start)..<Int(term.start + term.length)]))
        }
    }
    append(quad.subject)
    bytes.append(0x20)
    append(quad.predicate)
    bytes.append(0x20)
    append(quad.object)
    if !quad.graph.isDefaultGraph {
        bytes.append(0x20)
        append(quad.graph)
    }
    bytes.append(0x20)  // " .\n"
    bytes.append(0x2E)
    bytes.append(0x0A)
}

/// What canonical blank node identifiers begin with, as N-Quads writes them.
private let canonicalPrefix = Array("_:c14n".utf8)

/// Appends the decimal digits of `number` (not negative).
private func appendDecimal(_ number: Int, to bytes: inout [UInt8]) {
    if number >= 10 { appendDecimal(number / 10, to: &bytes) }
    bytes.append(0x30 + UInt8(number % 10))
}

/// The canonical identifier issuer of §4.3 for blank nodes numbered 0 ..< count: `c14n` + a counter.
private struct CanonicalIssuer {
    /// The number issued to each blank node, or -1.
    var numbers: [Int]
    var counter = 0

    init(count: Int) { numbers = Array(repeating: -1, count: count) }

    func identifier(_ node: Int) -> String? { numbers[node] < 0 ? nil : "c14n\(numbers[node])" }

    mutating func issue(_ node: Int) {
        guard numbers[node] < 0 else { return }
        numbers[node] = counter
        counter += 1
    }
}

/// §4.3 a temporary identifier issuer: `b` + a counter, remembering what it issued and in which order.
private struct IdentifierIssuer {
    var issued: [Int: String] = [:]
    var order: [Int] = []

    mutating func issue(_ node: Int) -> String {
        if let identifier = issued[node] { return identifier }
        let identifier = "b\(order.count)"
        issued[node] = identifier
        order.append(node)
        return identifier
    }
}

/// One canonicalization: the state of §4.2 and the algorithms of §4.4–§4.8, blank nodes by number.
private struct Run {
    let dataset: CompactDataset
    /// The dataset's quads that have a blank node, each once (a dataset is a set).
    let quads: [CompactDataset.Quad]
    /// The hash function, with its context set up once for the run.
    let digest: DigestContext
    /// The quads that blank node `n` appears in: `quadsOf[quadsOfStart[n] ..< quadsOfStart[n + 1]]`.
    let quadsOf: [Int]
    let quadsOfStart: [Int]
    var canonicalIssuer: CanonicalIssuer
    var deepIterations: [Int]
    let maximumDeepIterations: Int
    var permutationsTried = 0
    var depth = 0

    init(dataset: CompactDataset, hash: RDFCanonicalizer.HashAlgorithm, workFactor: Int) {
        self.dataset = dataset
        digest = DigestContext(hash == .sha256 ? .sha256 : .sha384)
        let quads = Self.distinct(dataset)
        self.quads = quads
        let count = dataset.blankNodeCount
        var starts = Array(repeating: 0, count: count + 1)
        /// Calls `body` with each blank node of `quad` once (subject, object, graph).
        func forEachNode(_ quad: CompactDataset.Quad, _ body: (Int) -> Void) {
            let (s, o, g) = (quad.subject, quad.object, quad.graph)
            if s.isBlankNode { body(s.blankNode) }
            if o.isBlankNode && o != s { body(o.blankNode) }
            if g.isBlankNode && g != s && g != o { body(g.blankNode) }
        }
        for quad in quads { forEachNode(quad) { starts[$0 + 1] += 1 } }
        for node in 0..<count { starts[node + 1] += starts[node] }
        var filled = starts
        var quadsOf = Array(repeating: 0, count: starts[count])
        for (index, quad) in quads.enumerated() {
            forEachNode(quad) { node in
                quadsOf[filled[node]] = index
                filled[node] += 1
            }
        }
        self.quadsOf = quadsOf
        quadsOfStart = starts
        canonicalIssuer = CanonicalIssuer(count: count)
        deepIterations = Array(repeating: 0, count: count)
        let mentioned = (0..<count).count(where: { starts[$0 + 1] > starts[$0] })
        var limit = workFactor <= 0 ? 0 : 1
        for _ in 0..<max(0, workFactor) {
            let (product, overflow) = limit.multipliedReportingOverflow(by: max(1, mentioned))
            limit = overflow ? Int.max : product
        }
        maximumDeepIterations = limit
    }

    /// The dataset's quads that have a blank node, each once, in the order they first occur. (Only these take part
    /// in the hashing; the canonical document removes duplicates of the others when it sorts its lines.)
    private static func distinct(_ dataset: CompactDataset) -> [CompactDataset.Quad] {
        dataset.text.withUnsafeBufferPointer { text in
            /// Terms in an arbitrary but total order: the default graph, blank nodes by number, then by text.
            func order(_ a: CompactDataset.Term, _ b: CompactDataset.Term) -> Int {
                if a.length <= 0 || b.length <= 0 {
                    if a.length != b.length { return a.length < b.length ? -1 : 1 }
                    return a.start < b.start ? -1 : a.start == b.start ? 0 : 1
                }
                let common = Int(min(a.length, b.length))
                let bytes = memcmp(text.baseAddress! + Int(a.start), text.baseAddress! + Int(b.start), common)
                if bytes != 0 { return bytes < 0 ? -1 : 1 }
                return a.length < b.length ? -1 : a.length == b.length ? 0 : 1
            }
            func order(_ a: CompactDataset.Quad, _ b: CompactDataset.Quad) -> Int {
                var result = order(a.subject, b.subject)
                if result == 0 { result = order(a.predicate, b.predicate) }
                if result == 0 { result = order(a.object, b.object) }
                if result == 0 { result = order(a.graph, b.graph) }
                return result
            }
            let all = dataset.quads.filter {
                $0.subject.isBlankNode || $0.object.isBlankNode || $0.graph.isBlankNode
            }
            // Equal quads end up next to each other, the first occurrence first.
            let sorted = all.indices.sorted { a, b in
                let result = order(all[a], all[b])
                return result < 0 || (result == 0 && a < b)
            }
            let duplicates = zip(sorted, sorted.dropFirst()).filter { order(all[$0], all[$1]) == 0 }.map(\.1)
            guard !duplicates.isEmpty else { return all }
            var keep = Array(repeating: true, count: all.count)
            for index in duplicates { keep[index] = false }
            return all.indices.filter { keep[$0] }.map { all[$0] }
        }
    }

    /// The digest of `bytes` in lowercase hexadecimal, as UTF-8 (which sorts as the digests do).
    func hexDigest(_ bytes: [UInt8]) -> [UInt8] {
        lowercaseHexUTF8(digest.hash(bytes))
    }

    func quads(of node: Int) -> ArraySlice<Int> { quadsOf[quadsOfStart[node]..<quadsOfStart[node + 1]] }

    /// §4.4.3 steps 3–5.
    mutating func issueCanonicalIdentifiers() throws(RDFCanonicalizationError) {
        let nodes = (0..<dataset.blankNodeCount).filter { !quads(of: $0).isEmpty }
        var lines = LineBuffer(capacity: 8)
        let hashes = nodes.map { (node: $0, hash: firstDegreeHash($0, using: &lines)) }
            .sorted { $0.hash.lexicographicallyPrecedes($1.hash) }
        var shared: [[Int]] = []
        var index = 0
        while index < hashes.count {
            var end = index + 1
            while end < hashes.count && hashes[end].hash == hashes[index].hash { end += 1 }
            if end == index + 1 {
                canonicalIssuer.issue(hashes[index].node)
            } else {
                // In the order the blank nodes first appear in the input (the order of the blank node to quads
                // map, §4.4.3 step 3), which is the order of their numbers.
                shared.append(hashes[index..<end].map(\.node).sorted())
            }
            index = end
        }
        for nodes in shared {
            var paths: [(hash: String, issuer: IdentifierIssuer)] = []
            for node in nodes where canonicalIssuer.numbers[node] < 0 {
                var temporary = IdentifierIssuer()
                _ = temporary.issue(node)
                paths.append(try nDegreeHash(node, issuer: temporary))
            }
            // By hash; equal hashes in the order computed (a stable sort, as the spec's reference implementations).
            let order = paths.indices.sorted { a, b in
                utf8Precedes(paths[a].hash, paths[b].hash) || (paths[a].hash == paths[b].hash && a < b)
            }
            for path in order.map({ paths[$0] }) {
                for existing in path.issuer.order { canonicalIssuer.issue(existing) }
            }
        }
    }

    /// §4.6 Hash First Degree Quads.
    func firstDegreeHash(_ node: Int) -> [UInt8] {
        var lines = LineBuffer(capacity: quads(of: node).count)
        return firstDegreeHash(node, using: &lines)
    }

    /// ``firstDegreeHash(_:)`` writing the lines into `lines` (emptied first), whose storage is reused.
    func firstDegreeHash(_ node: Int, using lines: inout LineBuffer) -> [UInt8] {
        lines.removeAll()
        dataset.text.withUnsafeBufferPointer { text in
            for index in quads(of: node) {
                lines.append { bytes in
                    appendLine(quads[index], text: text, to: &bytes) { other, bytes in
                        bytes.append(0x5F)  // "_:a" or "_:z"
                        bytes.append(0x3A)
                        bytes.append(other == node ? 0x61 : 0x7A)
                    }
                }
            }
        }
        return hexDigest(lines.sorted(removingDuplicates: false))
    }

    /// §4.7 Hash Related Blank Node.
    func relatedHash(_ related: Int, quad: CompactDataset.Quad, issuer: IdentifierIssuer, position: String) -> String {
        var input = Array(position.utf8)
        if position != "g" { input += dataset.bytes(of: quad.predicate) }
        if let identifier = canonicalIssuer.identifier(related) ?? issuer.issued[related] {
            input += "_:\(identifier)".utf8
        } else {
            input += firstDegreeHash(related)
        }
        return String(decoding: hexDigest(input), as: UTF8.self)
    }

    /// §4.8 Hash N-Degree Quads.
    mutating func nDegreeHash(
        _ node: Int, issuer start: IdentifierIssuer
    ) throws(RDFCanonicalizationError) -> (hash: String, issuer: IdentifierIssuer) {
        let iterations = deepIterations[node] + 1
        guard iterations <= maximumDeepIterations else {
            throw .workLimitExceeded("more than \(maximumDeepIterations) Hash N-Degree Quads runs for one blank node")
        }
        guard depth < RDFCanonicalizer.maximumDepth else {
            throw .workLimitExceeded("Hash N-Degree Quads nested more than \(RDFCanonicalizer.maximumDepth) deep")
        }
        deepIterations[node] = iterations
        depth += 1
        defer { depth -= 1 }

        var issuer = start
        var relatedByHash: [String: [Int]] = [:]
        for index in quads(of: node) {
            let quad = quads[index]
            for (term, position) in [(quad.subject, "s"), (quad.object, "o"), (quad.graph, "g")] {
                guard term.isBlankNode, term.blankNode != node else { continue }
                relatedByHash[relatedHash(term.blankNode, quad: quad, issuer: issuer, position: position), default: []]
                    .append(term.blankNode)
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
                var recursion: [Int] = []
                for node in permutation {
                    if let identifier = canonicalIssuer.identifier(node) {
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
        return (String(decoding: hexDigest(Array(data.utf8)), as: UTF8.self), issuer)
    }
}


/// Every order of a list, each once (lexicographic by position, starting from the list as given).
private struct Permutations {
    private let items: [Int]
    private var indices: [Int]?

    init(_ items: [Int]) {
        self.items = items
        indices = Array(items.indices)
    }

    mutating func next() -> [Int]? {
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
