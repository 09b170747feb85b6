// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

private func date(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// The overrides shipped with the app, read from the source tree.
private func shippedOverrides() throws -> [YearOverride] {
    let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Services/Resources/holidays/overrides.json")
        .standardized
    return try HolidayCalendar.decodeOverrides(from: Data(contentsOf: url))
}

/// All dates from `from` to `to` inclusive.
private func days(_ from: LocalDate, _ to: LocalDate) -> [LocalDate] {
    (0...(to.julianDay - from.julianDay)).map { from.adding(days: $0) }
}

@Suite("Public holidays")
struct HolidayCalendarTests {
    let calendar: HolidayCalendar
    let plain = HolidayCalendar()

    init() throws {
        calendar = HolidayCalendar(overrides: try shippedOverrides())
    }

    @Test func shippedOverridesCoverRecentYears() throws {
        let overrides = try shippedOverrides()
        #expect(overrides.map(\.year) == [2024, 2025, 2026])
    }

    /// DOMAIN.md §7: Tết 2026 off from Sat 14/2 to Sun 22/2 (9 days); Mon 23/2 is a working day.
    @Test func tet2026() {
        for d in days(date(2026, 2, 14), date(2026, 2, 22)) {
            #expect(!calendar.isWorkingDay(d), "\(d)")
        }
        #expect(calendar.isWorkingDay(date(2026, 2, 13)))
        #expect(calendar.isWorkingDay(date(2026, 2, 23)))
        #expect(calendar.dayOff(date(2026, 2, 16))?.reason == "Tết Nguyên Đán")
        #expect(calendar.dayOff(date(2026, 2, 14))?.reason == "Thứ Bảy")
        #expect(calendar.dayOff(date(2026, 2, 22))?.reason == "Chủ Nhật")
    }

    /// Hùng Kings 2026 is Sunday 26/4, so Monday 27/4 is off (Art. 111(3)).
    @Test func hungKings2026OnSunday() {
        #expect(calendar.dayOff(date(2026, 4, 26)) == .holiday(Holiday(date: date(2026, 4, 26), name: "Giỗ Tổ Hùng Vương", kind: .holiday)))
        let monday = calendar.dayOff(date(2026, 4, 27))
        #expect(monday == .holiday(Holiday(date: date(2026, 4, 27), name: "Nghỉ bù Giỗ Tổ Hùng Vương", kind: .compensatory)))
        #expect(monday?.reason == "Nghỉ bù Giỗ Tổ Hùng Vương")
        #expect(calendar.isWorkingDay(date(2026, 4, 28)))
        #expect(calendar.isWorkingDay(date(2026, 4, 29)))
    }

    /// The complete list for 2026 with the shipped overrides.
    @Test func all2026() {
        let got = calendar.holidays(in: 2026).map { "\($0.date) \($0.kind.rawValue) \($0.name)" }
        #expect(got == [
            "2026-01-01 holiday Tết Dương lịch",
            "2026-02-16 holiday Tết Nguyên Đán",
            "2026-02-17 holiday Tết Nguyên Đán",
            "2026-02-18 holiday Tết Nguyên Đán",
            "2026-02-19 holiday Tết Nguyên Đán",
            "2026-02-20 holiday Tết Nguyên Đán",
            "2026-04-26 holiday Giỗ Tổ Hùng Vương",
            "2026-04-27 compensatory Nghỉ bù Giỗ Tổ Hùng Vương",
            "2026-04-30 holiday Ngày Chiến thắng",
            "2026-05-01 holiday Ngày Quốc tế Lao động",
            "2026-08-31 decreed Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)",
            "2026-09-01 holiday Quốc khánh",
            "2026-09-02 holiday Quốc khánh",
            "2026-11-24 holiday Ngày Văn hóa Việt Nam",
        ])
    }

    /// 2026: Mon 31/8 off, Sat 22/8 worked; the 2/9 break runs Sat 29/8 – Wed 2/9.
    @Test func nationalDay2026Swap() {
        #expect(calendar.isWorkingDay(date(2026, 8, 22)))
        #expect(calendar.dayOff(date(2026, 8, 22)) == nil)
        for d in days(date(2026, 8, 29), date(2026, 9, 2)) {
            #expect(!calendar.isWorkingDay(d), "\(d)")
        }
        #expect(calendar.isWorkingDay(date(2026, 9, 3)))
        // Without the override, Monday 31/8 is an ordinary working day and 22/8 a Saturday.
        #expect(plain.isWorkingDay(date(2026, 8, 31)))
        #expect(plain.dayOff(date(2026, 8, 22)) == .weekend(isoWeekday: 6))
    }

    /// 2024: Mon 29/4 off, worked Sat 4/5 (Official Dispatch 2450/VPCP-KGVX).
    @Test func swap2024() {
        #expect(calendar.dayOff(date(2024, 4, 29))?.reason == "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)")
        if case .holiday(let h) = calendar.dayOff(date(2024, 4, 29)) { #expect(h.kind == .decreed) } else { Issue.record("29/4/2024 should be off") }
        #expect(calendar.isWorkingDay(date(2024, 5, 4)))
        #expect(calendar.weekendWorkingDays(in: 2024).map(\.date) == [date(2024, 5, 4)])
        for d in days(date(2024, 4, 27), date(2024, 5, 1)) {
            #expect(!calendar.isWorkingDay(d), "\(d)")
        }
        #expect(calendar.isWorkingDay(date(2024, 5, 2)))
        #expect(plain.isWorkingDay(date(2024, 4, 29)))
        #expect(!plain.isWorkingDay(date(2024, 5, 4)))
    }

    /// 2025: Fri 2/5 off, worked Sat 26/4; the break runs Wed 30/4 – Sun 4/5.
    @Test func swap2025() {
        #expect(calendar.isWorkingDay(date(2025, 4, 26)))
        for d in days(date(2025, 4, 30), date(2025, 5, 4)) {
            #expect(!calendar.isWorkingDay(d), "\(d)")
        }
        #expect(calendar.isWorkingDay(date(2025, 5, 5)))
    }

    /// Real Tết breaks: 2024 Thu 8/2 – Wed 14/2 (Saturday moved before, Sunday after);
    /// 2025 Sat 25/1 – Sun 2/2 (mùng 4 on Saturday moved to Mon 27/1).
    @Test func tet2024And2025() {
        for d in days(date(2024, 2, 8), date(2024, 2, 14)) { #expect(!calendar.isWorkingDay(d), "\(d)") }
        #expect(calendar.isWorkingDay(date(2024, 2, 7)))
        #expect(calendar.isWorkingDay(date(2024, 2, 15)))
        #expect(calendar.dayOff(date(2024, 2, 8))?.reason == "Nghỉ bù Tết Nguyên Đán")
        for d in days(date(2025, 1, 25), date(2025, 2, 2)) { #expect(!calendar.isWorkingDay(d), "\(d)") }
        #expect(calendar.isWorkingDay(date(2025, 1, 24)))
        #expect(calendar.isWorkingDay(date(2025, 2, 3)))
    }

    /// 2/9/2025 (Tue) → Mon 1/9 too; 2/9/2024 (Mon) → Tue 3/9.
    @Test func nationalDayAdjacentDefault() {
        #expect(!calendar.isWorkingDay(date(2025, 9, 1)))
        #expect(calendar.isWorkingDay(date(2025, 9, 3)))
        #expect(!calendar.isWorkingDay(date(2024, 9, 3)))
        #expect(calendar.isWorkingDay(date(2024, 9, 4)))
    }

    /// 2/9/2029 is a Sunday: Mon 3/9 is the adjacent day and Tue 4/9 the day in lieu.
    @Test func nationalDay2029OnSunday() {
        #expect(calendar.dayOff(date(2029, 9, 3))?.reason == "Quốc khánh")
        #expect(calendar.dayOff(date(2029, 9, 4))?.reason == "Nghỉ bù Quốc khánh")
        #expect(calendar.isWorkingDay(date(2029, 9, 5)))
    }

    /// Culture Day 24/11 from 2026; 24/11/2030 is a Sunday → Monday 25/11.
    @Test func cultureDay() {
        #expect(calendar.dayOff(date(2026, 11, 24))?.reason == "Ngày Văn hóa Việt Nam")
        #expect(calendar.isWorkingDay(date(2025, 11, 24)))
        #expect(calendar.dayOff(date(2030, 11, 25))?.reason == "Nghỉ bù Ngày Văn hóa Việt Nam")
        let off = HolidayCalendar(rules: HolidayRules(cultureDayFromYear: nil))
        #expect(off.isWorkingDay(date(2026, 11, 24)))
        #expect(off.isWorkingDay(date(2030, 11, 25)))
        let later = HolidayCalendar(rules: HolidayRules(cultureDayFromYear: 2027))
        #expect(later.isWorkingDay(date(2026, 11, 24)))
        #expect(!later.isWorkingDay(date(2027, 11, 24)))
    }

    @Test func weekendReasons() {
        #expect(plain.dayOff(date(2027, 3, 6)) == .weekend(isoWeekday: 6))
        #expect(plain.dayOff(date(2027, 3, 6))?.reason == "Thứ Bảy")
        #expect(plain.dayOff(date(2027, 3, 7))?.reason == "Chủ Nhật")
        #expect(plain.dayOff(date(2027, 3, 8)) == nil)
    }

    @Test func newYearOnWeekend() {
        // 1/1/2028 is a Saturday → Monday 3/1.
        #expect(plain.dayOff(date(2028, 1, 3))?.reason == "Nghỉ bù Tết Dương lịch")
        #expect(plain.isWorkingDay(date(2028, 1, 4)))
    }

    /// Labour Code 2019: 11 statutory days, plus Culture Day from 2026.
    @Test(arguments: 2026...2040)
    func twelveHolidaysAYear(year: Int) {
        let list = plain.holidays(in: year)
        #expect(list.filter { $0.kind == .holiday }.count == 12)
        #expect(list.map(\.date) == list.map(\.date).sorted())
        #expect(Set(list.map(\.date)).count == list.count)
        #expect(list.allSatisfy { $0.date.year == year })
        // Every day in lieu is a weekday.
        #expect(list.filter { $0.kind == .compensatory }.allSatisfy { !$0.date.isWeekend })
    }

    /// The Tết days off of every year 1995–2100 equal the python `holidays` library's.
    @Test func tetDaysMatchFixture() throws {
        let fixture = try LunarNewYearFixture.load()
        var checked = 0
        for entry in fixture.years {
            guard let expected = entry.tetDaysOff else { continue }
            let got = plain.holidays(in: entry.year)
                .filter { $0.name.hasSuffix("Tết Nguyên Đán") }
                .map(\.date)
            #expect(got == expected, "Tết \(entry.year)")
            checked += 1
        }
        #expect(checked == 106)
    }

    /// Earlier labour codes: 4 Tết days and no 2/9 adjacent day before 2021; Hùng Kings from 2007.
    @Test func historicalRules() {
        let y2012 = plain.holidays(in: 2012)
        #expect(y2012.filter { $0.name == "Tết Nguyên Đán" }.count == 4)
        #expect(plain.holidays(in: 2020).filter { $0.name == "Quốc khánh" }.count == 1)
        #expect(!plain.holidays(in: 2006).contains { $0.name == "Giỗ Tổ Hùng Vương" })
        #expect(plain.holidays(in: 2007).contains { $0.name == "Giỗ Tổ Hùng Vương" })
    }

    @Test func configurableRules() {
        // 2/9/2027 is a Thursday: the default bridges to Friday 3/9.
        #expect(!plain.isWorkingDay(date(2027, 9, 3)))
        let before = HolidayCalendar(rules: HolidayRules(nationalDayAdjacent: .dayBefore))
        #expect(!before.isWorkingDay(date(2027, 9, 1)))
        #expect(before.isWorkingDay(date(2027, 9, 3)))
        // 2/9/2029 is a Sunday; "day before" is Saturday 1/9, compensated like any holiday.
        let y2029 = before.holidays(in: 2029).filter { $0.date.month == 9 }.map(\.date)
        #expect(y2029 == [date(2029, 9, 1), date(2029, 9, 2), date(2029, 9, 3), date(2029, 9, 4)])
        let after = HolidayCalendar(rules: HolidayRules(nationalDayAdjacent: .dayAfter))
        #expect(after.isWorkingDay(date(2025, 9, 1)))
        #expect(!after.isWorkingDay(date(2025, 9, 3)))
        // Tết 2024 with plain Art. 111(3): Sat 10/2 and Sun 11/2 both give days after the block.
        let next = HolidayCalendar(rules: HolidayRules(tetWeekendShift: .nextWorkingDay))
        #expect(next.isWorkingDay(date(2024, 2, 8)))
        #expect(!next.isWorkingDay(date(2024, 2, 14)))
        #expect(!next.isWorkingDay(date(2024, 2, 15)))
        // Two days before Tết instead of one (2026: 28 and 29 Chạp).
        let twoBefore = HolidayCalendar(rules: HolidayRules(tetDaysBeforeNewYear: 2))
        let tet = twoBefore.holidays(in: 2026).filter { $0.name == "Tết Nguyên Đán" }.map(\.date)
        #expect(tet == [date(2026, 2, 15), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19)])
    }

    /// `replaces` removes a computed day; a decreed day off may be added instead.
    @Test func replacingAComputedDay() {
        let moved = YearOverride(
            year: 2027,
            daysOff: [NamedDate(date: date(2027, 2, 11), name: "Nghỉ Tết (dời)")],
            replaces: [date(2027, 2, 10)]
        )
        let cal = HolidayCalendar(overrides: [moved])
        #expect(cal.isWorkingDay(date(2027, 2, 10)))
        #expect(cal.dayOff(date(2027, 2, 11))?.reason == "Nghỉ Tết (dời)")
        #expect(!plain.isWorkingDay(date(2027, 2, 10)))
    }

    @Test func rulesCodable() throws {
        let decoder = JSONDecoder()
        let defaults = try decoder.decode(HolidayRules.self, from: Data("{}".utf8))
        #expect(defaults == HolidayRules())
        #expect(defaults.cultureDayFromYear == 2026)
        #expect(defaults.nationalDayAdjacent == .bridgeToWeekend)
        let off = try decoder.decode(HolidayRules.self, from: Data(#"{"cultureDayFromYear":null,"nationalDayAdjacent":"day-after"}"#.utf8))
        #expect(off.cultureDayFromYear == nil)
        #expect(off.nationalDayAdjacent == .dayAfter)
        let roundTrip = try decoder.decode(HolidayRules.self, from: JSONEncoder().encode(off))
        #expect(roundTrip == off)
    }

    @Test func overrideDocumentValidation() throws {
        let wrongFormat = #"{"format":"other/1","overrides":[]}"#
        #expect(throws: DecodingError.self) { try HolidayCalendar.decodeOverrides(from: Data(wrongFormat.utf8)) }
        // 2024-05-03 is a Friday: it cannot be a "working Saturday".
        let weekday = #"{"format":"motcua-holidays/1","overrides":[{"year":2024,"workingDays":[{"date":"2024-05-03","name":"x"}]}]}"#
        #expect(throws: DecodingError.self) { try HolidayCalendar.decodeOverrides(from: Data(weekday.utf8)) }
        let minimal = #"{"format":"motcua-holidays/1","overrides":[{"year":2030}]}"#
        let decoded = try HolidayCalendar.decodeOverrides(from: Data(minimal.utf8))
        #expect(decoded == [YearOverride(year: 2030)])
    }

    @Test func holidayCodable() throws {
        let h = Holiday(date: date(2026, 4, 27), name: "Nghỉ bù Giỗ Tổ Hùng Vương", kind: .compensatory)
        let json = String(decoding: try JSONEncoder().encode(h), as: UTF8.self)
        #expect(json.contains(#""date":"2026-04-27""#))
        #expect(json.contains(#""kind":"compensatory""#))
        #expect(try JSONDecoder().decode(Holiday.self, from: Data(json.utf8)) == h)
    }

    /// The calendar is shared across tasks (Sendable) and fills its cache concurrently.
    @Test func concurrentUse() async {
        let cal = HolidayCalendar(overrides: calendar.overrides)
        let counts = await withTaskGroup(of: Int.self) { group in
            for offset in 0..<8 {
                group.addTask {
                    var n = 0
                    for d in days(date(2020 + offset, 1, 1), date(2020 + offset + 4, 12, 31)) where !cal.isWorkingDay(d) { n += 1 }
                    return n
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.count == 8)
        #expect(cal.isWorkingDay(date(2026, 8, 22)))
    }

    /// dayOff is a lookup once a year is computed: ten years of days stay well under a second.
    @Test func dayOffIsCheap() {
        let cal = HolidayCalendar()
        let all = days(date(2025, 1, 1), date(2034, 12, 31))
        let start = Date()
        var off = 0
        for _ in 0..<5 {
            for d in all where cal.dayOff(d) != nil { off += 1 }
        }
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(off > 5 * 10 * 104)
    }
}

extension HolidayCalendarTests {
    @Test("a recorded decision: a weekday off or a weekend worked, never the other way round, once per date, named")
    func overrideEdits() throws {
        let o = YearOverride(year: 2026)
        let friday = Fx.day(2026, 12, 4)
        let saturday = Fx.day(2026, 12, 5)
        let added = try o.adding(.dayOff, friday, name: " Nghỉ bù ").adding(.workingDay, saturday, name: "Làm bù")
        #expect(added.daysOff.map(\.date) == [friday] && added.daysOff[0].name == "Nghỉ bù" && added.workingDays.map(\.date) == [saturday])
        #expect(throws: OverrideError.self) { try o.adding(.workingDay, friday, name: "x") }
        #expect(throws: OverrideError.self) { try o.adding(.dayOff, saturday, name: "x") }
        #expect(throws: OverrideError.self) { try added.adding(.dayOff, friday, name: "again") }
        #expect(throws: OverrideError.self) { try o.adding(.dayOff, friday, name: "  ") }
        #expect(throws: OverrideError.self) { try o.adding(.dayOff, Fx.day(2029, 1, 2), name: "far") }
        #expect(added.removing(friday).daysOff.isEmpty && added.removing(friday).workingDays.count == 1)
    }
}
