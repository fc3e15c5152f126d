import CanonicalJSON

/// Deterministic documents for `mcred bench`: realistic ~2 KB micro-credentials and larger documents.
enum BenchCorpus {
    static let learnerNames = ["Ana Andromeda", "Zoë Ødegaard", "Łukasz Żółć", "Nguyễn Thị Hương", "Søren Kierkegård",
                               "王小明", "Μαρία Παπαδοπούλου", "José Ángel Núñez", "Aoife Ní Bhriain", "Ömer Çelik"]
    static let courses = ["Cybersecurity fundamentals", "Data literacy for public servants", "Green hydrogen basics",
                          "Introduction to machine learning", "Agile project management", "Circular economy design"]

    /// A micro-credential of about 2 KB whose values vary with `index`, issued by `issuer`.
    static func credential(_ index: Int, issuer: String) -> JSONValue {
        let course = courses[index % courses.count]
        let learner = learnerNames[index % learnerNames.count]
        let day = 1 + index % 28
        let date = "2026-\(index % 12 < 9 ? "0" : "")\(1 + index % 12)-\(day < 10 ? "0" : "")\(day)T09:00:00Z"
        return [
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                "https://mcred.example/ns/microcredential/v1",
            ],
            "id": .string("urn:uuid:5f2c8e0a-\(String(1000 + index % 9000))-4b7a-9e21-0c3d4e5f6a7b"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": .string(course),
            "issuer": [
                "id": .string(issuer),
                "type": ["Profile"],
                "name": "University of Zed",
                "url": "https://uniz.example",
                "address": ["type": ["Address"], "addressCountryCode": "IE", "addressRegion": "Leinster"],
            ],
            "validFrom": .string(date),
            "credentialSubject": [
                "id": .string("did:example:learner-\(index)"),
                "type": ["AchievementSubject"],
                "identifier": [[
                    "type": "IdentityObject", "identityType": "name", "hashed": false,
                    "identityHash": .string(learner),
                ]],
                "achievement": [
                    "id": .string("https://uniz.example/micro-credentials/\(index % courses.count)"),
                    "type": ["Achievement"],
                    "achievementType": "MicroCredential",
                    "name": .string(course),
                    "description": .string("A short course on \(course.lowercased()): concepts, tools and practice, "
                        + "assessed by a supervised project."),
                    "criteria": ["narrative": "Complete the project and pass the final assessment (≥ 50 %)."],
                    "creditsAvailable": .number(Double(1 + index % 10) / 2),
                    "alignment": [
                        ["type": ["Alignment"], "targetName": "EQF level 5", "targetType": "ext:EQFLevel",
                         "targetUrl": "http://data.europa.eu/snb/eqf/5"],
                    ],
                    "learningOutcomes": [
                        "Explain the main threats to an organisation's information systems.",
                        "Apply basic controls: multi-factor authentication, patching, back-ups.",
                    ],
                    "workloadHours": .number(Double(25 * (1 + index % 10))),
                    "assessmentType": "https://mcred.example/vocab/assessment-type/project",
                    "participationMode": "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
                    "qualityAssuranceType": "https://mcred.example/vocab/quality-assurance/internal-and-external",
                ],
                "result": [["type": ["Result"], "value": .string(["A", "B", "C", "D"][index % 4])]],
            ],
        ]
    }

    /// A large document (about `targetBytes`): an array of credential-like records with deep members.
    static func largeDocument(_ index: Int, targetBytes: Int) -> JSONValue {
        var records: [JSONValue] = []
        var size = 0
        var record = 0
        while size < targetBytes {
            let value = credential(index * 100_000 + record, issuer: "did:example:issuer-\(record % 7)")
            size += value.serialized().count + 1
            records.append(value)
            record += 1
        }
        return ["batch": .string("batch-\(index)"), "numbers": [1e21, 1e-7, 0.1, -0.0, 123456789012345680000.0],
                "credentials": .array(records)]
    }
}
