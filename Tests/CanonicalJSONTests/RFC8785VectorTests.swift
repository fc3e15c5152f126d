import CanonicalJSON
import Foundation
import TestSupport
import Testing

@Suite("RFC 8785 vectors: cyberphone test data and the RFC examples")
struct RFC8785VectorTests {
    static let testdata = "cyberphone-json-canonicalization/testdata"
    static let cases = ["arrays", "french", "structures", "unicode", "values", "weird"]

    @Test("the input folder holds exactly the known cases")
    func caseList() throws {
        let names = try Vectors.fileNames(in: "\(Self.testdata)/input")
        #expect(names == Self.cases.map { "\($0).json" })
    }

    @Test("canonical output is byte-identical to output/ and outhex/", arguments: cases)
    func cyberphone(_ name: String) throws {
        let input = try Vectors.bytes("\(Self.testdata)/input/\(name).json")
        let expected = try Vectors.bytes("\(Self.testdata)/output/\(name).json")
        let expectedFromHex = hex(try Vectors.text("\(Self.testdata)/outhex/\(name).txt"))
        #expect(expected == expectedFromHex)

        let value = try JSONValue(parsing: input)
        let canonical = value.canonicalBytes()
        #expect(canonical == expected, "\(name): got \(String(decoding: canonical, as: UTF8.self))")
        #expect(value.canonicalString() == String(decoding: expected, as: UTF8.self))
        #expect(try JSONValue.canonicalize(input) == expected)

        // Appending keeps what is already in the buffer.
        var buffer: [UInt8] = [0x41]
        value.writeCanonical(into: &buffer)
        #expect(buffer == [0x41] + expected)

        // Canonical output is a fixed point.
        #expect(try JSONValue(parsing: canonical).canonicalBytes() == canonical)
    }

    @Test("all 10,000 ES6 number lines format identically and parse back to the same bits")
    func es6Numbers() throws {
        let text = try Vectors.text("\(Self.testdata)/es6testfile100m_first10000lines.txt")
        var lines = 0
        var failures: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lines += 1
            let parts = line.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, let value = doubleFromHexBits(parts[0]) else {
                Issue.record("malformed line \(lines): \(line)")
                continue
            }
            let expected = String(parts[1])
            let formatted = jcsNumberString(value)
            if formatted != expected {
                failures.append("\(parts[0]): expected \(expected), got \(formatted)")
            }
            // The expected text parses back to exactly the same double (+0 for -0).
            let parsed = try JSONValue(parsing: expected).numberValue
            let expectedBits = value == 0 ? 0 : value.bitPattern
            if parsed?.bitPattern != expectedBits {
                failures.append("\(parts[0]): \(expected) parsed to \(String(describing: parsed))")
            }
        }
        #expect(lines == 10_000)
        #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(5))")
    }

    struct NumberSample: Decodable, Sendable, CustomTestStringConvertible {
        let ieee754Hex: String
        let expected: String?
        let mustFail: Bool?
        let comment: String?
        var testDescription: String { "\(ieee754Hex) \(comment ?? expected ?? "")" }
    }

    struct ExamplesFile: Decodable {
        struct Sorting: Decodable {
            let inputJson: String
            let expectedValueOrderAfterSorting: [String]
            let expectedCanonicalUtf8: String
        }
        let numberSamples: [NumberSample]
        let sortingExample: Sorting

        static func load() throws -> Self {
            try JSONDecoder().decode(Self.self, from: Data(Vectors.bytes("ietf-rfc8785/rfc8785-examples.json")))
        }
    }

    @Test("RFC 8785 Appendix B number samples")
    func appendixB() throws {
        let samples = try ExamplesFile.load().numberSamples
        #expect(samples.count == 26)
        var mustFailCount = 0
        for sample in samples {
            let value = try #require(doubleFromHexBits(Substring(sample.ieee754Hex)))
            if sample.mustFail == true {
                // JSONValue cannot hold these: the parser rejects their textual forms and the formatter is never
                // given them (the precondition is checked by an exit test below).
                mustFailCount += 1
                #expect(!value.isFinite, "\(sample.ieee754Hex) should be NaN or Infinity")
                let text = value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity")
                #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
                #expect(JSONValue.number(value).containsNonFiniteNumber)
            } else {
                let expected = try #require(sample.expected)
                #expect(jcsNumberString(value) == expected, "\(sample.testDescription)")
                #expect(JSONValue.number(value).canonicalString() == expected)
                #expect(!JSONValue.number(value).containsNonFiniteNumber)
            }
        }
        #expect(mustFailCount == 2)
    }

    @Test("RFC 8785 §3.2.3 sorting example")
    func sortingExample() throws {
        let example = try ExamplesFile.load().sortingExample
        let value = try JSONValue(parsing: example.inputJson)
        #expect(value.canonicalString() == example.expectedCanonicalUtf8)
        #expect(value.canonicalBytes() == Array(example.expectedCanonicalUtf8.utf8))
        // Re-parse the canonical form and read the values in their new order.
        let sorted = try #require(try JSONValue(parsing: value.canonicalBytes()).objectValue)
        #expect(sorted.members.map { $0.value.stringValue ?? "" } == example.expectedValueOrderAfterSorting)
        // The input order is kept in the parsed value.
        #expect(value.objectValue?.keys.first == "\u{20AC}")
    }

    @Test("a NaN or infinite number stops the formatter (RFC 8785 §3.2.2.3: must fail)")
    func nonFiniteStops() async {
        await #expect(processExitsWith: .failure) {
            _ = jcsNumberString(.nan)
        }
        await #expect(processExitsWith: .failure) {
            _ = JSONValue.array([.number(.infinity)]).canonicalBytes()
        }
        await #expect(processExitsWith: .failure) {
            _ = JSONValue.number(-.infinity).serialized(pretty: true)
        }
    }
}
