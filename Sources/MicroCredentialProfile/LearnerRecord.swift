import DataIntegrity
public import CanonicalJSON

/// LEARNER.json: one learner who is awarded the micro-credential, and their result (spec §7.2,
/// `spec/schemas/learner.schema.json`).
///
/// Parsing applies every rule of the schema, maps the identifier type to its OB IdentifierTypeEnum value and
/// normalises the date (§7.3). Unknown members are errors; `$schema` is allowed and ignored.
public struct LearnerRecord: Hashable, Sendable {
    /// The identifier the awarding body knows the learner by (element 1).
    public struct Identifier: Hashable, Sendable {
        /// The OB IdentifierTypeEnum value (`email` is already `emailAddress`) or an `ext:` term.
        public var identityType: String
        /// The identifier as given.
        public var value: String
        /// Whether only a salted SHA-256 of the value goes into the credential.
        public var hashed: Bool
        /// The salt; when `hashed` and `nil`, the issuer generates one.
        public var salt: String?
    }

    /// The learner's grade (element 14).
    public struct Grade: Hashable, Sendable {
        public var value: String
        /// The grading scale in words.
        public var scale: String?
        /// An OB ResultType value or an `ext:` term; `Result` by default.
        public var resultType: String
    }

    /// The learner's DID or URI.
    public var id: String?
    /// The learner's full name as it is to be shown.
    public var name: String
    public var identifier: Identifier
    /// Element 5, normalised to `YYYY-MM-DDTHH:MM:SSZ`.
    public var awardedDate: String
    /// Element 14.
    public var grade: Grade?
    /// Element 13.
    public var supervision: SupervisionType?

    /// Input shorthands for OB IdentifierTypeEnum values.
    static let identifierShorthands = [
        "email": "emailAddress", "studentId": "sisSourcedId", "nationalId": "nationalIdentityNumber",
    ]

    /// The OB 3.0 IdentifierTypeEnum values.
    static let identifierTypes = [
        "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
        "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId",
        "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier",
    ]

    /// The OB 3.0 ResultType values.
    static let resultTypes = [
        "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore", "RawScore", "Result",
        "RubricCriterion", "RubricCriterionLevel", "RubricScore", "ScaledScore", "Status",
    ]

    /// Reads LEARNER.json.
    public init(json: JSONValue) throws(ProfileInputError) {
        let learner = try InputReader(json, document: .learner, allowed: [
            "$schema", "id", "name", "identifier", "awardedDate", "grade", "supervision",
        ])
        _ = try learner.string("$schema", "a string (it is ignored)", where: { _ in true })
        id = try learner.absoluteIRI("id")
        name = try learner.requiredLine("name")

        let identifier = try learner.requiredObject(
            "identifier", allowed: ["type", "value", "hashed", "salt"], expected: "an object with type and value")
        let typeExpectation = "email, studentId, nationalId, an OB IdentifierTypeEnum value such as userName, "
            + "or an ext: term"
        let type = try identifier.requiredString("type", typeExpectation) { type in
            Self.identifierShorthands[type] != nil || Self.identifierTypes.contains(type) || Self.isExtensionTerm(type)
        }
        let hashed = try identifier.boolean("hashed") ?? false
        let salt = try identifier.string("salt", "a non-empty string", where: { !$0.isEmpty })
        if salt != nil && !hashed {
            throw identifier.invalid("hashed", "true when a salt is given (the salt is only used for hashing)")
        }
        self.identifier = Identifier(
            identityType: Self.identifierShorthands[type] ?? type,
            value: try identifier.requiredString("value", Expected.text, where: ProfileSyntax.hasVisibleCharacter),
            hashed: hashed, salt: salt)

        let dateExpectation = "a date YYYY-MM-DD or a date-time with offset (XML Schema dateTimeStamp) from year 0001 to 9999 in UTC, e.g. 2025-06-30T10:15:30+02:00"
        var normalized: String?
        _ = try learner.requiredString("awardedDate", dateExpectation) { date in
            normalized = Self.normalizedDate(date)
            return normalized != nil
        }
        awardedDate = normalized!

        if let grade = try learner.object("grade", allowed: ["value", "scale", "resultType"]) {
            let resultType = try grade.string(
                "resultType", "an OB ResultType such as LetterGrade or Percent, or an ext: term"
            ) { Self.resultTypes.contains($0) || Self.isExtensionTerm($0) }
            self.grade = Grade(
                value: try grade.requiredString("value", Expected.text, where: ProfileSyntax.hasVisibleCharacter),
                scale: try grade.text("scale"), resultType: resultType ?? "Result")
        } else {
            grade = nil
        }

        if let supervision = try learner.object("supervision", allowed: ["type", "identityVerified"]) {
            guard let type = try supervision.term("type", SupervisionType.self) else {
                throw supervision.missing("type", Expected.oneOf(SupervisionType.allCases.map(\.rawValue)))
            }
            if let verified = try supervision.boolean("identityVerified"), verified != type.verifiesIdentity {
                throw supervision.invalid("identityVerified", "\(type.verifiesIdentity) for type \(type.rawValue)")
            }
            self.supervision = type
        } else {
            supervision = nil
        }
    }

    /// `^ext:[A-Za-z0-9._-]+$`
    static func isExtensionTerm(_ text: String) -> Bool {
        text.hasPrefix("ext:") && text.utf8.count > 4
            && text.utf8.dropFirst(4).allSatisfy { ProfileSyntax.isASCIIAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// `YYYY-MM-DD` → `YYYY-MM-DDT00:00:00Z`; a date-time → UTC without fractional seconds (§7.3).
    /// `nil` unless the text is an XML Schema dateTimeStamp whose UTC form has a four-digit year.
    static func normalizedDate(_ text: String) -> String? {
        let dateTime = text.utf8.count == 10 ? text + "T00:00:00Z" : text
        guard let stamp = DateTimeStamp(dateTime) else { return nil }
        let utc = DateTimeStamp(secondsSinceEpoch: stamp.secondsSinceEpoch)
        // 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z: what OB 3.0's date-time format and our schemas accept.
        guard (-62_135_596_800 ..< 253_402_300_800).contains(utc.secondsSinceEpoch) else { return nil }
        return utc.text
    }
}
