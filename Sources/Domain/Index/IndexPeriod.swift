// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A period of the service-quality index: a month, a quarter or a year, in Vietnam time.
/// Written `2026-11`, `2026-Q4`, `2026`. Dossiers belong to the month they were received in.
public struct IndexPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable { case month, quarter, year }

    public let kind: Kind
    public let year: Int
    /// Month 1–12, quarter 1–4, or 0 for a year.
    public let number: Int

    public static func month(_ year: Int, _ month: Int) -> IndexPeriod { IndexPeriod(kind: .month, year: year, number: month) }
    public static func quarter(_ year: Int, _ quarter: Int) -> IndexPeriod { IndexPeriod(kind: .quarter, year: year, number: quarter) }
    public static func year(_ year: Int) -> IndexPeriod { IndexPeriod(kind: .year, year: year, number: 0) }

    /// Parses `YYYY-MM`, `YYYY-Qn` or `YYYY`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let y = Int(first), (2000...2200).contains(y) else { return nil }
        switch parts.count {
        case 1: self.init(kind: .year, year: y, number: 0)
        case 2:
            let p = parts[1]
            if p.count == 2, p.first == "Q" || p.first == "q", let q = Int(p.dropFirst()), (1...4).contains(q) {
                self.init(kind: .quarter, year: y, number: q)
            } else if p.count == 2, let m = Int(p), (1...12).contains(m) {
                self.init(kind: .month, year: y, number: m)
            } else {
                return nil
            }
        default: return nil
        }
    }

    private init(kind: Kind, year: Int, number: Int) {
        self.kind = kind
        self.year = year
        self.number = number
    }

    /// The month a moment belongs to (Vietnam time).
    public static func month(of instant: Date) -> IndexPeriod {
        let d = VietnamTime.date(of: instant)
        return .month(d.year, d.month)
    }

    public var description: String {
        switch kind {
        case .month: "\(year)-\(Digits.pad(number, 2))"
        case .quarter: "\(year)-Q\(number)"
        case .year: "\(year)"
        }
    }

    /// The months it covers, first to last.
    public var months: [IndexPeriod] {
        switch kind {
        case .month: [self]
        case .quarter: (1...3).map { .month(year, (number - 1) * 3 + $0) }
        case .year: (1...12).map { .month(year, $0) }
        }
    }

    /// The first instant of the period and the first instant after it (Vietnam midnight).
    public var bounds: (start: Date, end: Date) {
        let first = months[0]
        let last = months[months.count - 1]
        let start = VietnamTime.instant(LocalDate(year: first.year, month: first.number, day: 1)!, minuteOfDay: 0)
        let next = last.number == 12 ? LocalDate(year: last.year + 1, month: 1, day: 1)! : LocalDate(year: last.year, month: last.number + 1, day: 1)!
        return (start, VietnamTime.instant(next, minuteOfDay: 0))
    }

    /// The same kind of period just before (the "change since last month" of the dashboard).
    public var previous: IndexPeriod {
        switch kind {
        case .month: number == 1 ? .month(year - 1, 12) : .month(year, number - 1)
        case .quarter: number == 1 ? .quarter(year - 1, 4) : .quarter(year, number - 1)
        case .year: .year(year - 1)
        }
    }

    public static func < (a: IndexPeriod, b: IndexPeriod) -> Bool { a.bounds.start < b.bounds.start || (a.bounds.start == b.bounds.start && a.bounds.end < b.bounds.end) }
}
