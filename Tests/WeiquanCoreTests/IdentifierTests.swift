import Foundation
import Testing
import WeiquanCore

@Suite struct IdentifierTests {
    struct Holder: Codable, Equatable {
        var applicant: ApplicantID
        var handoff: HandoffID?
        var units: [UnitID: Int]
    }

    @Test func anIdentifierIsItsStringInJSON() throws {
        let holder = Holder(applicant: "o6_abc", handoff: "H000042", units: ["nanning": 2])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(holder), as: UTF8.self)
        #expect(json == #"{"applicant":"o6_abc","handoff":"H000042","units":{"nanning":2}}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) == holder)
    }

    @Test func anIdentifierThatIsNotAStringIsRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Holder.self, from: Data(#"{"applicant":42,"units":{}}"#.utf8))
        }
    }

    @Test func anIdentifierPrintsAndSortsAsItsString() {
        let unit: UnitID = "nanning"
        #expect(unit == UnitID("nanning") && unit == UnitID(rawValue: "nanning"))
        #expect(unit.description == "nanning" && "\(unit)" == "nanning")
        #expect((["liuzhou", "centre", "nanning"] as [UnitID]).sorted() == ["centre", "liuzhou", "nanning"])
        #expect(Set([HandoffID("H000001"), "H000001", "H000002"]).count == 2)
    }

    @Test func aCaseIDLiteralIsTheCanonicalID() {
        let literal: CaseID = "WQ202611210007"
        #expect(literal == CaseID(year: 2026, month: 11, day: 21, sequence: 7))
        #expect(literal == CaseID(parsing: "wq-20261121-0007"))
    }

    @Test func aCaseIDLiteralThatIsNotCanonicalStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            _ = CaseID(stringLiteral: "wq-20261121-0007")
        }
    }
}
