// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Storage
import Testing
import Web

/// The administration page: only administrators; adding an account refuses bad input next to
/// the field, keeps what was typed and stores nothing; a good one can sign in.
@Suite("Administration pages")
struct AdminPagesTests {
    @Test("administrators only; a new account is checked, then saved and usable", arguments: [TestDB.sqlite])
    func accounts(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let leader = try await api.session("lanhdao.0002003h99")
            #expect(try await api.page("/quan-tri", cookie: leader).status == .seeOther)
            let admin = try await api.session("admin")
            let page = try await api.page("/quan-tri", cookie: admin)
            #expect(page.status == .ok && page.text.contains("Đồng bộ Cổng DVCQG") && page.text.contains("lanhdao.0002003h99"))
            func post(_ body: String) async throws -> Page { try await api.submit("/quan-tri/tai-khoan", body, session: admin) }
            let before = try await t.app.accounts.users().count
            let bad = try await post("username=X&fullName=Nguy%E1%BB%85n+Lan&role=specialist&unit=&password=short")
            #expect(bad.status == .badRequest && bad.text.contains("id=\"u-name-error\"") && bad.text.contains("id=\"u-pass-error\"") && bad.text.contains("value=\"Nguyễn Lan\""))
            #expect(try await t.app.accounts.users().count == before)
            let ok = try await post("username=chuyenvien.moi&fullName=Nguy%E1%BB%85n+Lan&role=specialist&unit=000.20.03.H99&password=mot-mat-khau-dai")
            #expect(ok.status == .seeOther)
            let user = try #require(try await t.app.accounts.users().first { $0.username == "chuyenvien.moi" })
            #expect(user.roles == [.specialist] && user.unit == "000.20.03.H99")
            #expect(try await api.call(.post, "/api/v1/auth/token", json: ["username": "chuyenvien.moi", "password": "mot-mat-khau-dai"]).status == .ok)
            #expect(try await post("username=chuyenvien.moi&fullName=A&role=specialist&unit=000.20.03.H99&password=mot-mat-khau-dai").status == .badRequest, "no silent overwrite")
        }
    }

    @Test("an administrator records a swapped day off: the next due dates skip it; a weekday cannot be a 'working day'; removing it restores the calendar", arguments: TestDB.available)
    func holidays(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let admin = try await api.session("admin")
            func post(_ path: String, _ body: String) async throws -> Page { try await api.submit(path, body, session: admin) }
            let friday = LocalDate(year: 2026, month: 12, day: 4)!
            let thursday9 = VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 3)!, minuteOfDay: 9 * 60)
            let oneDay = ProcessingTime(amount: 1, unit: .workingDays)
            #expect(t.app.calendar.dueDate(receivedAt: thursday9, time: oneDay).dueAt == VietnamTime.instant(friday, minuteOfDay: 9 * 60))
            let refused = try await post("/quan-tri/ngay-nghi", "year=2026&kind=working-day&date=2026-12-04&name=L%C3%A0m+b%C3%B9")
            #expect(refused.status == .badRequest && refused.text.contains("id=\"h-date-error\"") && refused.text.contains("value=\"2026-12-04\""))
            #expect(try await post("/quan-tri/ngay-nghi", "year=2026&kind=day-off&date=2026-12-04&name=Ngh%E1%BB%89+b%C3%B9").status == .seeOther)
            #expect(t.app.calendar.holidays.dayOff(friday) != nil)
            #expect(t.app.calendar.dueDate(receivedAt: thursday9, time: oneDay).dueAt == VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 7)!, minuteOfDay: 9 * 60))
            #expect(try await HolidayStore.all(on: t.app.database).first { $0.year == 2026 }?.daysOff.map(\.date).contains(friday) == true)
            #expect(try await api.page("/quan-tri", cookie: admin).text.contains("Nghỉ bù"))
            #expect(try await post("/quan-tri/ngay-nghi/xoa", "year=2026&date=2026-12-04").status == .seeOther)
            #expect(t.app.calendar.holidays.dayOff(friday) == nil)
        }
    }

    @Test("the catalogue is imported from a file on the page; a broken file changes nothing and says where it is wrong", arguments: [TestDB.sqlite])
    func catalog(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let admin = try await api.session("admin")
            func upload(_ bytes: [UInt8]) async throws -> Page {
                try await api.submit("/quan-tri/danh-muc", fields: [], files: [("file:catalog", bytes)], session: admin)
            }
            let before = try await t.count("procedures")
            let broken = try await upload(Array(#"{"format":"motcua-catalog/1","procedures":[{"code":1}]}"#.utf8))
            #expect(broken.status == .badRequest && broken.text.contains("id=\"catalog-file-error\"") && broken.text.contains("procedures[0]"))
            #expect(try await t.count("procedures") == before)
            let shipped = try Data(contentsOf: try BundledData.url("procedures", "json", "catalog"))
            let ok = try await upload([UInt8](shipped))
            #expect(ok.status == .ok && ok.text.contains("Đã nhập"))
        }
    }
}
