// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The government's yearly decisions on days off (swaps, working Saturdays), recorded by
/// administrators: stored, and the calendar in force replaced at once, so the next due date
/// counts them. A year recorded here replaces that year of the shipped overrides and of
/// `MOTCUA_HOLIDAYS`. [R] Other running instances take them at their next start (issue 9).
public struct CalendarService: Sendable {
    let app: MotCua

    /// The calendar from the base overrides with the database's years on top.
    func load() async throws {
        let stored = try await HolidayStore.all(on: app.database)
        guard !stored.isEmpty else { return }
        app.calendarBox.replace(Self.calendar(base: app.baseCalendar, stored: stored))
    }

    static func calendar(base: WorkingCalendar, stored: [YearOverride]) -> WorkingCalendar {
        let years = Set(stored.map(\.year))
        let overrides = base.holidays.overrides.filter { !years.contains($0.year) } + stored
        return WorkingCalendar(holidays: HolidayCalendar(rules: base.holidays.rules, overrides: overrides), hours: base.hours)
    }

    /// The override in force for `year` (recorded, shipped or from the file), or an empty one.
    public func override(year: Int) -> YearOverride {
        app.calendar.holidays.overrides.first { $0.year == year } ?? YearOverride(year: year)
    }

    public func add(_ change: YearOverride.Change, on date: LocalDate, name: String, year: Int, by actor: Actor) async throws -> YearOverride {
        guard actor.has(.admin) else { throw ServiceError.forbidden("administrators record the days off") }
        let current = override(year: year)
        switch Result(catching: { () throws(OverrideError) -> YearOverride in try current.adding(change, date, name: name) }) {
        case .success(let next): return try await save(next, by: actor)
        case .failure(let e): throw ServiceError.invalid(field: e.field, message: e.message)
        }
    }

    public func remove(_ date: LocalDate, year: Int, by actor: Actor) async throws -> YearOverride {
        guard actor.has(.admin) else { throw ServiceError.forbidden("administrators record the days off") }
        return try await save(override(year: year).removing(date), by: actor)
    }

    func save(_ o: YearOverride, by actor: Actor) async throws -> YearOverride {
        try await HolidayStore.put(o, by: actor.username, at: app.clock.now(), on: app.database)
        try await load()
        return o
    }
}
