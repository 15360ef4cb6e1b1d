import Foundation
import Testing
@testable import WeiquanCore

@Suite struct CaseIDTests {
    @Test(arguments: [
        "WQ202611210007", "wq202611210007", "WQ-20261121-0007", "WQ 20261121 0007", " ｗｑ２０２６１１２１０００７ ",
        "Wq-202611210007",
    ])
    func parses(text: String) {
        #expect(CaseID(parsing: text)?.rawValue == "WQ202611210007")
    }

    @Test(arguments: [
        "", "WQ20261121007", "WQ2026112100070", "QW202611210007", "WQ202613210007", "WQ202602300007",
        "WQ202502290001", "WQ--20261121-0007", "WQ202611210007x", "案件WQ202611210007", "WQ 2026 1121 0007",
    ])
    func rejects(text: String) {
        #expect(CaseID(parsing: text) == nil)
    }

    @Test func makesCanonicalIDs() {
        let id = CaseID.make(year: 2026, month: 11, day: 21, sequence: 7)
        #expect(id.rawValue == "WQ202611210007")
        #expect(id.description == "WQ202611210007")
        #expect(id == CaseID(year: 2026, month: 11, day: 21, sequence: 7))
        #expect(id.year == 2026)
        #expect(id.month == 11)
        #expect(id.day == 21)
        #expect(id.sequence == 7)
        #expect(CaseID.make(year: 2024, month: 2, day: 29, sequence: 9999).rawValue == "WQ202402299999")
    }

    @Test func rawValueIsStrict() {
        #expect(CaseID(rawValue: "WQ202611210007") != nil)
        #expect(CaseID(rawValue: "wq202611210007") == nil)
        #expect(CaseID(rawValue: "WQ-20261121-0007") == nil)
    }

    @Test func codesAsPlainString() throws {
        let id = CaseID.make(year: 2026, month: 11, day: 21, sequence: 7)
        let data = try JSONEncoder().encode(["id": id])
        #expect(String(decoding: data, as: UTF8.self) == "{\"id\":\"WQ202611210007\"}")
        #expect(try JSONDecoder().decode([String: CaseID].self, from: data) == ["id": id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CaseID].self, from: Data("[\"WQ1\"]".utf8))
        }
    }
}
