import CanonicalJSON
import Foundation
import DataIntegrity
import MicroCredentials
@testable import MicroCredentialProfile
import TestSupport
import Testing

private let achievement = "credentialSubject.achievement"

@Suite("Profile: inspect rendering (spec §9)")
struct ProfileInspectionTests {
    /// The fenced block after "Expected output for `spec/examples/credential-unsigned.json`:" in the profile.
    func expectedLinesFromSpec() throws -> [String] {
        let spec = try String(contentsOf: profileSpecDirectory.appendingPathComponent("microcredential-profile.md"),
                              encoding: .utf8)
        let marker = try #require(spec.range(of: "Expected output for `spec/examples/credential-unsigned.json`:"))
        let afterMarker = spec[marker.upperBound...]
        let open = try #require(afterMarker.range(of: "```\n"))
        let close = try #require(afterMarker[open.upperBound...].range(of: "\n```"))
        return afterMarker[open.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
    }

    @Test("the example credential renders exactly as the spec shows")
    func exampleMatchesSpec() throws {
        let inspection = CredentialInspection(credential: try profileExampleObject("credential-unsigned.json"))
        #expect(inspection.lines == (try expectedLinesFromSpec()))
        #expect(inspection.elements.count == 16)
        #expect(inspection.elements.allSatisfy { $0.status == .pass })
        #expect(inspection.lines.contains("Notional workload: 5 ECTS (125 hours)"))
        #expect(inspection.lines.contains("Level: EQF 5, QF-EHEA short cycle"))
    }

    @Test("a missing mandatory element shows (missing); an absent optional one is left out")
    func missingAndAbsent() throws {
        let credential = try profileExampleObject("credential-unsigned.json")
            .settingMember(atPath: "\(achievement).assessmentType", to: nil)
            .settingMember(atPath: "\(achievement).assessmentDescription", to: nil)
            .settingMember(atPath: "\(achievement).prerequisites", to: nil)
        let inspection = CredentialInspection(credential: credential)
        #expect(inspection.lines.contains("Type of assessment: (missing)"))
        #expect(!inspection.lines.contains { $0.hasPrefix("Prerequisites") })
        let assessment = inspection.elements[MicroCredentialElement.assessmentType.rawValue - 1]
        #expect(assessment.value == .missing && assessment.status == .fail && assessment.text == nil)
        #expect(inspection.elements[MicroCredentialElement.prerequisites.rawValue - 1].value == .absent)
    }

    @Test("without credentialSubject every mandatory element is (missing), the level too")
    func subjectMissing() throws {
        let credential = try profileExampleObject("credential-unsigned.json")
            .settingMember(atPath: "credentialSubject", to: nil)
        let elements = CredentialInspection(credential: credential).elements
        let shown = elements.filter { $0.value != .missing }.map(\.element)
        #expect(shown == [.countryOrRegion, .awardingBody, .dateOfIssuing, .prerequisites,
                          .supervisionAndIdentityVerification, .grade, .stackability, .furtherInformation])
        #expect(elements.filter { !$0.element.isMandatory }.allSatisfy { $0.value == .absent })
        #expect(elements[MicroCredentialElement.level.rawValue - 1].lines == ["Level: (missing)"])
    }

    @Test("workload forms: other credit systems, fractions, one hour")
    func workload() throws {
        let base = try profileExampleObject("credential-unsigned.json")
        func line(_ credential: JSONObject) -> String? {
            CredentialInspection(credential: credential).lines.first { $0.hasPrefix("Notional workload") }
        }
        #expect(line(base.settingMember(atPath: "\(achievement).creditsAvailable", to: 7.5)
            .settingMember(atPath: "\(achievement).creditSystem", to: "https://credits.example/cat")
            .settingMember(atPath: "\(achievement).workloadHours", to: 1))
            == "Notional workload: 7.5 credits (https://credits.example/cat) (1 hour)")
        #expect(line(base.settingMember(atPath: "\(achievement).creditsAvailable", to: nil)
            .settingMember(atPath: "\(achievement).creditSystem", to: nil))
            == "Notional workload: 125 hours")
    }

    @Test("levels: none stated, national framework levels, unknown IRIs shown as themselves")
    func levelsAndLabels() throws {
        let base = try profileExampleObject("credential-unsigned.json")
        let none = CredentialInspection(credential: base.settingMember(atPath: "\(achievement).alignment", to: nil)
            .settingMember(atPath: "\(achievement).qfEheaCycle", to: nil))
        #expect(none.lines.contains("Level: (not stated)"))
        let national = CredentialInspection(credential: base.settingMember(atPath: "\(achievement).alignment", to: [
            ["type": ["Alignment"], "targetType": "ext:NQFLevel", "targetFramework": "Irish NFQ", "targetCode": "6",
             "targetName": "Irish NFQ level 6", "targetUrl": "http://data.europa.eu/snb/qdr/c_ie6"],
        ]).settingMember(atPath: "\(achievement).participationMode", to: "https://modes.example/hybrid"))
        #expect(national.lines.contains("Level: QF-EHEA short cycle, Irish NFQ 6"))
        #expect(national.lines.contains("Form of participation: https://modes.example/hybrid \u{2014} Six online sessions and one campus workshop."))
        #expect(!national.lines.contains { $0.hasPrefix("  ESCO:") })
    }

    @Test("outcomes given only as narrative are shown from the narrative")
    func narrativeOnly() throws {
        let credential = try profileExampleObject("credential-unsigned.json")
            .settingMember(atPath: "\(achievement).learningOutcomes", to: nil)
            .settingMember(atPath: "\(achievement).alignment", to: nil)
            .settingMember(atPath: "\(achievement).criteria.narrative", to: "Can weld.\nCan braze.")
        let lines = CredentialInspection(credential: credential).lines
        let start = try #require(lines.firstIndex(of: "Learning outcomes:"))
        #expect(Array(lines[start...].prefix(3)) == ["Learning outcomes:", "  Can weld.", "  Can braze."])
    }

    @Test("the awarded date is shown when it differs from validFrom; duplicate places once")
    func dateAndPlaces() throws {
        let credential = try profileExampleObject("credential-unsigned.json")
            .settingMember(atPath: "validFrom", to: "2025-07-01T00:00:00Z")
            .settingMember(atPath: "\(achievement).coAwardingBodies", to: [
                ["id": "https://a.example", "type": ["Profile"], "name": "A",
                 "address": ["type": ["Address"], "addressCountryCode": "IE", "addressRegion": "Dublin"]],
            ])
        let lines = CredentialInspection(credential: credential).lines
        #expect(lines.contains("Date of issuing: 2025-07-01T00:00:00Z (awarded 2025-06-30T00:00:00Z)"))
        #expect(lines.contains("Country(ies)/Region(s) of the issuer: IE (Dublin)"))
        #expect(lines.contains { $0.hasSuffix("; A <https://a.example>") })
    }
}
