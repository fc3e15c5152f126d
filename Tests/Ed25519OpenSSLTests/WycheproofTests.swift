import Ed25519OpenSSL
import Foundation
import TestSupport
import Testing

struct WycheproofFile: Decodable {
    struct Group: Decodable {
        struct PublicKey: Decodable { let pk: String }
        let publicKey: PublicKey
        let tests: [Case]
    }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let msg, sig, result: String
    }
    let numberOfTests: Int
    let testGroups: [Group]

    static func load() throws -> Self {
        try JSONDecoder().decode(Self.self, from: Vectors.data("c2sp-wycheproof/testvectors_v1/ed25519_test.json"))
    }
}

@Suite("Ed25519 over OpenSSL: Wycheproof")
struct WycheproofTests {
    @Test("all 151 cases give their expected result")
    func allCases() throws {
        let file = try WycheproofFile.load()
        var checked = 0
        for group in file.testGroups {
            let key = try Ed25519PublicKey(rawRepresentation: hex(group.publicKey.pk))
            for test in group.tests {
                let valid = key.isValidSignature(hex(test.sig), for: hex(test.msg))
                #expect(valid == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment))")
                checked += 1
            }
        }
        #expect(checked == 151)
        #expect(file.numberOfTests == 151)
    }
}
