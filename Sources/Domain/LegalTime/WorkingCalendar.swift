// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One line of a due date's explanation: what moved the clock and why.
public struct DeadlineStep: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// The instant the dossier was received.
        case received
        /// Counting starts later than reception (outside office hours, day off, cut-off).
        case startMoved = "start-moved"
        /// Working time counted on a day.
        case counted
        /// A day that was not counted.
        case skipped
        /// The clock was stopped (supplement or payment request) and time was added back.
        case clockStopped = "clock-stopped"
        /// The due date was extended (apology letter, Mẫu 04).
        case extended
        /// The resulting due instant.
        case due
    }

    public let kind: Kind
    public let date: LocalDate?
    public let minutes: Int?
    public let reason: String

    public init(kind: Kind, date: LocalDate?, minutes: Int? = nil, reason: String) {
        self.kind = kind
        self.date = date
        self.minutes = minutes
        self.reason = reason
    }
}

/// A computed due instant and how it was reached.
public struct DueDate: Sendable, Hashable {
    public let dueAt: Date
    public let countingStartsAt: Date
    public let explanation: [DeadlineStep]
}

/// Working time: the holiday calendar and office hours together. Every legal deadline is
/// computed here, in Vietnam time, from explicit inputs only.
public struct WorkingCalendar: Sendable {
    public let holidays: HolidayCalendar
    public let hours: OfficeHours

    public init(holidays: HolidayCalendar, hours: OfficeHours = .standard) {
        self.holidays = holidays
        self.hours = hours
    }

    public func isWorkingDay(_ d: LocalDate) -> Bool { holidays.isWorkingDay(d) }

    /// The next working day strictly after `d`, with the days skipped on the way.
    func nextWorkingDay(after d: LocalDate, skipped: inout [DeadlineStep]) -> LocalDate {
        var day = d.adding(days: 1)
        while let off = holidays.dayOff(day) {
            skipped.append(DeadlineStep(kind: .skipped, date: day, reason: off.reason))
            day = day.adding(days: 1)
        }
        return day
    }

    /// Where counting starts for a dossier received at `instant`: the instant itself when inside
    /// office hours on a working day, otherwise the next opening; with a cut-off, intake at or
    /// after it counts from the next working day's opening.
    public func countingStart(from instant: Date, cutoffMinute: Int? = nil, steps: inout [DeadlineStep]) -> (LocalDate, Int) {
        let (date, minute) = VietnamTime.local(instant)
        if let off = holidays.dayOff(date) {
            steps.append(DeadlineStep(kind: .skipped, date: date, reason: off.reason))
            let next = nextWorkingDay(after: date, skipped: &steps)
            steps.append(DeadlineStep(kind: .startMoved, date: next, reason: "tiếp nhận vào ngày nghỉ; bắt đầu tính từ \(ClockTime.text(hours.opening)) ngày làm việc tiếp theo"))
            return (next, hours.opening)
        }
        if let cutoff = cutoffMinute, minute >= cutoff {
            let next = nextWorkingDay(after: date, skipped: &steps)
            steps.append(DeadlineStep(kind: .startMoved, date: next, reason: "tiếp nhận sau \(ClockTime.text(cutoff)); tính từ ngày làm việc tiếp theo"))
            return (next, hours.opening)
        }
        if minute < hours.opening {
            steps.append(DeadlineStep(kind: .startMoved, date: date, reason: "tiếp nhận trước giờ làm việc; bắt đầu tính từ \(ClockTime.text(hours.opening))"))
            return (date, hours.opening)
        }
        if minute >= hours.closing {
            let next = nextWorkingDay(after: date, skipped: &steps)
            steps.append(DeadlineStep(kind: .startMoved, date: next, reason: "tiếp nhận sau giờ làm việc; bắt đầu tính từ \(ClockTime.text(hours.opening)) ngày làm việc tiếp theo"))
            return (next, hours.opening)
        }
        for (i, s) in hours.sessions.enumerated() where minute < s.start {
            if i > 0, minute >= hours.sessions[i - 1].end {
                steps.append(DeadlineStep(kind: .startMoved, date: date, reason: "tiếp nhận trong giờ nghỉ trưa; bắt đầu tính từ \(ClockTime.text(s.start))"))
                return (date, s.start)
            }
        }
        return (date, minute)
    }

    /// Adds working minutes from a position inside office hours, skipping breaks and days off.
    /// Ending exactly at the end of a session stays there (due 17:00, not the next morning).
    public func addWorking(minutes total: Int, from start: (LocalDate, Int), steps: inout [DeadlineStep]) -> (LocalDate, Int) {
        var (day, minute) = start
        var remaining = total
        if remaining <= 0 { return start }
        while true {
            var countedToday = 0
            for s in hours.sessions where minute < s.end {
                let from = max(minute, s.start)
                let available = s.end - from
                if remaining <= available {
                    countedToday += remaining
                    steps.append(DeadlineStep(kind: .counted, date: day, minutes: countedToday, reason: "thời gian làm việc"))
                    return (day, from + remaining)
                }
                remaining -= available
                countedToday += available
                minute = s.end
            }
            if countedToday > 0 {
                steps.append(DeadlineStep(kind: .counted, date: day, minutes: countedToday, reason: "thời gian làm việc"))
            }
            day = nextWorkingDay(after: day, skipped: &steps)
            minute = hours.opening
        }
    }

    /// Working minutes between two instants (0 if `to` is not after `from`).
    public func workingMinutes(from: Date, to: Date) -> Int {
        guard to > from else { return 0 }
        let (d0, m0) = VietnamTime.local(from)
        let (d1, m1) = VietnamTime.local(to)
        var total = 0
        var day = d0
        while day <= d1 {
            if isWorkingDay(day) {
                let lo = day == d0 ? m0 : 0
                let hi = day == d1 ? m1 : 24 * 60
                for s in hours.sessions {
                    let a = max(lo, s.start)
                    let b = min(hi, s.end)
                    if b > a { total += b - a }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// The due date of a time limit counted from reception at `receivedAt`.
    public func dueDate(receivedAt: Date, time: ProcessingTime, cutoffMinute: Int? = nil) -> DueDate {
        var steps: [DeadlineStep] = [DeadlineStep(kind: .received, date: VietnamTime.date(of: receivedAt), minutes: nil, reason: "tiếp nhận lúc \(Self.localText(receivedAt))")]
        let start = countingStart(from: receivedAt, cutoffMinute: cutoffMinute, steps: &steps)
        let startInstant = VietnamTime.instant(start.0, minuteOfDay: start.1)
        let end: (LocalDate, Int)
        switch time.unit {
        case .workingDays:
            end = addWorking(minutes: time.amount * hours.minutesPerDay, from: start, steps: &steps)
        case .workingHours:
            end = addWorking(minutes: time.amount * 60, from: start, steps: &steps)
        case .calendarDays:
            // Calendar days run through days off, but the due date itself never lands on one.
            var day = start.0.adding(days: time.amount)
            steps.append(DeadlineStep(kind: .counted, date: day, minutes: nil, reason: "\(time.amount) ngày theo lịch"))
            if !isWorkingDay(day) {
                if let off = holidays.dayOff(day) { steps.append(DeadlineStep(kind: .skipped, date: day, reason: off.reason)) }
                day = nextWorkingDay(after: day, skipped: &steps)
            }
            end = (day, min(max(start.1, hours.opening), hours.closing))
        }
        let due = VietnamTime.instant(end.0, minuteOfDay: end.1)
        steps.append(DeadlineStep(kind: .due, date: end.0, minutes: nil, reason: "hẹn trả lúc \(Self.localText(due))"))
        return DueDate(dueAt: due, countingStartsAt: startInstant, explanation: steps)
    }

    /// Moves a due date after the clock was stopped from `pausedAt` to `resumedAt`: the working
    /// time that passed while stopped is added back, so the applicant's time is not charged to the
    /// office. (For calendar-day limits the elapsed calendar time is added, then rolled to a working day.)
    public func resume(dueAt: Date, pausedAt: Date, resumedAt: Date, unit: DurationUnit) -> DueDate {
        var steps: [DeadlineStep] = []
        let newDue: Date
        if unit == .calendarDays {
            var candidate = dueAt.addingTimeInterval(max(0, resumedAt.timeIntervalSince(pausedAt)))
            var (day, minute) = VietnamTime.local(candidate)
            if !isWorkingDay(day) {
                if let off = holidays.dayOff(day) { steps.append(DeadlineStep(kind: .skipped, date: day, reason: off.reason)) }
                day = nextWorkingDay(after: day, skipped: &steps)
                minute = min(max(minute, hours.opening), hours.closing)
                candidate = VietnamTime.instant(day, minuteOfDay: minute)
            }
            newDue = candidate
            steps.insert(DeadlineStep(kind: .clockStopped, date: VietnamTime.date(of: pausedAt), minutes: Int(resumedAt.timeIntervalSince(pausedAt) / 60), reason: "tạm dừng tính thời gian \(Self.localText(pausedAt)) – \(Self.localText(resumedAt))"), at: 0)
        } else {
            let stopped = workingMinutes(from: pausedAt, to: resumedAt)
            steps.append(DeadlineStep(kind: .clockStopped, date: VietnamTime.date(of: pausedAt), minutes: stopped, reason: "tạm dừng tính thời gian \(Self.localText(pausedAt)) – \(Self.localText(resumedAt)): cộng thêm \(stopped) phút làm việc"))
            var s: [DeadlineStep] = []
            let pos = countingStart(from: dueAt, steps: &s)
            // A due instant exactly at a session end stays at that end when nothing is added.
            let end = stopped == 0 ? VietnamTime.local(dueAt) : addWorking(minutes: stopped, from: pos, steps: &steps)
            newDue = VietnamTime.instant(end.0, minuteOfDay: end.1)
        }
        steps.append(DeadlineStep(kind: .due, date: VietnamTime.date(of: newDue), reason: "hẹn trả lúc \(Self.localText(newDue))"))
        return DueDate(dueAt: newDue, countingStartsAt: pausedAt, explanation: steps)
    }

    /// True when an instant falls inside office hours on a working day.
    public func isWithinOfficeHours(_ instant: Date) -> Bool {
        let (d, m) = VietnamTime.local(instant)
        return isWorkingDay(d) && hours.sessions.contains { m >= $0.start && m <= $0.end }
    }

    /// "HH:mm dd/MM/yyyy" in Vietnam time, as officials write it.
    public static func localText(_ instant: Date) -> String {
        let (d, m) = VietnamTime.local(instant)
        return "\(Digits.pad(m / 60, 2)):\(Digits.pad(m % 60, 2)) \(Digits.pad(d.day, 2))/\(Digits.pad(d.month, 2))/\(Digits.pad(d.year, 4))"
    }
}
