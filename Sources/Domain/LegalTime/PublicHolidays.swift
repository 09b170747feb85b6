// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A public holiday (ngày nghỉ lễ, tết) or another day off decided for public bodies.
public struct Holiday: Hashable, Sendable, Codable {
    /// Why the day is off.
    public enum Kind: String, Codable, Sendable {
        /// A holiday listed in Labour Code 2019 Art. 112 (or Vietnam Culture Day).
        case holiday
        /// Nghỉ bù: a working day given off because a holiday fell on the weekly rest day (Art. 111(3)).
        case compensatory
        /// An extra day off decided by the government for that year (swapped with a working Saturday).
        case decreed
    }

    /// The date.
    public let date: LocalDate
    /// The Vietnamese name, with diacritics, e.g. "Giỗ Tổ Hùng Vương" or "Nghỉ bù Giỗ Tổ Hùng Vương".
    public let name: String
    /// Holiday, compensatory or decreed day.
    public let kind: Kind

    /// Creates a holiday entry.
    public init(date: LocalDate, name: String, kind: Kind) {
        self.date = date
        self.name = name
        self.kind = kind
    }
}

/// A date with a human label, as used in the yearly override file.
public struct NamedDate: Sendable, Codable, Hashable {
    /// The date.
    public let date: LocalDate
    /// A Vietnamese label, e.g. "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)".
    public let name: String

    /// Creates a named date.
    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// The government's decisions for one year that the statutory rules cannot predict:
/// swapped days off, working Saturdays, and computed days that are not off after all.
public struct YearOverride: Sendable, Codable, Hashable {
    /// The year the decision is about (its dates may spill into the neighbouring year).
    public let year: Int
    /// Extra days off (kind `.decreed`), e.g. Mon 29/4/2024.
    public let daysOff: [NamedDate]
    /// Weekend days that are working days, e.g. Sat 4/5/2024.
    public let workingDays: [NamedDate]
    /// Computed days off that are NOT off that year (the government moved them), if any.
    public let replaces: [LocalDate]?
    /// Free text: the source document and what it decided.
    public let note: String?

    /// Creates an override.
    public init(year: Int, daysOff: [NamedDate] = [], workingDays: [NamedDate] = [], replaces: [LocalDate]? = nil, note: String? = nil) {
        self.year = year
        self.daysOff = daysOff
        self.workingDays = workingDays
        self.replaces = replaces
        self.note = note
    }

    private enum CodingKeys: String, CodingKey { case year, daysOff, workingDays, replaces, note }

    /// Decodes an override; the lists may be omitted when empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        year = try c.decode(Int.self, forKey: .year)
        daysOff = try c.decodeIfPresent([NamedDate].self, forKey: .daysOff) ?? []
        workingDays = try c.decodeIfPresent([NamedDate].self, forKey: .workingDays) ?? []
        replaces = try c.decodeIfPresent([LocalDate].self, forKey: .replaces)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
}

/// The configurable parts of the holiday rules. The defaults follow the law in force and the
/// government's recent practice, and reproduce the python `holidays` library (v0.109) for Vietnam.
public struct HolidayRules: Sendable, Codable, Hashable {
    /// How the second National Day holiday (the day "adjacent to 2/9", Art. 112(1)(đ)) is chosen.
    public enum NationalDayAdjacent: String, Codable, Sendable {
        /// The adjacent working day that joins 2/9 to a weekend, otherwise the day before:
        /// 2/9 on Mon → Tue 3/9; Tue → Mon 1/9; Wed → Tue 1/9; Thu → Fri 3/9; Fri → Thu 1/9;
        /// Sat → Fri 1/9; Sun → Mon 3/9. This is what the Prime Minister decided every year
        /// 2021–2026 and what the `holidays` library does by default.
        case bridgeToWeekend = "bridge-to-weekend"
        /// Always 1/9 (compensated when it is a weekend day).
        case dayBefore = "day-before"
        /// Always 3/9 (compensated when it is a weekend day).
        case dayAfter = "day-after"
    }

    /// Where a Tết day that falls on Saturday or Sunday is given back.
    public enum TetWeekendShift: String, Codable, Sendable {
        /// Saturday → the previous working day, Sunday → the next one, so the Tết break stays one
        /// block (e.g. 2024: Thu 8/2 – Wed 14/2; 2025: from Mon 27/1). Government practice since 2014.
        case saturdayBackSundayForward = "saturday-back-sunday-forward"
        /// Both to the next working days after the block (the plain Art. 111(3) reading).
        case nextWorkingDay = "next-working-day"
    }

    /// First year with Vietnam Culture Day 24/11 as a paid holiday; nil disables it.
    public var cultureDayFromYear: Int?
    /// The rule for the day adjacent to 2/9.
    public var nationalDayAdjacent: NationalDayAdjacent
    /// The rule for Tết days on a weekend.
    public var tetWeekendShift: TetWeekendShift
    /// How many of the 5 Tết days come before day 1 of month 1 (default 1: the last day of the old year).
    public var tetDaysBeforeNewYear: Int

    /// Creates rules; the defaults are the law and practice described on each property.
    public init(
        cultureDayFromYear: Int? = 2026,
        nationalDayAdjacent: NationalDayAdjacent = .bridgeToWeekend,
        tetWeekendShift: TetWeekendShift = .saturdayBackSundayForward,
        tetDaysBeforeNewYear: Int = 1
    ) {
        self.cultureDayFromYear = cultureDayFromYear
        self.nationalDayAdjacent = nationalDayAdjacent
        self.tetWeekendShift = tetWeekendShift
        self.tetDaysBeforeNewYear = tetDaysBeforeNewYear
    }

    private enum CodingKeys: String, CodingKey { case cultureDayFromYear, nationalDayAdjacent, tetWeekendShift, tetDaysBeforeNewYear }

    /// Decodes rules; a missing key keeps its default, an explicit null `cultureDayFromYear` disables it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = HolidayRules()
        if c.contains(.cultureDayFromYear) {
            cultureDayFromYear = try c.decodeIfPresent(Int.self, forKey: .cultureDayFromYear)
        } else {
            cultureDayFromYear = defaults.cultureDayFromYear
        }
        nationalDayAdjacent = try c.decodeIfPresent(NationalDayAdjacent.self, forKey: .nationalDayAdjacent) ?? defaults.nationalDayAdjacent
        tetWeekendShift = try c.decodeIfPresent(TetWeekendShift.self, forKey: .tetWeekendShift) ?? defaults.tetWeekendShift
        tetDaysBeforeNewYear = try c.decodeIfPresent(Int.self, forKey: .tetDaysBeforeNewYear) ?? defaults.tetDaysBeforeNewYear
    }

    /// Encodes every key (a nil `cultureDayFromYear` as null, so it round-trips as "off").
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let year = cultureDayFromYear {
            try c.encode(year, forKey: .cultureDayFromYear)
        } else {
            try c.encodeNil(forKey: .cultureDayFromYear)
        }
        try c.encode(nationalDayAdjacent, forKey: .nationalDayAdjacent)
        try c.encode(tetWeekendShift, forKey: .tetWeekendShift)
        try c.encode(tetDaysBeforeNewYear, forKey: .tetDaysBeforeNewYear)
    }
}

/// Why a date is not a working day for public bodies.
public enum DayOff: Hashable, Sendable {
    /// Saturday (6) or Sunday (7): public bodies work Monday to Friday (Decision 188/1999/QĐ-TTg).
    case weekend(isoWeekday: Int)
    /// A holiday, compensatory or decreed day off.
    case holiday(Holiday)

    /// A short Vietnamese reason, e.g. "Chủ Nhật" or "Nghỉ bù Giỗ Tổ Hùng Vương".
    public var reason: String {
        switch self {
        case .weekend(let weekday): return weekday == 7 ? "Chủ Nhật" : "Thứ Bảy"
        case .holiday(let holiday): return holiday.name
        }
    }
}

/// Public holidays and days off of public bodies in Vietnam, year by year.
///
/// Statutory days (Labour Code 2019, Art. 112): Tết Dương lịch 1/1; Tết Nguyên Đán 5 days;
/// Giỗ Tổ Hùng Vương 10/3 lunar; 30/4; 1/5; Quốc khánh 2/9 plus one adjacent day; and Vietnam
/// Culture Day 24/11 from 2026 (configurable). A holiday on Saturday or Sunday gives the next
/// working day off (Art. 111(3)); Tết days are handled by `HolidayRules.tetWeekendShift`.
/// Earlier years follow the law then in force, as the `holidays` library does: compensation from
/// 1995 (Labour Code 1994), Hùng Kings from 2007, 4 Tết days before 2013, a single 2/9 before 2021.
/// Government decisions per year (swaps, working Saturdays) come from `YearOverride`s.
///
/// Years are computed on first use and kept in a small lock-protected cache shared by copies of
/// the calendar, so `dayOff(_:)` in a loop costs a dictionary lookup.
public struct HolidayCalendar: Sendable {
    /// The rules in use.
    public let rules: HolidayRules
    /// The yearly government decisions in use.
    public let overrides: [YearOverride]

    private let daysOffByYear: [Int: [NamedDate]]
    private let workingDaysByYear: [Int: [NamedDate]]
    private let replacedByYear: [Int: Set<Int>]
    private let cache = YearCache()

    /// Creates a calendar from rules and yearly overrides.
    public init(rules: HolidayRules = .init(), overrides: [YearOverride] = []) {
        self.rules = rules
        self.overrides = overrides
        // Index by the year of each date, not of the override: a swap may cross New Year
        // (e.g. the 2019 decision had working Saturday 5/1/2019 for Monday 31/12/2018).
        daysOffByYear = Dictionary(grouping: overrides.flatMap(\.daysOff), by: \.date.year)
        workingDaysByYear = Dictionary(grouping: overrides.flatMap(\.workingDays), by: \.date.year)
        replacedByYear = Dictionary(grouping: overrides.flatMap { $0.replaces ?? [] }, by: \.year)
            .mapValues { Set($0.map(\.julianDay)) }
    }

    /// Every holiday, compensatory and decreed day off of a year, sorted by date. Holidays that
    /// fall on a weekend are listed too, followed by their compensatory day.
    public func holidays(in year: Int) -> [Holiday] { table(year).sorted }

    /// Why `date` is not a working day, or nil when it is one. A weekend day listed as a working
    /// day in an override is a working day.
    public func dayOff(_ date: LocalDate) -> DayOff? {
        let t = table(date.year)
        let jd = date.julianDay
        if t.workingDays.contains(jd) { return nil }
        if let holiday = t.byDay[jd] { return .holiday(holiday) }
        let weekday = date.isoWeekday
        return weekday >= 6 ? .weekend(isoWeekday: weekday) : nil
    }

    /// Weekend days that are working days in `year` (làm bù), sorted by date.
    public func weekendWorkingDays(in year: Int) -> [NamedDate] {
        (workingDaysByYear[year] ?? []).sorted { $0.date < $1.date }
    }

    /// True when public bodies work on `date`.
    public func isWorkingDay(_ date: LocalDate) -> Bool { dayOff(date) == nil }

    /// The format tag of the override document.
    public static let overridesFormat = "motcua-holidays/1"

    /// Decodes `{"format":"motcua-holidays/1","overrides":[...]}` and checks that working days
    /// are weekend days and decreed days off are weekdays (a cheap guard against typos).
    public static func decodeOverrides(from data: Data) throws -> [YearOverride] {
        struct Document: Decodable {
            let format: String
            let overrides: [YearOverride]
        }
        let document = try JSONDecoder().decode(Document.self, from: data)
        guard document.format == overridesFormat else {
            let message = "unsupported holiday override format \(document.format); expected \(overridesFormat)"
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: message))
        }
        for o in document.overrides {
            for d in o.workingDays where !d.date.isWeekend {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(o.year): working day \(d.date) is not a Saturday or Sunday"))
            }
            for d in o.daysOff where d.date.isWeekend {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(o.year): day off \(d.date) is already a weekend day"))
            }
        }
        return document.overrides
    }

    // MARK: - Computation

    private func table(_ year: Int) -> YearTable {
        cache.table(year) { computeTable(year) }
    }

    private func computeTable(_ year: Int) -> YearTable {
        var days = DayMap()
        let tetName = "Tết Nguyên Đán"

        // Statutory days, in the order the law lists them.
        let fixed = { (month: Int, day: Int) in LocalDate(year: year, month: month, day: day)! }
        var compensable: [LocalDate] = []
        compensable.append(days.add(fixed(1, 1), "Tết Dương lịch"))

        let tetDay = LunarCalendar.newYear(year)
        let tetLength = year >= Law.fiveDayTetFrom ? 5 : 4
        let before = min(max(rules.tetDaysBeforeNewYear, 0), tetLength)
        let tetDays = (-before..<(tetLength - before)).map { days.add(tetDay.adding(days: $0), tetName) }

        if year >= Law.hungKingsFrom, let hung = LunarCalendar.solarDate(of: LunarDate(year: year, month: 3, day: 10)) {
            compensable.append(days.add(hung, "Giỗ Tổ Hùng Vương"))
        }
        compensable.append(days.add(fixed(4, 30), "Ngày Chiến thắng"))
        compensable.append(days.add(fixed(5, 1), "Ngày Quốc tế Lao động"))
        let nationalDay = fixed(9, 2)
        compensable.append(days.add(nationalDay, "Quốc khánh"))
        if year >= Law.twoDayNationalDayFrom {
            let adjacent = nationalDay.adding(days: nationalDayAdjacentOffset(nationalDay))
            // The default rule never picks a weekend day; the simple rules may, and are then compensated.
            compensable.append(days.add(adjacent, "Quốc khánh"))
        }
        if let from = rules.cultureDayFromYear, year >= from {
            compensable.append(days.add(fixed(11, 24), "Ngày Văn hóa Việt Nam"))
        }

        // Decreed days first, so compensation never lands on them.
        for d in daysOffByYear[year] ?? [] where days[d.date] == nil {
            _ = days.add(d.date, d.name, kind: .decreed)
        }

        if year >= Law.compensationFrom {
            // Tết first, day by day from the eve, as the government plans the block.
            for d in tetDays where d.isWeekend {
                let backwards = d.isoWeekday == 6 && year >= Law.tetSaturdayBackFrom && rules.tetWeekendShift == .saturdayBackSundayForward
                if let target = days.nextFreeWeekday(from: d, step: backwards ? -1 : 1) {
                    _ = days.add(target, "Nghỉ bù \(tetName)", kind: .compensatory)
                }
            }
            for d in Set(compensable).sorted() where d.isWeekend {
                if let target = days.nextFreeWeekday(from: d, step: 1), let holiday = days[d] {
                    _ = days.add(target, "Nghỉ bù \(holiday.name)", kind: .compensatory)
                }
            }
        }

        let replaced = replacedByYear[year] ?? []
        let byDay = days.map.filter { !replaced.contains($0.key) }
        let working = Set((workingDaysByYear[year] ?? []).map(\.date.julianDay))
        return YearTable(byDay: byDay, sorted: byDay.values.sorted { $0.date < $1.date }, workingDays: working)
    }

    /// Days from 2/9 to its adjacent holiday under the configured rule.
    private func nationalDayAdjacentOffset(_ nationalDay: LocalDate) -> Int {
        switch rules.nationalDayAdjacent {
        case .dayBefore: return -1
        case .dayAfter: return 1
        case .bridgeToWeekend:
            // Indexed by ISO weekday of 2/9 (1 = Monday).
            return [0, 1, -1, -1, 1, -1, -1, 1][nationalDay.isoWeekday]
        }
    }

    /// Years in which the rules of earlier labour codes change (matching the `holidays` library).
    private enum Law {
        /// Labour Code 1994 (in force 1/1/1995) introduced the day off in lieu.
        static let compensationFrom = 1995
        /// Hùng Kings' day became a paid holiday by the 2007 amendment.
        static let hungKingsFrom = 2007
        /// Labour Code 2012 raised Tết from 4 to 5 days.
        static let fiveDayTetFrom = 2013
        /// From 2014 the government moves a Saturday Tết day before the break.
        static let tetSaturdayBackFrom = 2014
        /// Labour Code 2019 (in force 1/1/2021) added the second National Day holiday.
        static let twoDayNationalDayFrom = 2021
    }
}

/// The days off of one year, by Julian day number.
private struct DayMap {
    var map: [Int: Holiday] = [:]

    subscript(date: LocalDate) -> Holiday? { map[date.julianDay] }

    /// Adds a day off; two holidays on the same date share one entry with both names.
    mutating func add(_ date: LocalDate, _ name: String, kind: Holiday.Kind = .holiday) -> LocalDate {
        if let existing = map[date.julianDay] {
            if !existing.name.split(separator: ";").contains(where: { $0.trimmingCharacters(in: .whitespaces) == name }) {
                map[date.julianDay] = Holiday(date: date, name: "\(existing.name); \(name)", kind: existing.kind)
            }
        } else {
            map[date.julianDay] = Holiday(date: date, name: name, kind: kind)
        }
        return date
    }

    /// The nearest Monday–Friday in direction `step` that is not already off, within the same
    /// year (a holiday never needs a day off in lieu across New Year).
    func nextFreeWeekday(from date: LocalDate, step: Int) -> LocalDate? {
        var d = date.adding(days: step)
        while d.year == date.year {
            if !d.isWeekend && map[d.julianDay] == nil { return d }
            d = d.adding(days: step)
        }
        return nil
    }
}

/// One computed year.
private struct YearTable: Sendable {
    let byDay: [Int: Holiday]
    let sorted: [Holiday]
    let workingDays: Set<Int>
}

/// Computed years, shared by copies of a `HolidayCalendar`. The lock makes it safe to share
/// across tasks; a year computed twice by a race yields the same value, so last write wins.
private final class YearCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [Int: YearTable] = [:]

    func table(_ year: Int, compute: () -> YearTable) -> YearTable {
        lock.lock()
        let cached = tables[year]
        lock.unlock()
        if let cached { return cached }
        let table = compute()
        lock.lock()
        tables[year] = table
        lock.unlock()
        return table
    }
}
