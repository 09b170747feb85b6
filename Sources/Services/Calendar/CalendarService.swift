// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Storage

/// The government's yearly decisions on days off (swaps, working Saturdays), recorded by
/// administrators: stored, and the calendar in force replaced at once, so the next due date
/// counts them. A year recorded here replaces that year of the shipped overrides and of
/// `MOTCUA_HOLIDAYS`. Other running instances take them within a second
/// (``MotCua/followSharedChanges()``).
public struct CalendarService: Sendable {
    let app: MotCua

    /// The calendar from the base overrides with the database's years on top.
    func load() async throws {
        let stored = try await HolidayStore.all(on: app.database)
        guard !stored.isEmpty else { return }
        app.calendarBox.replace(Self.calendar(base: app.baseCalendar, stored: stored))
    }

    static func calendar(base: WorkingCalendar, stored: [YearOverride]) -> WorkingCalendar {
        WorkingCalendar(holidays: HolidayCalendar(rules: base.holidays.rules, overrides: base.holidays.overrides.replacingYears(with: stored)), hours: base.hours)
    }

    /// The override in force for `year` (recorded, shipped or from the file), or an empty one.
    public func override(year: Int) -> YearOverride {
        app.calendar.holidays.overrides.first { $0.year == year } ?? YearOverride(year: year)
    }

    public func add(_ change: YearOverride.Change, on date: LocalDate, name: String, year: Int, by actor: Actor) async throws -> YearOverride {
        try await edit(year: year, by: actor) { current throws(OverrideError) in try current.adding(change, date, name: name) }
    }

    public func remove(_ date: LocalDate, year: Int, by actor: Actor) async throws -> YearOverride {
        try await edit(year: year, by: actor) { current throws(OverrideError) in current.removing(date) }
    }

    /// Applies an edit to the year as stored (read under lock, so concurrent edits follow each
    /// other), or, the first time, to the year as shipped; then the calendar in force follows.
    func edit(year: Int, by actor: Actor, _ edit: @escaping @Sendable (YearOverride) throws(OverrideError) -> YearOverride) async throws -> YearOverride {
        guard actor.has(.admin) else { throw ServiceError.forbidden("administrators record the days off") }
        let now = app.clock.now()
        let shipped = app.baseCalendar.holidays.overrides.first { $0.year == year } ?? YearOverride(year: year)
        let saved: YearOverride = try await app.database.transaction { tx in
            let current = try await HolidayStore.year(year, on: tx) ?? shipped
            switch Result(catching: { () throws(OverrideError) -> YearOverride in try edit(current) }) {
            case .success(let next):
                try await HolidayStore.put(next, by: actor.username, at: now, on: tx)
                try await SharedVersionStore.bump(.calendar, on: tx)  // the other instances reload it
                return next
            case .failure(let e): throw ServiceError.invalid(field: e.field, message: e.message)
            }
        }
        try await load()
        return saved
    }
}
