import Foundation
import Testing
@testable import WeiquanCore
import WeiquanFiles

@Suite struct DeskPolicyTests {
    static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    @Test func emptyJSONTakesTheDefaults() throws {
        let policy = try JSONDecoder().decode(DeskPolicy.self, from: Data("{}".utf8))
        #expect(policy == DeskPolicy())
        #expect(policy.officeHours == OfficeHours())
        #expect(policy.maxWaitMinutes == 10)
        #expect(policy.idleReleaseMinutes == 30)
        #expect(policy.urgentDeadlineDays == 7)
        #expect(policy.positionNoticeStep == 3)
        #expect(policy.problems().isEmpty)
    }

    @Test func givenKeysReplaceTheirDefaultsOnly() throws {
        let json = #"{"_comment": "x", "max_wait_minutes": 5, "office_hours": {"sessions": ["08:00-18:00"]}}"#
        let policy = try JSONDecoder().decode(DeskPolicy.self, from: Data(json.utf8))
        #expect(policy.maxWaitMinutes == 5)
        #expect(policy.idleReleaseMinutes == 30)
        #expect(policy.officeHours.sessions == ["08:00-18:00"])
        #expect(policy.officeHours.weekdays == [1, 2, 3, 4, 5])
        let again = try JSONDecoder().decode(DeskPolicy.self, from: JSONEncoder().encode(policy))
        #expect(again == policy)
    }

    @Test func problemsNameTheKey() {
        let policy = DeskPolicy(
            officeHours: OfficeHours(weekdays: [8]), maxWaitMinutes: 0, idleReleaseMinutes: -5, urgentDeadlineDays: 0,
            positionNoticeStep: 0
        )
        #expect(
            policy.problems() == [
                "desk.max_wait_minutes must be at least 1, got 0",
                "desk.idle_release_minutes must be at least 1, got -5",
                "desk.urgent_deadline_days must be at least 1, got 0",
                "desk.position_notice_step must be at least 1, got 0",
                "desk.office_hours.weekdays: 8 is not a weekday (1 = Monday … 7 = Sunday)",
            ]
        )
    }

    @Test func aConfigurationWithoutADeskSectionTakesTheDefaults() throws {
        let json = #"{"centre": {"centre_name": "中心"}, "directory": {"regions": [], "units": []}}"#
        let configuration = try JSONDecoder().decode(CentreConfiguration.self, from: Data(json.utf8))
        #expect(configuration.desk == DeskPolicy())
        let again = try JSONDecoder().decode(CentreConfiguration.self, from: JSONEncoder().encode(configuration))
        #expect(again == configuration)
    }

    @Test func theDemoConfigurationHasADeskWithoutProblems() throws {
        let document = try ConfigurationDocument.load(file: nil, environment: [:])
        let desk = try document.decode(CentreConfiguration.self).desk
        #expect(desk.problems().isEmpty)
        #expect(desk.maxWaitMinutes == 10 && desk.idleReleaseMinutes == 30)
        #expect(desk.urgentDeadlineDays == 7 && desk.positionNoticeStep == 3)
        let hours = desk.officeHours
        #expect(hours.timeZone == "Asia/Shanghai")
        #expect(hours.holidays.count == 33)
        #expect(hours.workdays.count == 6)
        // Every make-up workday is a weekend day.
        for text in hours.workdays {
            let day = try #require(CivilDay.parse(text))
            #expect(CivilDay.isoWeekday(day) >= 6, "\(text)")
        }
        // National Day is closed, the make-up Saturday after it open, a normal Monday open.
        #expect(!hours.isOpen(at: Self.shanghai(2026, 10, 1, 10, 0)))
        #expect(hours.isOpen(at: Self.shanghai(2026, 10, 10, 10, 0)))
        #expect(hours.isOpen(at: Self.shanghai(2026, 11, 23, 10, 0)))
        #expect(hours.nextOpening(after: Self.shanghai(2026, 9, 30, 18, 0)) == Self.shanghai(2026, 10, 8, 9, 0))
        // Spring Festival: 02-15 … 02-23 off, Saturdays 02-14 and 02-28 worked.
        #expect(hours.nextOpening(after: Self.shanghai(2026, 2, 13, 18, 0)) == Self.shanghai(2026, 2, 14, 9, 0))
        #expect(hours.nextOpening(after: Self.shanghai(2026, 2, 14, 18, 0)) == Self.shanghai(2026, 2, 24, 9, 0))
    }

    @Test func theEnvironmentOverridesDeskSettings() throws {
        let document = try ConfigurationDocument.load(
            file: nil,
            environment: [
                "WEIQUAN_DESK_MAX_WAIT_MINUTES": "5", "WEIQUAN_DESK_OFFICE_HOURS_TIME_ZONE": "Asia/Urumqi",
            ]
        )
        let desk = try document.decode(CentreConfiguration.self).desk
        #expect(desk.maxWaitMinutes == 5)
        #expect(desk.idleReleaseMinutes == 30)
        #expect(desk.officeHours.timeZone == "Asia/Urumqi")
        #expect(desk.officeHours.holidays.count == 33)
        #expect(document.overriddenBy == ["WEIQUAN_DESK_MAX_WAIT_MINUTES", "WEIQUAN_DESK_OFFICE_HOURS_TIME_ZONE"])
    }
}
