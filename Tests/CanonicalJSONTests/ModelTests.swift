import CanonicalJSON
import TestSupport
import Testing

@Suite("JSONValue and JSONObject API")
struct ModelTests {
    @Test("keyed access matches exact scalars; set replaces in place, appends, or removes")
    func objectSubscript() {
        var object: JSONObject = ["b": 1, "\u{E9}": 2]
        #expect(object["b"] == 1)
        #expect(object["e\u{301}"] == nil, "canonically equivalent but different scalars")
        #expect(object["\u{E9}"] == 2)
        #expect(object.contains(key: "\u{E9}"))
        #expect(!object.contains(key: "e\u{301}"))

        object["e\u{301}"] = 3
        #expect(object.keys == ["b", "\u{E9}", "e\u{301}"])
        object["b"] = "new"
        #expect(object.keys == ["b", "\u{E9}", "e\u{301}"], "replacing keeps the position")
        #expect(object["b"] == "new")
        object["\u{E9}"] = nil
        #expect(object.keys == ["b", "e\u{301}"])
        object["missing"] = nil
        #expect(object.count == 2)
        #expect(object.index(forKey: "e\u{301}") == 1)

        #expect(object.removeValue(forKey: "b") == "new")
        #expect(object.removeValue(forKey: "b") == nil)
        #expect(object.members == [JSONMember("e\u{301}", 3)])
        #expect(object.first?.key == "e\u{301}", "an object is a collection of members")
    }

    @Test("equality: exact scalars, numbers with ==, objects in order; hashing agrees")
    func equality() {
        #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
        #expect(JSONValue.string("\u{E9}") == .string("\u{E9}"))
        #expect(JSONValue.number(0) == .number(-0.0))
        #expect(JSONValue.number(1) != .string("1"))
        #expect(JSONValue.null != .bool(false))
        let ab: JSONValue = ["a": 1, "b": 2]
        let ba: JSONValue = ["b": 2, "a": 1]
        #expect(ab != ba, "member order matters")
        #expect(ab.canonicalBytes() == ba.canonicalBytes())
        #expect(JSONMember("\u{C5}", 1) != JSONMember("A\u{30A}", 1))

        let values: [JSONValue] = ["\u{E9}", "e\u{301}", 0, -0.0, ab, ba, [1, 2], [2, 1], nil, true, false]
        #expect(Set(values).count == 10, "-0 == 0; everything else is distinct")
        #expect(Set([JSONValue.number(0), .number(-0.0)]).count == 1)
    }

    @Test("convenience accessors")
    func accessors() {
        let value: JSONValue = ["s": "x", "n": 1.5, "b": true, "z": nil, "a": [1, "two"], "o": ["k": "v"]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.numberValue == 1.5)
        #expect(value["b"]?.boolValue == true)
        #expect(value["z"]?.isNull == true)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["a"]?[1] == "two")
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["o"]?.objectValue?["k"] == "v")
        #expect(value["o"]?["k"] == "v")
        #expect(value["missing"] == nil)
        #expect(value["s"]?["k"] == nil, "a string has no members")
        #expect(value["s"]?.numberValue == nil)
        #expect(value.stringValue == nil)
        #expect(value[0] == nil)
        #expect(!value.isNull)
    }

    @Test("literals: dictionary literals keep their order")
    func literals() {
        let value: JSONValue = ["z": 1, "a": [true, nil, 2.5, "s"], "m": [:]]
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.serialized() == Array(#"{"z":1,"a":[true,null,2.5,"s"],"m":{}}"#.utf8))
        #expect(value.canonicalString() == #"{"a":[true,null,2.5,"s"],"m":{},"z":1}"#)
        let object: JSONObject = ["é": 1, "e\u{301}": 2]
        #expect(object.count == 2)
    }

    @Test("a duplicate name in a dictionary literal is a programming error")
    func duplicateLiteralTraps() async {
        await #expect(processExitsWith: .failure) {
            let value: JSONValue = ["a": 1, "a": 2]
            _ = value
        }
        await #expect(processExitsWith: .failure) {
            let object: JSONObject = ["\u{E9}": 1, "\u{E9}": 2]
            _ = object
        }
    }

    @Test("containsNonFiniteNumber finds NaN and infinities anywhere")
    func nonFinite() {
        #expect(!(["a": [1, 2, ["b": 3]]] as JSONValue).containsNonFiniteNumber)
        #expect(JSONValue.array([1, .object(JSONObject([JSONMember("x", .number(.nan))]))]).containsNonFiniteNumber)
        #expect(JSONValue.number(-.infinity).containsNonFiniteNumber)
    }
}

@Suite("Serializers: JCS escaping, numbers, member order, pretty printing")
struct SerializerTests {
    @Test("every control character and the JCS escapes")
    func stringEscaping() throws {
        var scalars = String.UnicodeScalarView()
        for value in 0..<0x20 { scalars.append(Unicode.Scalar(UInt8(value))) }
        let controls = String(scalars)
        let expected =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        #expect(JSONValue.string(controls).canonicalString() == expected)
        #expect(try JSONValue(parsing: expected) == .string(controls))
        #expect(JSONValue.string("\"\\/").canonicalString() == #""\"\\/""#, "solidus is not escaped")
        #expect(JSONValue.string("\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}😀").canonicalString()
            == "\"\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}😀\"", "written raw")
        // Long strings exercise the word-at-a-time scan; put the special byte at every offset.
        for length in 1...24 {
            for position in 0..<length {
                var bytes = [UInt8](repeating: 0x61, count: length)
                bytes[position] = 0x22
                let text = String(decoding: bytes, as: UTF8.self)
                let escaped = String(decoding: bytes.flatMap { $0 == 0x22 ? [0x5C, 0x22] : [$0] }, as: UTF8.self)
                #expect(JSONValue.string(text).canonicalString() == "\"\(escaped)\"")
            }
        }
    }

    @Test("numbers follow ECMAScript: integers in full below 1e21, exponents outside [1e-6, 1e21)")
    func numbers() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (100, "100"), (1e-7, "1e-7"), (1e-6, "0.000001"),
            (0.000001234, "0.000001234"), (1.5e-7, "1.5e-7"), (1.2345678901234568e20, "123456789012345680000"),
            (1e21, "1e+21"), (1e20, "100000000000000000000"), (1.5e21, "1.5e+21"), (9007199254740992, "9007199254740992"),
            (9007199254740994, "9007199254740994"), (-9007199254740991, "-9007199254740991"), (4.5, "4.5"),
            (0.1, "0.1"), (0.30000000000000004, "0.30000000000000004"), (.leastNonzeroMagnitude, "5e-324"), (Double(bitPattern: 4), "2e-323"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (-1e-7, "-1e-7"), (1e300, "1e+300"),
            (333333333.33333329, "333333333.3333333"), (2e-3, "0.002"), (1e30, "1e+30"), (56.0, "56"),
        ]
        for (value, expected) in cases {
            #expect(jcsNumberString(value) == expected, "\(value)")
            #expect(JSONValue.number(value).canonicalString() == expected)
            #expect(JSONValue.number(value).serialized() == Array(expected.utf8))
        }
    }

    @Test("compact and pretty output keep member order")
    func ordered() throws {
        let value: JSONValue = ["b": [1, ["y": nil, "x": "\n"]], "a": [:], "c": [], "d": [[]]]
        #expect(value.serialized() == Array(#"{"b":[1,{"y":null,"x":"\n"}],"a":{},"c":[],"d":[[]]}"#.utf8))
        let pretty = """
            {
              "b": [
                1,
                {
                  "y": null,
                  "x": "\\n"
                }
              ],
              "a": {},
              "c": [],
              "d": [
                []
              ]
            }
            """
        #expect(String(decoding: value.serialized(pretty: true), as: UTF8.self) == pretty)
        #expect(JSONValue.string("x").serialized(pretty: true) == Array(#""x""#.utf8))
        #expect(JSONValue.number(-0.0).serialized(pretty: true) == Array("0".utf8))
        #expect(value.canonicalString() == #"{"a":{},"b":[1,{"x":"\n","y":null}],"c":[],"d":[[]]}"#)
    }

    @Test("writeCanonical appends to the buffer it is given")
    func appending() {
        var buffer = Array("prefix:".utf8)
        (["b": 1, "a": 2] as JSONValue).writeCanonical(into: &buffer)
        JSONValue.array([]).writeCanonical(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":2,"b":1}[]"#)
    }

    @Test("key order is UTF-16 code-unit order, including astral against U+E000…U+FFFF")
    func keyOrder() {
        let keys = [
            "", "\u{0}", "a", "a\u{0}", "ab", "b", "\u{7F}", "\u{80}", "\u{FF}", "\u{100}", "\u{7FF}", "\u{800}",
            "\u{D7FF}", "\u{E000}", "\u{E000}a", "\u{EFFF}", "\u{F000}", "\u{FB33}", "\u{FFFD}", "\u{10000}",
            "\u{1F600}", "\u{1F600}\u{0}", "\u{10FFFD}", "a\u{E000}", "a\u{1F600}", "\u{20AC}", "\u{E9}", "e\u{301}",
        ]
        for a in keys {
            for b in keys {
                let expected = a.utf16.lexicographicallyPrecedes(b.utf16)
                #expect(jcsKeyPrecedes(a, b) == expected, "\(a.debugDescription) < \(b.debugDescription)")
            }
        }
        // Sorting an object with all of them gives the reference order; long objects use the other sort.
        for count in [keys.count, 8, 2] {
            let subset = Array(keys.prefix(count))
            let object = JSONValue.object(JSONObject(subset.reversed().map { JSONMember($0, .null) }))
            let reparsed = try? JSONValue(parsing: object.canonicalBytes()).objectValue?.keys
            #expect(reparsed == subset.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        }
    }
}
