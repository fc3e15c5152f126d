package import CanonicalJSON

/// The `proof` member of a credential.
package enum ProofSet {
    case missing
    case malformed(String)
    case proofs([JSONValue])

    package init(_ credential: JSONObject) {
        let member = credential["proof"]
        switch member {
        case nil: self = .missing
        case let single? where single.objectValue != nil: self = .proofs([single])
        case .array(let proofs)? where proofs.isEmpty: self = .malformed("proof is an empty array")
        case .array(let proofs)?: self = .proofs(proofs)
        case let other?: self = .malformed("proof is \(other.kindDescription); expected an object or an array of objects")
        }
    }

    package var count: Int {
        if case .proofs(let proofs) = self { return proofs.count }
        return 0
    }

    package var cryptosuites: [String] {
        guard case .proofs(let proofs) = self else { return [] }
        return proofs.map { $0["cryptosuite"]?.stringValue ?? $0["type"]?.stringValue ?? "?" }
    }
}

/// The members of one proof, and what is wrong with them.
package struct ProofShape {
    package var problems: [String] = []
    package var type = ""
    package var cryptosuite: String?
    package var verificationMethod = ""
    package var purpose = ""
    package var created: DateTimeStamp?
    package var expires: DateTimeStamp?
    package var previousProofs: [String] = []

    package init(_ proof: JSONObject, expectedPurpose: String) {
        func string(_ name: String, required: Bool) -> String? {
            switch proof[name] {
            case .string(let value)?: return value
            case nil:
                if required { problems.append("the proof has no \(name)") }
            case let other?:
                problems.append("proof \(name) is \(other.kindDescription), not a string")
            }
            return nil
        }
        type = string("type", required: true) ?? ""
        cryptosuite = string("cryptosuite", required: type == EddsaJcs2022.proofType)
        verificationMethod = string("verificationMethod", required: true) ?? ""
        let purposeText = string("proofPurpose", required: true)
        purpose = purposeText ?? ""
        if purposeText != nil && !purpose.isExactly(expectedPurpose) {
            problems.append("proofPurpose is \"\(purpose)\"; a credential's proof must be for \"\(expectedPurpose)\"")
        }
        _ = string("proofValue", required: true)
        func dateTimeStamp(_ name: String) -> DateTimeStamp? {
            guard let text = string(name, required: false) else { return nil }
            guard let stamp = DateTimeStamp(text) else {
                problems.append("proof \(name) \"\(text)\" is not an XML Schema dateTimeStamp (e.g. 2026-01-31T09:00:00Z)")
                return nil
            }
            return stamp
        }
        created = dateTimeStamp("created")
        expires = dateTimeStamp("expires")
        switch proof["previousProof"] {
        case nil: break
        case .string(let id)?: previousProofs = [id]
        case .array(let ids)? where ids.allSatisfy({ $0.stringValue != nil }): previousProofs = ids.compactMap(\.stringValue)
        case _?: problems.append("proof previousProof must be a string or an array of strings")
        }
    }
}
