// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

/// The fixture generated from the python `holidays` library (see its "source" field).
struct LunarNewYearFixture: Decodable {
    struct Year: Decodable {
        let year: Int
        let tet: LocalDate
        let hungKings: LocalDate
        /// The library's Tết days off (eve + days 1–4, weekend days moved), 1995 onwards.
        let tetDaysOff: [LocalDate]?
    }

    let source: String
    let years: [Year]

    static func load() throws -> LunarNewYearFixture {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lunar-new-years.json")
        return try JSONDecoder().decode(LunarNewYearFixture.self, from: Data(contentsOf: url))
    }
}

private func date(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

@Suite("Lunar calendar")
struct LunarCalendarTests {
    /// DOMAIN.md §7 table: Tết and Hùng Kings 2024–2030.
    @Test(arguments: [
        (2024, date(2024, 2, 10), date(2024, 4, 18)),
        (2025, date(2025, 1, 29), date(2025, 4, 7)),
        (2026, date(2026, 2, 17), date(2026, 4, 26)),
        (2027, date(2027, 2, 6), date(2027, 4, 16)),
        (2028, date(2028, 1, 26), date(2028, 4, 4)),
        (2029, date(2029, 2, 13), date(2029, 4, 23)),
        (2030, date(2030, 2, 2), date(2030, 4, 12)),
    ])
    func domainVectors(year: Int, tet: LocalDate, hungKings: LocalDate) {
        #expect(LunarCalendar.newYear(year) == tet)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: year, month: 1, day: 1)) == tet)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: year, month: 3, day: 10)) == hungKings)
        #expect(LunarCalendar.lunarDate(of: tet) == LunarDate(year: year, month: 1, day: 1))
        #expect(LunarCalendar.lunarDate(of: hungKings) == LunarDate(year: year, month: 3, day: 10))
    }

    /// 2026: the last day of lunar 2025 is 29 Chạp (16 Feb), month 12 has 29 days.
    @Test func tet2026EveIs29Chap() {
        #expect(LunarCalendar.lunarDate(of: date(2026, 2, 16)) == LunarDate(year: 2025, month: 12, day: 29))
        #expect(LunarCalendar.monthLength(year: 2025, month: 12) == 29)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2025, month: 12, day: 30)) == nil)
    }

    /// 2030 (2 Feb) and 1985 (21 Jan) are the years where UTC+7 and China's UTC+8 disagree.
    @Test func vietnameseTimeZoneDiffersFromChina() {
        #expect(LunarCalendar.newYear(2030) == date(2030, 2, 2))
        #expect(LunarCalendar.newYear(1985) == date(1985, 1, 21))
        #expect(LunarCalendar.newYear(2007) == date(2007, 2, 17))
        #expect(LunarCalendar.newYear(1968) == date(1968, 1, 29))
    }

    /// Every year 1901–2100 of the independent fixture (python `holidays`, Vietnamese calendar).
    @Test func fixtureTetAndHungKings() throws {
        let fixture = try LunarNewYearFixture.load()
        #expect(fixture.years.count >= 150)
        for entry in fixture.years {
            #expect(LunarCalendar.newYear(entry.year) == entry.tet, "Tết \(entry.year)")
            let hung = LunarCalendar.solarDate(of: LunarDate(year: entry.year, month: 3, day: 10))
            #expect(hung == entry.hungKings, "Hùng Kings \(entry.year)")
        }
    }

    @Test(arguments: [
        (2017, 6), (2020, 4), (2023, 2), (2025, 6), (2028, 5), (2031, 3), (2033, 11), (2036, 6),
    ])
    func leapMonths(year: Int, month: Int) {
        #expect(LunarCalendar.leapMonth(ofYear: year) == month)
        let first = LunarCalendar.solarDate(of: LunarDate(year: year, month: month, day: 1, isLeapMonth: true))
        #expect(first != nil)
        if let first {
            #expect(LunarCalendar.lunarDate(of: first) == LunarDate(year: year, month: month, day: 1, isLeapMonth: true))
            // The leap month follows the regular month of the same number.
            let regular = LunarCalendar.solarDate(of: LunarDate(year: year, month: month, day: 1))!
            #expect(regular < first)
        }
    }

    @Test(arguments: [2019, 2021, 2022, 2024, 2026, 2027])
    func commonYearsHaveNoLeapMonth(year: Int) {
        #expect(LunarCalendar.leapMonth(ofYear: year) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: year, month: 4, day: 1, isLeapMonth: true)) == nil)
    }

    /// solar → lunar → solar for every day of several years, with month lengths of 29/30 days
    /// and consecutive days.
    @Test(arguments: [1900, 1968, 1985, 2023, 2025, 2033, 2057, 2100])
    func roundTripEveryDay(year: Int) {
        var day = date(year, 1, 1)
        var previous = LunarCalendar.lunarDate(of: day.adding(days: -1))
        while day.year == year {
            let lunar = LunarCalendar.lunarDate(of: day)
            #expect(LunarCalendar.solarDate(of: lunar) == day, "\(day) → \(lunar)")
            if lunar.day == 1 {
                #expect((29...30).contains(previous.day), "month before \(day) has \(previous.day) days")
            } else {
                #expect(lunar.day == previous.day + 1 && lunar.month == previous.month && lunar.isLeapMonth == previous.isLeapMonth)
            }
            previous = lunar
            day = day.adding(days: 1)
        }
    }

    /// The one new moon 1900–2100 that falls within seconds of local midnight and needs the
    /// DE421 correction: 1967-07-08 00:00:04 UTC+7.
    @Test func newMoonAtMidnight1967() {
        #expect(LunarCalendar.lunarDate(of: date(1967, 7, 8)) == LunarDate(year: 1967, month: 6, day: 1))
        #expect(LunarCalendar.lunarDate(of: date(1967, 7, 7)).month == 5)
        #expect(LunarCalendar.monthLength(year: 1967, month: 5) == 30)
    }

    @Test func invalidLunarDates() {
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2024, month: 13, day: 1)) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2024, month: 1, day: 31)) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2024, month: 1, day: 0)) == nil)
    }

    /// Months 11 and 12 belong to the lunar year that started the previous January/February.
    @Test func endOfLunarYearFallsInNextGregorianYear() {
        #expect(LunarCalendar.lunarDate(of: date(2025, 1, 1)) == LunarDate(year: 2024, month: 12, day: 2))
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2024, month: 12, day: 2)) == date(2025, 1, 1))
        #expect(LunarCalendar.lunarDate(of: date(2024, 12, 31)) == LunarDate(year: 2024, month: 12, day: 1))
    }

    /// Mid-Autumn (15/8) and Vu Lan (15/7) as printed on Vietnamese calendars.
    @Test func otherKnownDates() {
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2024, month: 8, day: 15)) == date(2024, 9, 17))
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2025, month: 8, day: 15)) == date(2025, 10, 6))
        #expect(LunarCalendar.solarDate(of: LunarDate(year: 2025, month: 7, day: 15)) == date(2025, 9, 6))
    }

    @Test func description() {
        #expect(LunarDate(year: 2025, month: 6, day: 1, isLeapMonth: true).description == "1/6 nhuận/2025")
        #expect(LunarDate(year: 2026, month: 3, day: 10).description == "10/3/2026")
    }
}
