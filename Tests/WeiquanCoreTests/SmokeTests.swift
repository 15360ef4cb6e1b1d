import Testing
@testable import WeiquanCore

@Suite struct SmokeTests {
    @Test func routesToCentreWithoutRegion() {
        let directory = OrgDirectory(regions: [], units: [OrgUnit(id: "c", name: "中心", level: .centre)])
        #expect(directory.route(region: nil, ipType: nil)?.id == "c")
    }
}
