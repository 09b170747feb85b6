// SPDX-License-Identifier: Apache-2.0
import Foundation

extension YearOverride {
    /// What a province records from a government decision: a weekday given off, or a weekend
    /// day worked in exchange.
    public enum Change: String, Sendable, Codable {
        case dayOff = "day-off"
        case workingDay = "working-day"
    }

    /// The override with one more day; refuses what cannot be right: a weekend "day off", a
    /// weekday "working day", a date far from the year, a day already listed, an empty name.
    public func adding(_ change: Change, _ date: LocalDate, name: String) throws(OverrideError) -> YearOverride {
        let label = name.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else { throw OverrideError(field: "name", message: "say what the day is (e.g. the decision that gave it)") }
        guard abs(date.year - year) <= 1 else { throw OverrideError(field: "date", message: "\(date) is too far from \(year)") }
        guard !daysOff.contains(where: { $0.date == date }), !workingDays.contains(where: { $0.date == date }) else {
            throw OverrideError(field: "date", message: "\(date) is already listed for \(year)")
        }
        switch change {
        case .dayOff:
            guard !date.isWeekend else { throw OverrideError(field: "date", message: "\(date) is a weekend day: it is off already") }
            return YearOverride(year: year, daysOff: daysOff + [NamedDate(date: date, name: label)], workingDays: workingDays, replaces: replaces, note: note)
        case .workingDay:
            guard date.isWeekend else { throw OverrideError(field: "date", message: "\(date) is a weekday: it is a working day already") }
            return YearOverride(year: year, daysOff: daysOff, workingDays: workingDays + [NamedDate(date: date, name: label)], replaces: replaces, note: note)
        }
    }

    /// The override without `date` (in either list).
    public func removing(_ date: LocalDate) -> YearOverride {
        YearOverride(
            year: year, daysOff: daysOff.filter { $0.date != date }, workingDays: workingDays.filter { $0.date != date }, replaces: replaces, note: note)
    }
}

extension Array where Element == YearOverride {
    /// These overrides with every year `newer` holds replaced by `newer`'s.
    public func replacingYears(with newer: [YearOverride]) -> [YearOverride] {
        let years = Set(newer.map(\.year))
        return filter { !years.contains($0.year) } + newer
    }
}

public struct OverrideError: Error, Equatable, Sendable {
    public let field: String
    public let message: String
}
