// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Two instances on one database: what one keeps in memory (the catalog, the calendar in force)
/// follows what the other changed once it looks (`motcua serve` looks every second).
@Suite("State shared by instances")
struct SharedStateTests {
    @Test("a catalog import and a recorded day off on one instance reach another", arguments: TestDB.available)
    func followsChanges(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let a = t.app
            // A second instance on the same database, with its own caches (not shut down: it
            // shares the connection pool with the first).
            let b = MotCua(config: a.config, database: a.database, calendar: try BundledData.workingCalendar(a.config), blobs: a.blobs, clock: t.clock.clock)
            #expect(Set(try await b.followSharedChanges()) == [.catalog, .calendar])  // the first look takes everything
            #expect(try await b.followSharedChanges().isEmpty)
            let unitsBefore = try await b.catalog.units().count

            let ward = AdministrativeUnit(code: "000.20.99.H99", name: "Phường Thử Nghiệm", kind: .commune, parentCode: nil)
            try await a.catalog.importCatalog(CatalogFile(units: [ward]))
            #expect(try await b.catalog.units().count == unitsBefore)  // still its cached copy
            #expect(try await b.followSharedChanges() == [.catalog])
            #expect(try await b.catalog.units().contains { $0.code == ward.code })

            // Wednesday 2 December 2026 made a day off on the first instance.
            let day = LocalDate(year: 2026, month: 12, day: 2)!
            #expect(b.calendar.isWorkingDay(day))
            _ = try await a.calendars.add(.dayOff, on: day, name: "Nghỉ bù", year: 2026, by: Actor(username: "admin", roles: [.admin], unit: nil))
            #expect(!a.calendar.isWorkingDay(day))
            #expect(b.calendar.isWorkingDay(day))
            #expect(try await b.followSharedChanges() == [.calendar])
            #expect(!b.calendar.isWorkingDay(day))
            #expect(try await b.followSharedChanges().isEmpty)
        }
    }
}
