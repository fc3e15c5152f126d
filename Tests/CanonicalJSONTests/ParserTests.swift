import CanonicalJSON
import Foundation
import TestSupport
import Testing

@Suite("Strict parser: accepted input, numbers, limits")
struct ParserTests {
    @Test("literals, numbers, strings, arrays and objects")
    func values() throws {
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: "true") == .bool(true))
        #expect(try JSONValue(parsing: " false ") == .bool(false))
        #expect(try JSONValue(parsing: "-12.5e1") == .number(-125))
        #expect(try JSONValue(parsing: #""hi""#) == .string("hi"))
        #expect(try JSONValue(parsing: "[]") == .array([]))
        #expect(try JSONValue(parsing: "{}") == .object(JSONObject()))
        let value = try JSONValue(parsing: #" { "b" : [ 1 , true , null , { } , [ ] ] , "a" : "x" } "#)
        #expect(value == ["b": [1, true, nil, [:], []], "a": "x"])
        #expect(value.objectValue?.keys == ["b", "a"], "input order is kept")
    }

    @Test("all escapes decode to the right scalars")
    func escapes() throws {
        let value = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00\u0000""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tA\u{E9}\u{20AC}\u{1F600}\u{0}"))
        // Escaped and raw spellings give the same string.
        #expect(try JSONValue(parsing: #""caf\u00e9 😀""#) == JSONValue(parsing: "\"café 😀\""))
        // Raw U+007F, U+2028 and astral characters are fine.
        #expect(try JSONValue(parsing: "\"\u{7F}\u{2028}\u{10FFFD}\"") == .string("\u{7F}\u{2028}\u{10FFFD}"))
    }

    @Test("names that differ only in normalisation are two members")
    func canonicalEquivalentKeys() throws {
        let value = try JSONValue(parsing: #"{"\u00e9":1,"e\u0301":2,"\u212b":3,"\u00c5":4,"A\u030a":5}"#)
        let object = try #require(value.objectValue)
        #expect(object.count == 5)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        #expect(object["\u{212B}"] == 3)
        #expect(object["\u{C5}"] == 4)
        #expect(object["A\u{30A}"] == 5)
        // Canonical order: "A\u030a" (41) < "e\u0301" (65) < "\u00c5" < "\u00e9" < "\u212b".
        #expect(value.canonicalString() == "{\"A\u{30A}\":5,\"e\u{301}\":2,\"\u{C5}\":4,\"\u{E9}\":1,\"\u{212B}\":3}")
        // The same scalars twice is still a duplicate.
        #expect(parseError(#"{"e\u0301":1,"e\u0301":2}"#)?.reason == .duplicateKey("e\u{301}"))
    }

    @Test("whitespace of every length between tokens")
    func whitespaceRuns() throws {
        for length in 0...40 {
            for unit in [" ", "\t", "\n", "\r\n", " \t"] {
                let gap = String(repeating: unit, count: length)
                let text = "\(gap){\(gap)\"a\"\(gap):\(gap)[\(gap)1\(gap),\(gap)\"x\"\(gap)]\(gap)}\(gap)"
                #expect(try JSONValue(parsing: text) == ["a": [1, "x"]], "gap \(length) × \(unit.debugDescription)")
            }
        }
    }

    @Test("strings of every length up to 40, with the special byte at every position")
    func stringScanning() throws {
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(try JSONValue(parsing: "[\"\(plain)\"]") == [.string(plain)])
            for position in 0..<max(length, 1) where length > 0 {
                var scalars = Array(repeating: Unicode.Scalar("a"), count: length)
                scalars[position] = "é"
                let text = String(String.UnicodeScalarView(scalars))
                #expect(try JSONValue(parsing: "\"\(text)\"") == .string(text))
                var escaped = Array(plain)
                escaped[position] = "\n"
                let withEscape = String(escaped)
                #expect(try JSONValue(parsing: "\"\(withEscape.replacingOccurrences(of: "\n", with: "\\n"))\"")
                    == .string(withEscape))
                #expect(parseError("\"\(withEscape)\"")?.byteOffset == 1 + position)
            }
        }
    }

    @Test("numbers are correctly rounded, like the standard library's parser")
    func numbers() throws {
        let texts = [
            "0", "-0", "1", "-1", "0.1", "0.5", "1E2", "1e-2", "1E+2", "123456789012345678901234567890",
            "0.000001", "1e-7", "4.9e-324", "2.4703282292062328e-324", "2.2250738585072014e-308",
            "2.2250738585072011e-308", "9007199254740992", "9007199254740993", "9007199254740995",
            "1.7976931348623157e308", "1.7976931348623158e308", "1e-400", "-1e-400", "0e999999999", "1e21", "1e22",
            "1e23", "8.41e21", "0.30000000000000004", "3.0000000000000004e-1", "1234567890123456789",
            "123456789012345.678", "0.10000000000000000555111512312578270211815834045410156250001",
            "1" + String(repeating: "0", count: 300), "0." + String(repeating: "0", count: 400) + "1",
            "100000000000000000000000e-23", "22.222222222222222222222222222", "-5e-324", "1.5e-323",
        ]
        for text in texts {
            let parsed = try #require(try JSONValue(parsing: text).numberValue, "\(text)")
            let expected = try #require(Double(text))
            #expect(parsed.bitPattern == expected.bitPattern, "\(text): \(parsed) vs \(expected)")
        }
        #expect(try JSONValue(parsing: "-0").numberValue?.sign == .minus, "-0 keeps its sign in the value")
        #expect(try JSONValue(parsing: "-0").canonicalString() == "0")
    }

    @Test("nesting up to the depth limit is accepted; one more level is rejected at its bracket")
    func depthLimit() throws {
        let limit = JSONLimits.default.maxDepth
        #expect(limit == 128)
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try JSONValue(parsing: deepest).canonicalString() == deepest)
        let tooDeep = "[" + deepest + "]"
        let error = parseError(tooDeep)
        #expect(error?.reason == .tooDeep(limit: 128))
        #expect(error?.byteOffset == 128)

        let objects = String(repeating: #"{"a":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        #expect(throws: Never.self) { try JSONValue(parsing: objects) }
        let tooDeepObjects = #"{"a":"# + objects + "}"
        #expect(parseError(tooDeepObjects)?.reason == .tooDeep(limit: 128))

        let mixed = String(repeating: #"[{"a":"#, count: 3) + "1" + String(repeating: "}]", count: 3)
        #expect(parseError(mixed, limits: JSONLimits(maxDepth: 6)) == nil)
        #expect(parseError(mixed, limits: JSONLimits(maxDepth: 5))?.reason == .tooDeep(limit: 5))
        #expect(parseError("1", limits: JSONLimits(maxDepth: 0)) == nil)
        #expect(parseError("[]", limits: JSONLimits(maxDepth: 0))?.reason == .tooDeep(limit: 0))
    }

    @Test("nesting depth 100,000 fails fast with an error, not a stack overflow")
    func hugeDepth() {
        // "Fast" without a clock: each input is also truncated (it never closes), so an error at the
        // opening bracket just past the limit, rather than "unexpected end" at its last byte, shows
        // that the parser stopped there instead of reading on.
        let arrays = [UInt8](repeating: 0x5B, count: 100_000)
        let error = parseError(arrays)
        #expect(error?.reason == .tooDeep(limit: 128))
        #expect(error?.byteOffset == 128)
        let objects = Array(String(repeating: #"{"k":"#, count: 100_000).utf8)
        let objectError = parseError(objects)
        #expect(objectError?.reason == .tooDeep(limit: 128))
        #expect(objectError?.byteOffset == 128 * 5)  // the 129th `{"k":`
        // A depth limit above the supported maximum is capped instead of risking the stack.
        let capped = parseError(arrays, limits: JSONLimits(maxDepth: .max))
        #expect(capped?.reason == .tooDeep(limit: JSONLimits.maximumSupportedDepth))
        #expect(capped?.byteOffset == JSONLimits.maximumSupportedDepth)
    }

    @Test(
        "deep values parse, serialize, compare and are freed on small stacks",
        arguments: [
            (JSONLimits.default.maxDepth, 512),  // the default depth on a 512 KiB thread
            (JSONLimits.maximumSupportedDepth, 4096),  // the deepest supported value on 4 MiB (debug builds need 1.4)
        ])
    func deepValuesOnSmallStacks(depth: Int, stackKiB: Int) throws {
        let text = String(repeating: #"{"a":["#, count: depth / 2) + "0" + String(repeating: "]}", count: depth / 2)
        final class Outcome: @unchecked Sendable {
            var passed = false
            var message = ""
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            do {
                let limits = JSONLimits(maxDepth: depth)
                let value = try JSONValue(parsing: text, limits: limits)
                let canonical = value.canonicalBytes()
                let pretty = value.serialized(pretty: true)
                let again = try JSONValue(parsing: pretty, limits: limits)
                var hasher = Hasher()
                again.hash(into: &hasher)
                _ = hasher.finalize()
                outcome.passed = again == value && canonical == Array(text.utf8) && !value.containsNonFiniteNumber
                if case .tooDeep = parseError("[" + text + "]", limits: limits)?.reason {} else { outcome.passed = false }
            } catch {
                outcome.message = "\(error)"
            }
        }
        thread.stackSize = stackKiB * 1024
        thread.start()
        done.wait()
        #expect(outcome.passed, "\(outcome.message)")
    }

    @Test("input size limit: at the limit is parsed, one byte more is rejected before parsing")
    func sizeLimit() throws {
        let limits = JSONLimits(maxInputBytes: 10)
        #expect(try JSONValue(parsing: "[1,2,3,45]", limits: limits) == [1, 2, 3, 45])
        let error = parseError("[1,2,3,456]", limits: limits)
        #expect(error?.reason == .tooLarge(limit: 10))
        #expect(error?.byteOffset == 10)
        // Not even the syntax is looked at.
        #expect(parseError("xxxxxxxxxxx", limits: limits)?.reason == .tooLarge(limit: 10))
        #expect(parseError("xxxxxxxxxxx".utf8.lazy.map { $0 }, limits: limits)?.reason == .tooLarge(limit: 10))

        // The default is 16 MiB.
        #expect(JSONLimits.default.maxInputBytes == 16 * 1024 * 1024)
        var big = [UInt8](repeating: 0x20, count: 16 * 1024 * 1024)
        big[0] = 0x5B
        big[big.count - 1] = 0x5D
        #expect(try JSONValue(parsing: big) == [])
        big.append(0x20)
        #expect(parseError(big)?.reason == .tooLarge(limit: 16 * 1024 * 1024))
    }

    @Test("large objects: duplicates are found by hashing, by exact scalars")
    func largeObjects() throws {
        var members = (0..<2_000).map { #""k\#($0)":\#($0)"# }
        members.append(#""\u00e9":1"#)
        members.append(#""e\u0301":2"#)
        let text = "{" + members.joined(separator: ",") + "}"
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.count == 2_002)
        #expect(value["k1999"] == 1999)

        let duplicate = "{" + (members + [#""k1000":0"#]).joined(separator: ",") + "}"
        let error = parseError(duplicate)
        #expect(error?.reason == .duplicateKey("k1000"))
        #expect(error?.byteOffset == duplicate.utf8.count - 10)
        let escapedDuplicate = "{" + (members + [#""\u0065\u0301":3"#]).joined(separator: ",") + "}"
        #expect(parseError(escapedDuplicate)?.reason == .duplicateKey("e\u{301}"))
    }

    @Test("any Collection of bytes parses: arrays, slices, lazy views, Data, strings")
    func entryPoints() throws {
        let text = #"{"a":[1,"é"]}"#
        let expected: JSONValue = ["a": [1, "é"]]
        let bytes = Array(text.utf8)
        #expect(try JSONValue(parsing: bytes) == expected)
        #expect(try JSONValue(parsing: ([0x20] + bytes + [0x20])[1...bytes.count]) == expected)
        #expect(try JSONValue(parsing: bytes.lazy.map { $0 }) == expected)
        #expect(try JSONValue(parsing: Data(bytes)) == expected)
        #expect(try JSONValue(parsing: text) == expected)
        #expect(try JSONValue(parsing: text.utf8) == expected)
        #expect(try JSONValue(parsing: Substring(text).utf8) == expected)
    }

    @Test("credential documents from the official vectors parse and re-parse from both serializations")
    func realDocuments() throws {
        for path in [
            "w3c-vc-di-eddsa/TestVectors/eddsa-jcs-2022/signedJCS.json",
            "w3c-vc-di-eddsa/TestVectors/proof-set-chain/signedProofChain2.json",
            "1edtech-digital-credentials-public-validator/inspector-vc/src/test/resources/ob30/bit-string-list/credential-status-revoked.json",
        ] {
            let value = try JSONValue(parsing: Vectors.bytes(path))
            #expect(try JSONValue(parsing: value.serialized()) == value, "\(path)")
            #expect(try JSONValue(parsing: value.serialized(pretty: true)) == value, "\(path)")
            #expect(try JSONValue.canonicalize(value.serialized(pretty: true)) == value.canonicalBytes())
        }
    }

    @Test("W3C eddsa-jcs-2022 canonical forms match the vectors byte for byte")
    func eddsaJCS() throws {
        let folder = "w3c-vc-di-eddsa/TestVectors"
        let unsigned = try JSONValue(parsing: Vectors.bytes("\(folder)/unsigned.json"))
        #expect(unsigned.canonicalBytes() == (try Vectors.bytes("\(folder)/eddsa-jcs-2022/canonDocJCS.txt")))
        let proofConfig = try JSONValue(parsing: Vectors.bytes("\(folder)/eddsa-jcs-2022/proofConfigJCS.json"))
        #expect(proofConfig.canonicalBytes() == (try Vectors.bytes("\(folder)/eddsa-jcs-2022/proofCanonJCS.txt")))

        // The signed document without its proof canonicalises to the same bytes as the unsigned one.
        var signed = try #require(try JSONValue(parsing: Vectors.bytes("\(folder)/eddsa-jcs-2022/signedJCS.json")).objectValue)
        var proof = try #require(signed.removeValue(forKey: "proof")?.objectValue)
        #expect(JSONValue.object(signed).canonicalBytes() == unsigned.canonicalBytes())
        #expect(proof.removeValue(forKey: "proofValue") != nil)
        proof["@context"] = unsigned["@context"]
        #expect(JSONValue.object(proof).canonicalBytes() == proofConfig.canonicalBytes())
    }
}
