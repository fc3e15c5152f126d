public import CanonicalJSON

/// A credential's 16 Annex I elements as a person reads them (spec §9), with each element's lint status.
///
/// ```swift
/// let inspection = CredentialInspection(credential: object)
/// for line in inspection.lines { print(line) }   // "Notional workload: 5 ECTS (125 hours)", …
/// ```
public struct CredentialInspection: Hashable, Sendable {
    /// One element, shown.
    public struct Element: Hashable, Sendable {
        /// What is shown for an element.
        public enum Value: Hashable, Sendable {
            /// A one-line value.
            case text(String)
            /// One line per entry, shown indented under the label (element 6).
            case list([String])
            /// A mandatory element with nothing to show.
            case missing
            /// An optional element that is not given; it is left out.
            case absent
        }

        public let element: MicroCredentialElement
        /// The lint status of the element.
        public let status: ProfileFinding.Status
        public let value: Value

        /// The element's lines of §9: `Label: value`, or the label and indented entries; none when absent.
        public var lines: [String] {
            let label = element.name
            switch value {
            case .text(let text): return ["\(label): \(text)"]
            case .list(let entries): return ["\(label):"] + entries.map { "  " + $0 }
            case .missing: return ["\(label): (missing)"]
            case .absent: return []
            }
        }

        /// The value as one string (a list's entries joined by line feeds); `nil` when missing or absent.
        public var text: String? {
            switch value {
            case .text(let text): text
            case .list(let entries): entries.joined(separator: "\n")
            case .missing, .absent: nil
            }
        }
    }

    /// The profile's members of the credential.
    public let model: MicroCredential
    /// The lint of the credential, whose statuses the elements carry.
    public let lint: ProfileLintReport
    /// All 16 elements, in order.
    public let elements: [Element]

    /// Reads every EU element of a credential and lints it.
    public init(credential: JSONObject) {
        let model = MicroCredential(credential: credential)
        let lint = ProfileLinter.lint(credential)
        self.model = model
        self.lint = lint
        let hasAchievement = credential["credentialSubject"]?["achievement"]?.objectValue != nil
        elements = MicroCredentialElement.allCases.map { element in
            let value: Element.Value = switch Self.render(element, of: model, hasAchievement: hasAchievement) {
            case nil: element.isMandatory ? .missing : .absent
            case let value?: value
            }
            return Element(element: element, status: lint[element].status, value: value)
        }
    }

    /// Every element's lines, in order (§9).
    public var lines: [String] { elements.flatMap(\.lines) }

    /// The inspection as `mcred inspect --format json` and `POST /v1/inspect` write it:
    /// `{"file", "elements": [{"number", "name", "mandatory", "status", "value"}], "lintPasses", "verification"}`.
    /// - Parameters:
    ///   - verification: the credential's verification report, as its JSON object.
    ///   - file: where the credential was read from.
    public func jsonObject(verification: JSONObject, file: String) -> JSONObject {
        [
            "file": .string(file),
            "elements": .array(elements.map { shown in
                [
                    "number": .number(Double(shown.element.number)),
                    "name": .string(shown.element.name),
                    "mandatory": .bool(shown.element.isMandatory),
                    "status": .string(shown.status.rawValue),
                    "value": shown.text.map(JSONValue.string) ?? .null,
                ]
            }),
            "lintPasses": .bool(lint.passes),
            "verification": .object(verification),
        ]
    }

    /// The value of one element by the rules of §9; `nil` when there is nothing to show.
    /// - Parameter hasAchievement: whether the credential has an achievement that could state a level.
    private static func render(
        _ element: MicroCredentialElement, of model: MicroCredential, hasAchievement: Bool
    ) -> Element.Value? {
        func joined(_ parts: [String?], _ separator: String) -> Element.Value? {
            let present = parts.compactMap(visible)
            return present.isEmpty ? nil : .text(present.joined(separator: separator))
        }
        switch element {
        case .learnerIdentification:
            let identifiers = model.learner.identifiers
            let isName = { (identity: MicroCredential.IdentityObject) in
                identity.identityType == "name" && !identity.hashed
            }
            let names = identifiers.filter(isName).map(\.identityHash)
            let others = identifiers.filter { !isName($0) }.map { identity in
                identity.hashed ? "\(identity.identityType) (hashed)" : "\(identity.identityType): \(identity.identityHash)"
            }
            return joined(names + others + [model.learner.id], "; ")
        case .title:
            return joined([model.title], "")
        case .countryOrRegion:
            var places: [String] = []
            for body in model.awardingBodies {
                guard let code = visible(body.countryCode) else { continue }
                let place = code + (visible(body.region).map { " (\($0))" } ?? "")
                if !places.contains(where: { $0.isExactly(place) }) { places.append(place) }
            }
            return joined(places, ", ")
        case .awardingBody:
            return joined(model.awardingBodies.map { body in
                [visible(body.name), visible(body.id).map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
            }, "; ")
        case .dateOfIssuing:
            guard let validFrom = visible(model.dateOfIssuing.validFrom) else { return nil }
            if let awarded = visible(model.dateOfIssuing.awardedDate), !awarded.isExactly(validFrom) {
                return .text("\(validFrom) (awarded \(awarded))")
            }
            return .text(validFrom)
        case .learningOutcomes:
            let outcomes = model.learningOutcomes
            var entries = outcomes.statements.compactMap(visible).map { "- " + $0 }
            if outcomes.statements.isEmpty, let narrative = visible(outcomes.narrative) {
                entries = narrative.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            entries += outcomes.escoSkills.map { skill in
                "ESCO: " + (visible(skill.name).map { "\($0) " } ?? "") + "<\(skill.url)>"
            }
            return entries.isEmpty ? nil : .list(entries)
        case .notionalWorkload:
            let workload = model.workload
            let credits = workload.credits.map { credits in
                workload.creditSystem == ProfileVocabulary.ectsCreditSystem
                    ? "\(number(credits)) ECTS"
                    : "\(number(credits)) credits" + (workload.creditSystem.map { " (\($0))" } ?? "")
            }
            let hours = workload.hours.map { $0 == 1 ? "1 hour" : "\(number($0)) hours" }
            if let credits, let hours { return .text("\(credits) (\(hours))") }
            return joined([credits, hours], "")
        case .level:
            let level = model.level
            let national: [String?] = level.national.map { national in
                [national.framework, national.code].compactMap(visible).joined(separator: " ")
            }
            let parts: [String?] = [level.eqf.map { "EQF \($0)" }, level.qfEheaCycle?.label] + national
            return joined(parts, ", ") ?? (hasAchievement ? .text("(not stated)") : nil)
        case .assessmentType:
            return joined([model.assessment.type?.label, model.assessment.description], " \u{2014} ")
        case .participationForm:
            return joined([model.participation.mode?.label, model.participation.description], " \u{2014} ")
        case .qualityAssurance:
            let qualityAssurance = model.qualityAssurance
            let body = visible(qualityAssurance.body).map { "(QA body: \($0))" }
            let main = [qualityAssurance.type?.label, qualityAssurance.description].compactMap(visible)
                .joined(separator: " \u{2014} ")
            return joined([main, body], " ")
        case .prerequisites:
            return joined([model.prerequisites], "")
        case .supervisionAndIdentityVerification:
            return joined([model.supervision?.label], "")
        case .grade:
            guard let grade = model.grade else { return nil }
            return .text(grade.value + (visible(grade.scale).map { " (\($0))" } ?? ""))
        case .stackability:
            return joined([model.stackability?.type?.label, model.stackability?.towards], " \u{2014} ")
        case .furtherInformation:
            return joined([model.furtherInformation], "")
        }
    }
}

/// The text when it is a non-blank string.
private func visible(_ text: String?) -> String? {
    text.flatMap { ProfileSyntax.isNonBlank($0) ? $0 : nil }
}

/// Integral values without a decimal point (`5`), others in shortest round-trip form (`7.5`).
private func number(_ value: Double) -> String {
    jcsNumberString(value)
}
