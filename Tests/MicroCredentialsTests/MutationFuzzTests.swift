import CanonicalJSON
import DataIntegrity
import Foundation
import MicroCredentials
import TestSupport
import Testing

/// Seeded random mutations of the signed example credential (both proofs): every one gets a report — no trap,
/// no hang — and none whose signed content changed verifies.
@Suite struct MutationFuzzTests {
    @Test func mutatedCredentialsAreReportedNeverTrap() async throws {
        let bytes = try Data(contentsOf: packageRoot().appendingPathComponent("spec/examples/credential-signed.json"))
        let original = try JSONValue(parsing: Array(bytes))
        let verifier = CredentialVerifier(resolvers: ResolverRegistry([DIDKeyResolver()]))
        let time = DateTimeStamp("2027-01-01T00:00:00Z")!
        var generator = SplitMix64(seed: 0x6D75_7461_7465)
        var reports = 0
        for _ in 0..<300 {
            var mutated = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) { mutate(&mutated, using: &generator) }
            let report = await verifier.verify(mutated, at: time)
            reports += 1
            // A changed proof may leave the other proof to verify the credential; changed content may not.
            if unsecured(mutated) != unsecured(original) {
                #expect(!report.isValid, "a changed credential verified: \(mutated.canonicalString())")
            }
        }
        #expect(reports == 300)
    }

    /// The credential without its proofs: what the proofs sign.
    private func unsecured(_ value: JSONValue) -> JSONValue {
        guard case .object(var object) = value else { return value }
        object["proof"] = nil
        return .object(object)
    }

    /// Replaces, removes or adds one member or element somewhere in `value`.
    private func mutate(_ value: inout JSONValue, using generator: inout SplitMix64, depth: Int = 0) {
        switch value {
        case .object(var object) where !object.keys.isEmpty && (depth < 6 && Bool.random(using: &generator)):
            let key = object.keys[Int.random(in: 0..<object.keys.count, using: &generator)]
            var child = object[key]!
            mutate(&child, using: &generator, depth: depth + 1)
            object[key] = child
            value = .object(object)
        case .array(var items) where !items.isEmpty && (depth < 6 && Bool.random(using: &generator)):
            let index = Int.random(in: 0..<items.count, using: &generator)
            mutate(&items[index], using: &generator, depth: depth + 1)
            value = .array(items)
        case .object(var object):
            switch Int.random(in: 0..<3, using: &generator) {
            case 0 where !object.keys.isEmpty: object[object.keys[0]] = nil
            case 1: object[["@context", "@graph", "@type", "@id", "@list", "extra", "proof"].randomElement(using: &generator)!] =
                randomValue(using: &generator)
            default: value = randomValue(using: &generator); return
            }
            value = .object(object)
        default:
            value = randomValue(using: &generator)
        }
    }

    private func randomValue(using generator: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth < 2 ? 9 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number([0, -0.0, 1e21, 9.3e18, 5e-324, 1.5, 1.7976931348623157e308, -12].randomElement(using: &generator)!)
        case 3: return .number(Double(Int64.random(in: .min ... .max, using: &generator)))
        case 4: return .string(["", "@id", "@type", "@list", "_:b0", "did:key:z6Mk", "urn:x", "eddsa-rdfc-2022",
                                "2026-01-01T00:00:00Z", "é\u{301}\"\\\n\u{0}😀"].randomElement(using: &generator)!)
        case 5: return .string("z" + String(repeating: "A", count: Int.random(in: 0...100, using: &generator)))
        case 6: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomValue(using: &generator, depth: depth + 1) })
        case 7: return ["@list": .array([randomValue(using: &generator, depth: depth + 1)])]
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                object[["id", "type", "@value", "@id", "@type", "name", "@context"].randomElement(using: &generator)!] =
                    randomValue(using: &generator, depth: depth + 1)
            }
            return .object(object)
        }
    }
}
