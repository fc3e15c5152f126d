import CanonicalJSON
import Ed25519OpenSSL
import Foundation
import DataIntegrity
import MicroCredentials
@testable import MicroCredentialProfile
import TestSupport
import Testing

/// The repository's `spec/` folder, found from this file's path.
let profileSpecDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("spec")

/// A file of `spec/examples`, parsed.
func profileExample(_ name: String) throws -> JSONValue {
    let data = try Data(contentsOf: profileSpecDirectory.appendingPathComponent("examples/\(name)"))
    return try JSONValue(parsing: Array(data))
}

/// A file of `spec/examples` that holds an object.
func profileExampleObject(_ name: String) throws -> JSONObject {
    try #require(try profileExample(name).objectValue)
}

/// The demo issuer key of `keys-example/`, whose did:key the golden examples name.
func profileDemoKey() throws -> Ed25519PrivateKey {
    let url = profileSpecDirectory.deletingLastPathComponent().appendingPathComponent("keys-example/issuer.key.pem")
    return try Ed25519PrivateKey(pemOrDER: Array(Data(contentsOf: url)))
}

enum ProfileExamples {
    /// The demo key's DID, named by the golden examples.
    static let issuer = "did:key:z6MkksCikHnH7dDBXSkrc1opb5WySJPUgCfaMtf4QxzAGSLZ"
    /// The fixed credential id of the golden examples.
    static let credentialID = "urn:uuid:df48b852-f65f-423a-b3d1-90105380e391"
    /// The proof `created` of `credential-signed.json`.
    static let created = DateTimeStamp("2025-06-30T00:00:00Z")!

    /// The example course and learner issued with the demo key's DID and the fixed id.
    static func issued() throws -> MicroCredential {
        var generator = SystemRandomNumberGenerator()
        return MicroCredential(
            course: try CourseDescription(json: profileExample("course.json")),
            learner: try LearnerRecord(json: profileExample("learner.json")),
            issuer: issuer, credentialID: credentialID, using: &generator)
    }
}

extension JSONObject {
    /// A copy with the member at a dotted path of nested objects set to `value`, or removed when it is `nil`.
    func settingMember(atPath path: String, to value: JSONValue?) -> JSONObject {
        var copy = self
        let names = path.split(separator: ".", maxSplits: 1).map(String.init)
        if names.count == 1 {
            copy[names[0]] = value
        } else {
            let child = copy[names[0]]?.objectValue ?? JSONObject()
            copy[names[0]] = .object(child.settingMember(atPath: names[1], to: value))
        }
        return copy
    }
}

