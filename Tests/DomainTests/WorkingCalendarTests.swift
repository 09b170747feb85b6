// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import Domain

private func wd(_ n: Int) -> ProcessingTime { ProcessingTime(amount: n, unit: .workingDays) }
private func wh(_ n: Int) -> ProcessingTime { ProcessingTime(amount: n, unit: .workingHours) }
private func cd(_ n: Int) -> ProcessingTime { ProcessingTime(amount: n, unit: .calendarDays) }

/// The skipped days of an explanation, as (date, reason).
private func skipped(_ due: DueDate) -> [(LocalDate, String)] {
    due.explanation.filter { $0.kind == .skipped }.compactMap { s in s.date.map { ($0, s.reason) } }
}

private func skippedDates(_ due: DueDate) -> [LocalDate] { skipped(due).map(\.0) }

private func reason(_ due: DueDate, on date: LocalDate) -> String? {
    due.explanation.first { $0.kind == .skipped && $0.date == date }?.reason
}

@Suite("Working calendar: due dates")
struct WorkingCalendarTests {
    let cal: WorkingCalendar

    init() throws {
        cal = try Fx.realCalendar()
    }

    // MARK: - Sanity of the fixed dates used below

    @Test func fixtureWeekdays() {
        #expect(Fx.day(2026, 3, 2).isoWeekday == 1)  // Monday
        #expect(Fx.day(2026, 3, 6).isoWeekday == 5)  // Friday
        #expect(Fx.day(2026, 2, 13).isoWeekday == 5)
        #expect(Fx.day(2026, 2, 23).isoWeekday == 1)
        #expect(Fx.day(2026, 4, 24).isoWeekday == 5)
        #expect(Fx.day(2026, 4, 26).isoWeekday == 7)
        #expect(Fx.day(2026, 4, 27).isoWeekday == 1)
        #expect(Fx.day(2024, 5, 4).isoWeekday == 6)
    }

    // MARK: - Working days

    @Test func mondayNinePlusOneWorkingDayIsTuesdayNine() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 3, 3, 9))
        #expect(due.countingStartsAt == Fx.at(2026, 3, 2, 9))
        #expect(skipped(due).isEmpty)
        #expect(due.explanation.first?.kind == .received)
        #expect(due.explanation.last?.kind == .due)
        #expect(due.explanation.last?.date == Fx.day(2026, 3, 3))
    }

    @Test func fridayAfternoonPlusOneWorkingDaySkipsTheWeekend() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 6, 15), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 3, 9, 15))
        #expect(skippedDates(due) == [Fx.day(2026, 3, 7), Fx.day(2026, 3, 8)])
        #expect(reason(due, on: Fx.day(2026, 3, 7)) == "Thứ Bảy")
        #expect(reason(due, on: Fx.day(2026, 3, 8)) == "Chủ Nhật")
        #expect(due.explanation.last?.kind == .due)
        // Counted: 2 h on Friday, 6 h on Monday.
        let counted = due.explanation.filter { $0.kind == .counted }
        #expect(counted.map(\.date) == [Fx.day(2026, 3, 6), Fx.day(2026, 3, 9)])
        #expect(counted.map(\.minutes) == [120, 360])
    }

    @Test func startOfDayPlusOneWorkingDayEndsAtCloseTheSameDay() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 7, 30), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 3, 2, 17))
        let due2 = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 7, 30), time: wd(5))
        #expect(due2.dueAt == Fx.at(2026, 3, 6, 17))
    }

    @Test func acrossTheTet2026Break() {
        // Tết 2026 for public bodies: Sat 14/2 to Sun 22/2 (9 days).
        let due = cal.dueDate(receivedAt: Fx.at(2026, 2, 13, 10), time: wd(2))
        // Fri 13/2: 10:00–17:00 = 5.5 h; Mon 23/2: 8 h; Tue 24/2: 2.5 h → 10:00.
        #expect(due.dueAt == Fx.at(2026, 2, 24, 10))
        #expect(due.dueAt > Fx.at(2026, 2, 23, 0))
        let expected = (14...22).map { Fx.day(2026, 2, $0) }
        #expect(skippedDates(due) == expected)
        for d in 16...20 {
            #expect(reason(due, on: Fx.day(2026, 2, d))?.contains("Tết Nguyên Đán") == true, "16–20/2/2026 are Tết days")
        }
        #expect(reason(due, on: Fx.day(2026, 2, 14)) == "Thứ Bảy")
        #expect(reason(due, on: Fx.day(2026, 2, 22)) == "Chủ Nhật")
        #expect(due.explanation.last?.kind == .due)
    }

    @Test func hungKings2026CompensatoryMonday() {
        // Giỗ Tổ 10/3 lunar = Sun 26/4/2026, so Mon 27/4 is off (nghỉ bù).
        let due = cal.dueDate(receivedAt: Fx.at(2026, 4, 24, 10), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 4, 28, 10))
        #expect(skippedDates(due) == [Fx.day(2026, 4, 25), Fx.day(2026, 4, 26), Fx.day(2026, 4, 27)])
        #expect(reason(due, on: Fx.day(2026, 4, 26))?.contains("Giỗ Tổ Hùng Vương") == true)
        #expect(reason(due, on: Fx.day(2026, 4, 27))?.contains("Nghỉ bù") == true)
        #expect(reason(due, on: Fx.day(2026, 4, 27))?.contains("Hùng Vương") == true)
    }

    @Test func victoryAndLabourDay2026() {
        // Thu 30/4 and Fri 1/5/2026 are holidays, then the weekend.
        let due = cal.dueDate(receivedAt: Fx.at(2026, 4, 29, 10), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 5, 4, 10))
        #expect(skippedDates(due) == (0...3).map { Fx.day(2026, 4, 30).adding(days: $0) })
    }

    @Test func governmentSwap2024DayOffAndWorkingSaturday() {
        // Mon 29/4/2024 was swapped with Sat 4/5/2024 (overrides.json).
        let across = cal.dueDate(receivedAt: Fx.at(2024, 4, 26, 10), time: wd(1))
        #expect(across.dueAt == Fx.at(2024, 5, 2, 10))
        #expect(skippedDates(across) == (27...30).map { Fx.day(2024, 4, $0) } + [Fx.day(2024, 5, 1)])
        #expect(reason(across, on: Fx.day(2024, 4, 29))?.contains("Nghỉ hoán đổi") == true)
        let saturday = cal.dueDate(receivedAt: Fx.at(2024, 5, 3, 10), time: wd(1))
        #expect(saturday.dueAt == Fx.at(2024, 5, 4, 10), "Sat 4/5/2024 was a working day")
        #expect(cal.isWorkingDay(Fx.day(2024, 5, 4)))
    }

    @Test func nationalDay2026WithSwap() {
        // Break Sat 29/8 – Wed 2/9/2026: Mon 31/8 swapped with Sat 22/8, Tue 1/9 + Wed 2/9 holidays.
        let due = cal.dueDate(receivedAt: Fx.at(2026, 8, 28, 10), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 9, 3, 10))
        #expect(skippedDates(due) == [Fx.day(2026, 8, 29), Fx.day(2026, 8, 30), Fx.day(2026, 8, 31), Fx.day(2026, 9, 1), Fx.day(2026, 9, 2)])
        #expect(cal.isWorkingDay(Fx.day(2026, 8, 22)))
    }

    @Test func cultureDay2026() {
        // Vietnam Culture Day Tue 24/11/2026.
        let due = cal.dueDate(receivedAt: Fx.at(2026, 11, 23, 10), time: wd(1))
        #expect(due.dueAt == Fx.at(2026, 11, 25, 10))
        #expect(reason(due, on: Fx.day(2026, 11, 24))?.contains("Văn hóa") == true)
    }

    // MARK: - Where counting starts

    @Test func intakeDuringLunchCountsFromOnePM() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 12), time: wd(1))
        #expect(due.countingStartsAt == Fx.at(2026, 3, 2, 13))
        // Mon 13:00–17:00 and Tue 07:30–11:30: the working day ends at the end of Tuesday's morning session.
        #expect(due.dueAt == Fx.at(2026, 3, 3, 11, 30))
        #expect(due.explanation.contains { $0.kind == .startMoved && $0.date == Fx.day(2026, 3, 2) })
        // The boundaries of the break.
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 11, 30), time: wh(1)).dueAt == Fx.at(2026, 3, 2, 14))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 11, 29), time: wh(1)).dueAt == Fx.at(2026, 3, 2, 13, 59))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 12, 59), time: wh(1)).countingStartsAt == Fx.at(2026, 3, 2, 13))
    }

    @Test func intakeAfterCloseCountsFromNextWorkingMorning() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 17, 30), time: wd(1))
        #expect(due.countingStartsAt == Fx.at(2026, 3, 3, 7, 30))
        #expect(due.dueAt == Fx.at(2026, 3, 3, 17))
        // Exactly at closing time already counts from the next morning.
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 17), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 3, 7, 30))
        // Late on Friday: Monday morning, with the weekend skipped.
        let friday = cal.dueDate(receivedAt: Fx.at(2026, 3, 6, 20), time: wd(1))
        #expect(friday.countingStartsAt == Fx.at(2026, 3, 9, 7, 30))
        #expect(skippedDates(friday) == [Fx.day(2026, 3, 7), Fx.day(2026, 3, 8)])
    }

    @Test func intakeOnSaturdayCountsFromMonday() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 7, 10), time: wd(1))
        #expect(due.countingStartsAt == Fx.at(2026, 3, 9, 7, 30))
        #expect(due.dueAt == Fx.at(2026, 3, 9, 17))
        #expect(reason(due, on: Fx.day(2026, 3, 7)) == "Thứ Bảy")
        #expect(reason(due, on: Fx.day(2026, 3, 8)) == "Chủ Nhật")
        #expect(due.explanation.contains { $0.kind == .startMoved && $0.date == Fx.day(2026, 3, 9) })
    }

    @Test func intakeOnAHolidayCountsFromTheNextWorkingDay() {
        // Online submission on mùng 1 Tết 2026 (Tue 17/2).
        let due = cal.dueDate(receivedAt: Fx.at(2026, 2, 17, 9), time: wd(1))
        #expect(due.countingStartsAt == Fx.at(2026, 2, 23, 7, 30))
        #expect(skippedDates(due) == (17...22).map { Fx.day(2026, 2, $0) })
    }

    @Test func intakeBeforeOpeningCountsFromOpening() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 6), time: wd(1))
        #expect(due.countingStartsAt == Fx.at(2026, 3, 2, 7, 30))
        #expect(due.dueAt == Fx.at(2026, 3, 2, 17))
        #expect(skipped(due).isEmpty)
    }

    @Test func perProcedureCutOff() {
        let cutoff = 15 * 60
        let late = cal.dueDate(receivedAt: Fx.at(2026, 3, 3, 15, 30), time: wd(1), cutoffMinute: cutoff)
        #expect(late.countingStartsAt == Fx.at(2026, 3, 4, 7, 30))
        #expect(late.dueAt == Fx.at(2026, 3, 4, 17))
        let atCutoff = cal.dueDate(receivedAt: Fx.at(2026, 3, 3, 15), time: wd(1), cutoffMinute: cutoff)
        #expect(atCutoff.countingStartsAt == Fx.at(2026, 3, 4, 7, 30), "at the cut-off counts as after it")
        let early = cal.dueDate(receivedAt: Fx.at(2026, 3, 3, 14, 59), time: wd(1), cutoffMinute: cutoff)
        #expect(early.countingStartsAt == Fx.at(2026, 3, 3, 14, 59))
        #expect(early.dueAt == Fx.at(2026, 3, 4, 14, 59))
        // Friday after the cut-off: Monday morning.
        let friday = cal.dueDate(receivedAt: Fx.at(2026, 3, 6, 16), time: wd(1), cutoffMinute: cutoff)
        #expect(friday.countingStartsAt == Fx.at(2026, 3, 9, 7, 30))
        #expect(skippedDates(friday) == [Fx.day(2026, 3, 7), Fx.day(2026, 3, 8)])
        // Without a cut-off the same intake counts the same day.
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 3, 15, 30), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 3, 15, 30))
    }

    // MARK: - Working hours and calendar days

    @Test func workingHoursSkipTheLunchBreak() {
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 10), time: wh(4)).dueAt == Fx.at(2026, 3, 2, 15, 30))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 7, 30), time: wh(4)).dueAt == Fx.at(2026, 3, 2, 11, 30))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 16), time: wh(2)).dueAt == Fx.at(2026, 3, 3, 8, 30))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: wh(8)).dueAt == Fx.at(2026, 3, 3, 9))
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 6, 16), time: wh(24)).dueAt == Fx.at(2026, 3, 11, 16))
    }

    @Test func calendarDays() {
        // Mon 2/3 + 6 calendar days = Sun 8/3 → Mon 9/3, same time of day.
        let sunday = cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: cd(6))
        #expect(sunday.dueAt == Fx.at(2026, 3, 9, 9))
        #expect(reason(sunday, on: Fx.day(2026, 3, 8)) == "Chủ Nhật")
        #expect(sunday.explanation.last?.kind == .due)
        // Landing on a working day: no roll.
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: cd(3)).dueAt == Fx.at(2026, 3, 5, 9))
        // Calendar days run through the weekend (unlike working days).
        #expect(cal.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: cd(7)).dueAt == Fx.at(2026, 3, 9, 9))
        // Landing in the Tết break rolls past it: Tue 10/2 + 7 = Tue 17/2 (mùng 1) → Mon 23/2.
        let tet = cal.dueDate(receivedAt: Fx.at(2026, 2, 10, 9), time: cd(7))
        #expect(tet.dueAt == Fx.at(2026, 2, 23, 9))
    }

    // MARK: - The due date never lands on a day off

    @Test func dueDateIsAlwaysAWorkingInstant() {
        var failures: [String] = []
        var checked = 0
        // Every 17 h 29 min from 1/1/2024 to the end of 2026: all hours of the day, weekends, holidays.
        var t = Fx.at(2024, 1, 1, 0, 13)
        let end = Fx.at(2026, 12, 20, 0)
        let hours = cal.hours
        while t < end {
            for unit in DurationUnit.allCases {
                for amount in 1...15 {
                    let due = cal.dueDate(receivedAt: t, time: ProcessingTime(amount: amount, unit: unit))
                    let (day, minute) = VietnamTime.local(due.dueAt)
                    checked += 1
                    let label = "\(WorkingCalendar.localText(t)) + \(amount) \(unit.rawValue) → \(WorkingCalendar.localText(due.dueAt))"
                    if !cal.isWorkingDay(day) { failures.append("day off: \(label)") }
                    if due.dueAt <= t { failures.append("not after intake: \(label)") }
                    if due.explanation.last?.kind != .due || due.explanation.first?.kind != .received {
                        failures.append("explanation shape: \(label)")
                    }
                    for step in due.explanation where step.kind == .skipped {
                        if let d = step.date, cal.isWorkingDay(d) { failures.append("skipped a working day \(d): \(label)") }
                    }
                    for step in due.explanation where step.kind == .counted && unit != .calendarDays {
                        if let d = step.date, !cal.isWorkingDay(d) { failures.append("counted a day off \(d): \(label)") }
                    }
                    if unit != .calendarDays {
                        if !hours.sessions.contains(where: { minute > $0.start && minute <= $0.end }) {
                            failures.append("outside office hours: \(label)")
                        }
                        // The counted working time is exactly the limit.
                        let expected = amount * (unit == .workingDays ? hours.minutesPerDay : 60)
                        let counted = cal.workingMinutes(from: due.countingStartsAt, to: due.dueAt)
                        if counted != expected { failures.append("counted \(counted) ≠ \(expected): \(label)") }
                        if !cal.isWithinOfficeHours(due.countingStartsAt) { failures.append("start outside office hours: \(label)") }
                    } else if minute < hours.opening || minute > hours.closing {
                        failures.append("calendar-day due outside the office day: \(label)")
                    }
                    if failures.count > 20 { break }
                }
            }
            t = t.addingTimeInterval(TimeInterval((17 * 60 + 29) * 60))
        }
        #expect(checked > 50_000)
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    // MARK: - Clock stop (supplement) and working minutes

    @Test func resumeAddsTheStoppedWorkingTime() {
        // Due Mon 9/3 10:00; supplement requested Tue 3/3 10:00, supplied Thu 5/3 10:00 = 16 working hours.
        let moved = cal.resume(dueAt: Fx.at(2026, 3, 9, 10), pausedAt: Fx.at(2026, 3, 3, 10), resumedAt: Fx.at(2026, 3, 5, 10), unit: .workingDays)
        #expect(moved.dueAt == Fx.at(2026, 3, 11, 10))
        #expect(moved.explanation.first?.kind == .clockStopped)
        #expect(moved.explanation.first?.minutes == 16 * 60)
        #expect(moved.explanation.last?.kind == .due)
    }

    @Test func resumeAcrossAWeekend() {
        // Requested Fri 6/3 10:00, supplied Tue 10/3 10:00: Fri 5.5 h + Mon 8 h + Tue 2.5 h = 16 h.
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 6, 10), to: Fx.at(2026, 3, 10, 10)) == 16 * 60)
        let moved = cal.resume(dueAt: Fx.at(2026, 3, 11, 10), pausedAt: Fx.at(2026, 3, 6, 10), resumedAt: Fx.at(2026, 3, 10, 10), unit: .workingDays)
        #expect(moved.dueAt == Fx.at(2026, 3, 13, 10))
        // And the due date itself crosses a weekend: due Fri 13/3 10:00 + 16 h = Tue 17/3 10:00.
        let moved2 = cal.resume(dueAt: Fx.at(2026, 3, 13, 10), pausedAt: Fx.at(2026, 3, 3, 10), resumedAt: Fx.at(2026, 3, 5, 10), unit: .workingDays)
        #expect(moved2.dueAt == Fx.at(2026, 3, 17, 10))
        #expect(skippedDates(moved2) == [Fx.day(2026, 3, 14), Fx.day(2026, 3, 15)])
    }

    @Test func resumeWithNoWorkingTimeStoppedKeepsTheDueDate() {
        // Paused on Saturday, resumed on Sunday: nothing to add.
        let due = Fx.at(2026, 3, 11, 17)
        let moved = cal.resume(dueAt: due, pausedAt: Fx.at(2026, 3, 7, 9), resumedAt: Fx.at(2026, 3, 8, 9), unit: .workingDays)
        #expect(moved.dueAt == due)
        // A due date at 17:00 plus one working hour is the next morning at 08:30.
        let plusHour = cal.resume(dueAt: due, pausedAt: Fx.at(2026, 3, 2, 9), resumedAt: Fx.at(2026, 3, 2, 10), unit: .workingHours)
        #expect(plusHour.dueAt == Fx.at(2026, 3, 12, 8, 30))
    }

    @Test func resumeCalendarDaysAddsElapsedTimeAndRolls() {
        // Due Mon 9/3 09:00, stopped Tue 3/3 09:00 – Fri 6/3 09:00 (3 days) → Thu 12/3 09:00.
        let moved = cal.resume(dueAt: Fx.at(2026, 3, 9, 9), pausedAt: Fx.at(2026, 3, 3, 9), resumedAt: Fx.at(2026, 3, 6, 9), unit: .calendarDays)
        #expect(moved.dueAt == Fx.at(2026, 3, 12, 9))
        // 5 days → Sat 14/3 → Mon 16/3.
        let rolled = cal.resume(dueAt: Fx.at(2026, 3, 9, 9), pausedAt: Fx.at(2026, 3, 3, 9), resumedAt: Fx.at(2026, 3, 8, 9), unit: .calendarDays)
        #expect(rolled.dueAt == Fx.at(2026, 3, 16, 9))
        #expect(cal.isWorkingDay(VietnamTime.date(of: rolled.dueAt)))
    }

    @Test func workingMinutesSums() {
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 7, 30), to: Fx.at(2026, 3, 2, 17)) == 480)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 0), to: Fx.at(2026, 3, 3, 0)) == 480)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 10), to: Fx.at(2026, 3, 3, 10)) == 480)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 10), to: Fx.at(2026, 3, 2, 15, 30)) == 240)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 6, 10), to: Fx.at(2026, 3, 9, 10)) == 480)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 7, 30), to: Fx.at(2026, 3, 9, 7, 30)) == 5 * 480)
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 11, 45), to: Fx.at(2026, 3, 2, 12, 45)) == 0, "lunch")
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 2, 20), to: Fx.at(2026, 3, 3, 6)) == 0, "night")
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 7, 8), to: Fx.at(2026, 3, 8, 16)) == 0, "weekend")
        #expect(cal.workingMinutes(from: Fx.at(2026, 2, 13, 17), to: Fx.at(2026, 2, 23, 7, 30)) == 0, "Tết")
        #expect(cal.workingMinutes(from: Fx.at(2026, 2, 13, 7, 30), to: Fx.at(2026, 2, 24, 7, 30)) == 2 * 480)
        #expect(cal.workingMinutes(from: Fx.at(2024, 5, 4, 0), to: Fx.at(2024, 5, 5, 0)) == 480, "working Saturday 4/5/2024")
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 3, 10), to: Fx.at(2026, 3, 2, 10)) == 0, "reversed")
        #expect(cal.workingMinutes(from: Fx.at(2026, 3, 3, 10), to: Fx.at(2026, 3, 3, 10)) == 0, "empty")
        // Additive over a split point.
        let a = Fx.at(2026, 2, 10, 9, 17), b = Fx.at(2026, 2, 25, 14, 3), mid = Fx.at(2026, 2, 18, 12, 0)
        #expect(cal.workingMinutes(from: a, to: b) == cal.workingMinutes(from: a, to: mid) + cal.workingMinutes(from: mid, to: b))
    }

    // MARK: - Office hours

    @Test func officeHoursParsing() {
        let std = OfficeHours(text: "07:30-11:30,13:00-17:00")
        #expect(std == .standard)
        #expect(std?.minutesPerDay == 480)
        #expect(std?.opening == 450)
        #expect(std?.closing == 1020)
        #expect(OfficeHours(text: "13:00-17:00,07:30-11:30") == .standard, "sessions are sorted")
        #expect(OfficeHours(text: " 07:30 - 11:30 , 13:00 - 17:00 ") == .standard, "spaces are allowed")
        #expect(OfficeHours(text: "7:30-11:30,13:00-17:00") == .standard, "one-digit hour")
        #expect(OfficeHours(text: "08:00-17:00")?.minutesPerDay == 540)
        #expect(OfficeHours(text: "07:30-11:30,11:30-17:00") != nil, "touching sessions do not overlap")
        for bad in [
            "", ",", "07:30", "07:30-", "-11:30", "07:30-11:30-13:00", "11:30-07:30", "07:30-07:30", "25:00-26:00", "07:60-08:00",
            "07:3-11:30", "0730-1130", "ab:cd-ef:gh", "07:30-11:30,11:00-17:00", "07:30-12:00,08:00-09:00", "13:00-24:00",
        ] {
            #expect(OfficeHours(text: bad) == nil, "\"\(bad)\" must be rejected")
        }
    }

    @Test func thanhHoaOfficeHoursStillGiveEightHours() throws {
        let hours = try #require(OfficeHours(text: "07:00-11:30,13:30-17:00"))
        #expect(hours.minutesPerDay == 480)
        let th = WorkingCalendar(holidays: cal.holidays, hours: hours)
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 7), time: wd(1)).dueAt == Fx.at(2026, 3, 2, 17))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 9), time: wd(1)).dueAt == Fx.at(2026, 3, 3, 9))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 6, 45), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 2, 7))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 12), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 2, 13, 30))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 13), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 2, 13, 30))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 10), time: wh(4)).dueAt == Fx.at(2026, 3, 2, 16))
        #expect(th.dueDate(receivedAt: Fx.at(2026, 3, 2, 17, 30), time: wd(1)).countingStartsAt == Fx.at(2026, 3, 3, 7))
        #expect(th.workingMinutes(from: Fx.at(2026, 3, 2, 0), to: Fx.at(2026, 3, 7, 0)) == 5 * 480)
    }

    @Test func explanationSkippedReasonsAreVietnamese() {
        let due = cal.dueDate(receivedAt: Fx.at(2026, 2, 12, 16), time: wd(3))
        let reasons = Set(skipped(due).map(\.1))
        #expect(reasons.isSuperset(of: ["Thứ Bảy", "Chủ Nhật"]))
        #expect(reasons.contains { $0.contains("Tết Nguyên Đán") })
        #expect(due.explanation.last?.kind == .due)
        #expect(due.explanation.last?.date == VietnamTime.date(of: due.dueAt))
    }
}
