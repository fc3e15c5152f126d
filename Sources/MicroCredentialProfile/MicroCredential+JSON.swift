public import CanonicalJSON

extension MicroCredential {
    /// Reads the profile's members of a credential, leaving out any member of the wrong JSON type.
    ///
    /// Never fails: a member that is absent or malformed is `nil` (or an empty list) in the model. Use
    /// ``ProfileLinter`` to learn what is missing or malformed.
    public init(credential: JSONObject) {
        let subject = credential["credentialSubject"]?.objectValue ?? JSONObject()
        let achievement = subject["achievement"]?.objectValue ?? JSONObject()
        let allAlignments = (achievement["alignment"]?.arrayValue ?? []).compactMap(\.objectValue)
        func alignments(_ targetType: String) -> [JSONObject] {
            allAlignments.filter { $0["targetType"]?.stringValue.map { $0.isExactly(targetType) } ?? false }
        }

        id = credential["id"]?.stringValue
        achievementID = achievement["id"]?.stringValue
        description = achievement["description"]?.stringValue ?? credential["description"]?.stringValue
        learner = Learner(
            id: subject["id"]?.stringValue,
            identifiers: (subject["identifier"]?.arrayValue ?? []).compactMap { entry in
                guard let type = entry["identityType"]?.stringValue, let hash = entry["identityHash"]?.stringValue,
                      let hashed = entry["hashed"]?.boolValue
                else { return nil }
                return IdentityObject(identityType: type, hashed: hashed, identityHash: hash,
                                      salt: entry["salt"]?.stringValue)
            })
        title = achievement["name"]?.stringValue
        issuer = credential["issuer"]?.objectValue.map(AwardingBody.init(profile:))
        coAwardingBodies = (achievement["coAwardingBodies"]?.arrayValue ?? []).compactMap(\.objectValue)
            .map(AwardingBody.init(profile:))
        dateOfIssuing = DateOfIssuing(
            validFrom: credential["validFrom"]?.stringValue, awardedDate: credential["awardedDate"]?.stringValue)
        learningOutcomes = LearningOutcomes(
            statements: (achievement["learningOutcomes"]?.arrayValue ?? []).compactMap(\.stringValue),
            narrative: achievement["criteria"]?["narrative"]?.stringValue,
            escoSkills: alignments(ProfileVocabulary.escoAlignmentType).compactMap { alignment in
                alignment["targetUrl"]?.stringValue.map { ESCOSkill(name: alignment["targetName"]?.stringValue, url: $0) }
            })
        workload = Workload(
            credits: achievement["creditsAvailable"]?.numberValue,
            creditSystem: achievement["creditSystem"]?.stringValue,
            hours: achievement["workloadHours"]?.numberValue)
        level = Level(
            eqf: alignments(ProfileVocabulary.eqfAlignmentType).lazy
                .compactMap { $0["targetUrl"]?.stringValue.flatMap(ProfileVocabulary.eqfLevel(fromIRI:)) }.first,
            qfEheaCycle: achievement["qfEheaCycle"]?.stringValue.map(Concept.init(iri:)),
            national: alignments(ProfileVocabulary.nqfAlignmentType).map { alignment in
                NationalLevel(framework: alignment["targetFramework"]?.stringValue,
                              code: alignment["targetCode"]?.stringValue, url: alignment["targetUrl"]?.stringValue)
            })
        assessment = Assessment(
            type: achievement["assessmentType"]?.stringValue.map(Concept.init(iri:)),
            description: achievement["assessmentDescription"]?.stringValue)
        participation = Participation(
            mode: achievement["participationMode"]?.stringValue.map(Concept.init(iri:)),
            description: achievement["participationDescription"]?.stringValue)
        qualityAssurance = QualityAssurance(
            type: achievement["qualityAssuranceType"]?.stringValue.map(Concept.init(iri:)),
            description: achievement["qualityAssuranceDescription"]?.stringValue,
            body: achievement["qualityAssuranceBody"]?.stringValue)
        prerequisites = achievement["prerequisites"]?.stringValue
        supervision = subject["supervisionAndVerification"]?.stringValue.map(Concept.init(iri:))
        grade = Self.grade(subject: subject, achievement: achievement)
        let stackabilityType = achievement["stackability"]?.stringValue.map(Concept<StackabilityType>.init(iri:))
        let towards = achievement["stackableTowards"]?.stringValue
        stackability = stackabilityType == nil && towards == nil
            ? nil : Stackability(type: stackabilityType, towards: towards)
        furtherInformation = achievement["furtherInformation"]?.stringValue
    }

    /// The grade is the first result with a non-blank string `value` (§8.4, element 14).
    private static func grade(subject: JSONObject, achievement: JSONObject) -> Grade? {
        guard let result = (subject["result"]?.arrayValue ?? []).lazy.compactMap(\.objectValue)
            .first(where: { $0["value"]?.stringValue.map(ProfileSyntax.isNonBlank) ?? false }),
            let value = result["value"]?.stringValue
        else { return nil }
        let reference = result["resultDescription"]?.stringValue
        let description = reference.flatMap { reference in
            (achievement["resultDescription"]?.arrayValue ?? []).lazy.compactMap(\.objectValue).first {
                $0["id"]?.stringValue.map { $0.isExactly(reference) } ?? false
            }
        }
        return Grade(value: value, resultDescriptionID: reference, scale: description?["description"]?.stringValue,
                     resultType: description?["resultType"]?.stringValue)
    }

    /// The credential without a proof, with the members in the order of spec §6 and §7.3. Members whose value
    /// is `nil` are omitted, never written as `null`, `""` or `[]`.
    public var unsignedCredential: JSONObject {
        var credential: JSONObject = [
            "@context": .array(ProfileVocabulary.contexts.map(JSONValue.string)),
        ]
        credential.appendIfPresent("id", id)
        credential.append("type", .array(ProfileVocabulary.credentialTypes.map(JSONValue.string)))
        credential.appendIfPresent("name", title)
        credential.appendIfPresent("description", description)
        credential.appendIfPresent("issuer", issuer.map { .object($0.profile) })
        credential.appendIfPresent("validFrom", dateOfIssuing.validFrom)
        credential.appendIfPresent("awardedDate", dateOfIssuing.awardedDate)
        credential.append("credentialSubject", .object(subjectObject))
        credential.append("credentialSchema", .array(
            [ProfileVocabulary.openBadgesSchema, ProfileVocabulary.extensionSchema].map { schema in
                ["id": .string(schema), "type": .string(ProfileVocabulary.schemaValidatorType)]
            }))
        return credential
    }

    private var subjectObject: JSONObject {
        var subject = JSONObject()
        subject.appendIfPresent("id", learner.id)
        subject.append("type", ["AchievementSubject"])
        subject.appendIfPresent("identifier", learner.identifiers.isEmpty ? nil : .array(learner.identifiers.map { identity in
            var entry: JSONObject = [
                "type": "IdentityObject", "identityType": .string(identity.identityType),
                "hashed": .bool(identity.hashed), "identityHash": .string(identity.identityHash),
            ]
            entry.appendIfPresent("salt", identity.salt)
            return .object(entry)
        }))
        subject.append("achievement", .object(achievementObject))
        if let grade {
            var result: JSONObject = ["type": ["Result"]]
            result.appendIfPresent("resultDescription", grade.resultDescriptionID)
            result.append("value", .string(grade.value))
            subject.append("result", [.object(result)])
        }
        subject.appendIfPresent("supervisionAndVerification", supervision?.iri)
        return subject
    }

    private var achievementObject: JSONObject {
        var achievement = JSONObject()
        achievement.appendIfPresent("id", achievementID)
        achievement.append("type", ["Achievement"])
        achievement.append("achievementType", .string(ProfileVocabulary.achievementType))
        achievement.appendIfPresent("name", title)
        achievement.appendIfPresent("description", description)
        achievement.appendIfPresent("criteria", learningOutcomes.narrative.map { ["narrative": .string($0)] })
        achievement.appendIfPresent("learningOutcomes", learningOutcomes.statements.isEmpty
            ? nil : .array(learningOutcomes.statements.map(JSONValue.string)))
        achievement.appendIfPresent("creditsAvailable", workload.credits.map(JSONValue.number))
        achievement.appendIfPresent("creditSystem", workload.creditSystem)
        achievement.appendIfPresent("workloadHours", workload.hours.map(JSONValue.number))
        achievement.appendIfPresent("alignment", alignmentArray)
        achievement.appendIfPresent("qfEheaCycle", level.qfEheaCycle?.iri)
        achievement.appendIfPresent("assessmentType", assessment.type?.iri)
        achievement.appendIfPresent("assessmentDescription", assessment.description)
        achievement.appendIfPresent("participationMode", participation.mode?.iri)
        achievement.appendIfPresent("participationDescription", participation.description)
        achievement.appendIfPresent("qualityAssuranceType", qualityAssurance.type?.iri)
        achievement.appendIfPresent("qualityAssuranceDescription", qualityAssurance.description)
        achievement.appendIfPresent("qualityAssuranceBody", qualityAssurance.body)
        achievement.appendIfPresent("prerequisites", prerequisites)
        achievement.appendIfPresent("stackability", stackability?.type?.iri)
        achievement.appendIfPresent("stackableTowards", stackability?.towards)
        achievement.appendIfPresent("furtherInformation", furtherInformation)
        achievement.appendIfPresent("coAwardingBodies", coAwardingBodies.isEmpty
            ? nil : .array(coAwardingBodies.map { .object($0.profile) }))
        if let grade, let id = grade.resultDescriptionID {
            var description: JSONObject = ["id": .string(id), "type": ["ResultDescription"], "name": "Grade"]
            description.appendIfPresent("description", grade.scale)
            description.append("resultType", .string(grade.resultType ?? "Result"))
            achievement.append("resultDescription", [.object(description)])
        }
        return achievement
    }

    /// EQF, then national levels, then ESCO skills (§7.3); `nil` when there is none.
    private var alignmentArray: JSONValue? {
        var alignments: [JSONValue] = []
        func alignment(_ type: String, framework: String?, code: String?, name: String?, url: String?) -> JSONValue {
            var object: JSONObject = ["type": ["Alignment"], "targetType": .string(type)]
            object.appendIfPresent("targetFramework", framework)
            object.appendIfPresent("targetCode", code)
            object.appendIfPresent("targetName", name)
            object.appendIfPresent("targetUrl", url)
            return .object(object)
        }
        if let eqf = level.eqf {
            alignments.append(alignment(
                ProfileVocabulary.eqfAlignmentType, framework: "European Qualifications Framework", code: String(eqf),
                name: "EQF level \(eqf)", url: ProfileVocabulary.eqfLevelIRI(eqf)))
        }
        for national in level.national {
            alignments.append(alignment(
                ProfileVocabulary.nqfAlignmentType, framework: national.framework, code: national.code,
                name: national.framework.flatMap { framework in national.code.map { "\(framework) level \($0)" } },
                url: national.url))
        }
        for skill in learningOutcomes.escoSkills {
            alignments.append(alignment(
                ProfileVocabulary.escoAlignmentType, framework: "ESCO", code: nil, name: skill.name, url: skill.url))
        }
        return alignments.isEmpty ? nil : .array(alignments)
    }
}

extension MicroCredential.AwardingBody {
    /// Reads an OB Profile: `id`, `name`, `url`, `email`, `address.addressCountryCode`, `address.addressRegion`.
    init(profile: JSONObject) {
        self.init(
            id: profile["id"]?.stringValue, name: profile["name"]?.stringValue, url: profile["url"]?.stringValue,
            email: profile["email"]?.stringValue,
            countryCode: profile["address"]?["addressCountryCode"]?.stringValue,
            region: profile["address"]?["addressRegion"]?.stringValue)
    }

    /// The OB Profile: `id`, `type`, `name`, `url`?, `email`?, `address`?.
    var profile: JSONObject {
        var profile = JSONObject()
        profile.appendIfPresent("id", id)
        profile.append("type", ["Profile"])
        profile.appendIfPresent("name", name)
        profile.appendIfPresent("url", url)
        profile.appendIfPresent("email", email)
        if countryCode != nil || region != nil {
            var address: JSONObject = ["type": ["Address"]]
            address.appendIfPresent("addressCountryCode", countryCode)
            address.appendIfPresent("addressRegion", region)
            profile.append("address", .object(address))
        }
        return profile
    }
}

extension JSONObject {
    /// Appends a member. The builders above name each member once, so the name is not looked up among the
    /// members before it (a debug build checks that it is new).
    mutating func append(_ key: String, _ value: JSONValue) {
        assert(index(forKey: key) == nil, "\(key) is already a member")
        members.append(JSONMember(key, value))
    }

    /// Appends a string member when `value` is not `nil`.
    mutating func appendIfPresent(_ key: String, _ value: String?) {
        if let value { append(key, .string(value)) }
    }

    /// Appends a member when `value` is not `nil`.
    mutating func appendIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { append(key, value) }
    }
}
