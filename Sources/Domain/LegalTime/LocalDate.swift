// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A calendar date (Gregorian, proleptic) with no time and no zone.
///
/// Legal time in Vietnam is counted in dates of UTC+7; this type keeps date arithmetic
/// pure integer work (Julian day numbers) so calendars are fast and testable.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date; returns nil when the day does not exist (e.g. 30 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates a date from a Julian day number (the day count used by astronomers).
    public init(julianDay jd: Int) {
        // Fliegel & Van Flandern (1968), integer arithmetic.
        var l = jd + 68569
        let n = 4 * l / 146097
        l = l - (146097 * n + 3) / 4
        let i = 4000 * (l + 1) / 1461001
        l = l - 1461 * i / 4 + 31
        let j = 80 * l / 2447
        let d = l - 2447 * j / 80
        l = j / 11
        let m = j + 2 - 12 * l
        let y = 100 * (n - 49) + i + l
        self.year = y
        self.month = m
        self.day = d
    }

    /// The Julian day number of this date (noon-based; 2000-01-01 is 2451545).
    public var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int { (julianDay % 7) + 1 }

    /// True on Saturday and Sunday.
    public var isWeekend: Bool { isoWeekday >= 6 }

    public func adding(days: Int) -> LocalDate { LocalDate(julianDay: julianDay + days) }

    /// `yyyy-MM-dd`.
    public var description: String {
        "\(Digits.pad(year, 4))-\(Digits.pad(month, 2))-\(Digits.pad(day, 2))"
    }

    /// Parses `yyyy-MM-dd`.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.julianDay < b.julianDay }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = LocalDate(iso: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected yyyy-MM-dd, got \(s)"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Vietnam legal time: UTC+7, no daylight saving.
public enum VietnamTime {
    public static let offsetSeconds = 7 * 3600
    public static let timeZone = TimeZone(secondsFromGMT: offsetSeconds)!

    /// The local date and minute of day (0..<1440) of an instant in UTC+7.
    public static func local(_ instant: Date) -> (date: LocalDate, minuteOfDay: Int) {
        let seconds = Int(floor(instant.timeIntervalSince1970)) + offsetSeconds
        let days = Int(floor(Double(seconds) / 86400))
        let secOfDay = seconds - days * 86400
        // 1970-01-01 is Julian day 2440588.
        return (LocalDate(julianDay: 2440588 + days), secOfDay / 60)
    }

    /// The instant of a local date and minute of day in UTC+7.
    public static func instant(_ date: LocalDate, minuteOfDay: Int) -> Date {
        let days = date.julianDay - 2440588
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + minuteOfDay * 60 - offsetSeconds))
    }

    /// The local date of an instant.
    public static func date(of instant: Date) -> LocalDate { local(instant).date }
}
