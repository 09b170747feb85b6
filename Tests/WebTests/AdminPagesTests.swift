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
            func session(_ user: String) async throws -> String {
                let r = try await DashboardTests.signIn(api.client, user)
                return try #require(r.setCookie?.split(separator: ";").first.map(String.init))
            }
            let leader = try await session("lanhdao.0002003h99")
            #expect(try await DashboardTests.get(api.client, "/quan-tri", cookie: leader).status == .seeOther)
            let admin = try await session("admin")
            let page = try await DashboardTests.get(api.client, "/quan-tri", cookie: admin)
            #expect(page.status == .ok && page.text.contains("Đồng bộ Cổng DVCQG") && page.text.contains("lanhdao.0002003h99"))
            func post(_ body: String) async throws -> (HTTPResponse.Status, String) {
                try await api.client.execute(
                    uri: "/quan-tri/tai-khoan", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(admin); \(testCSRFCookie)"],
                    body: ByteBuffer(string: withToken(body))
                ) { r in (r.status, String(decoding: r.body.readableBytesView, as: UTF8.self)) }
            }
            let before = try await t.app.accounts.users().count
            let bad = try await post("username=X&fullName=Nguy%E1%BB%85n+Lan&role=specialist&unit=&password=short")
            #expect(bad.0 == .badRequest && bad.1.contains("id=\"u-name-error\"") && bad.1.contains("id=\"u-pass-error\"") && bad.1.contains("value=\"Nguyễn Lan\""))
            #expect(try await t.app.accounts.users().count == before)
            let ok = try await post("username=chuyenvien.moi&fullName=Nguy%E1%BB%85n+Lan&role=specialist&unit=000.20.03.H99&password=mot-mat-khau-dai")
            #expect(ok.0 == .seeOther)
            let user = try #require(try await t.app.accounts.users().first { $0.username == "chuyenvien.moi" })
            #expect(user.roles == [.specialist] && user.unit == "000.20.03.H99")
            #expect(try await api.call(.post, "/api/v1/auth/token", json: ["username": "chuyenvien.moi", "password": "mot-mat-khau-dai"]).status == .ok)
            #expect(try await post("username=chuyenvien.moi&fullName=A&role=specialist&unit=000.20.03.H99&password=mot-mat-khau-dai").0 == .badRequest, "no silent overwrite")
        }
    }

    @Test("an administrator records a swapped day off: the next due dates skip it; a weekday cannot be a 'working day'; removing it restores the calendar", arguments: TestDB.available)
    func holidays(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let admin = try #require(try await DashboardTests.signIn(api.client, "admin").setCookie?.split(separator: ";").first.map(String.init))
            func post(_ path: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
                try await api.client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(admin); \(testCSRFCookie)"],
                    body: ByteBuffer(string: withToken(body))
                ) { r in (r.status, String(decoding: r.body.readableBytesView, as: UTF8.self)) }
            }
            let friday = LocalDate(year: 2026, month: 12, day: 4)!
            let thursday9 = VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 3)!, minuteOfDay: 9 * 60)
            let oneDay = ProcessingTime(amount: 1, unit: .workingDays)
            #expect(t.app.calendar.dueDate(receivedAt: thursday9, time: oneDay).dueAt == VietnamTime.instant(friday, minuteOfDay: 9 * 60))
            let refused = try await post("/quan-tri/ngay-nghi", "year=2026&kind=working-day&date=2026-12-04&name=L%C3%A0m+b%C3%B9")
            #expect(refused.0 == .badRequest && refused.1.contains("id=\"h-date-error\"") && refused.1.contains("value=\"2026-12-04\""))
            #expect(try await post("/quan-tri/ngay-nghi", "year=2026&kind=day-off&date=2026-12-04&name=Ngh%E1%BB%89+b%C3%B9").0 == .seeOther)
            #expect(t.app.calendar.holidays.dayOff(friday) != nil)
            #expect(t.app.calendar.dueDate(receivedAt: thursday9, time: oneDay).dueAt == VietnamTime.instant(LocalDate(year: 2026, month: 12, day: 7)!, minuteOfDay: 9 * 60))
            #expect(try await HolidayStore.all(on: t.app.database).first { $0.year == 2026 }?.daysOff.map(\.date).contains(friday) == true)
            #expect(try await DashboardTests.get(api.client, "/quan-tri", cookie: admin).text.contains("Nghỉ bù"))
            #expect(try await post("/quan-tri/ngay-nghi/xoa", "year=2026&date=2026-12-04").0 == .seeOther)
            #expect(t.app.calendar.holidays.dayOff(friday) == nil)
        }
    }

    @Test("the catalogue is imported from a file on the page; a broken file changes nothing and says where it is wrong", arguments: [TestDB.sqlite])
    func catalog(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let admin = try #require(try await DashboardTests.signIn(api.client, "admin").setCookie?.split(separator: ";").first.map(String.init))
            func upload(_ bytes: [UInt8]) async throws -> (HTTPResponse.Status, String) {
                let boundary = "----CatalogBoundaryXyZ"
                var b = ByteBuffer()
                b.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(testCSRF)\r\n")
                b.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file:catalog\"; filename=\"c.json\"\r\nContent-Type: application/json\r\n\r\n")
                b.writeBytes(bytes)
                b.writeString("\r\n--\(boundary)--\r\n")
                return try await api.client.execute(
                    uri: "/quan-tri/danh-muc", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: "\(admin); \(testCSRFCookie)"], body: b
                ) { r in (r.status, String(decoding: r.body.readableBytesView, as: UTF8.self)) }
            }
            let before = try await t.count("procedures")
            let broken = try await upload(Array(#"{"format":"motcua-catalog/1","procedures":[{"code":1}]}"#.utf8))
            #expect(broken.0 == .badRequest && broken.1.contains("id=\"catalog-file-error\"") && broken.1.contains("procedures[0]"))
            #expect(try await t.count("procedures") == before)
            let shipped = try Data(contentsOf: try BundledData.url("procedures", "json", "catalog"))
            let ok = try await upload([UInt8](shipped))
            #expect(ok.0 == .ok && ok.1.contains("Đã nhập"))
        }
    }
}
