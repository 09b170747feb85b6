// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// The audit as people see it: a citizen, who looked at their data; an administrator, a person's
/// look-ups (also as CSV) and a dossier's ledger entries.
@Suite("Audit pages")
struct AuditPagesTests {
    @Test("a citizen sees who opened her dossier and why, and nobody else's; an administrator exports, and that is recorded too", arguments: TestDB.available)
    func pages(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            _ = try await t.app.dossiers.get(code: d.dossier.code, by: TestApp.specialist(unit))
            let citizen = try await api.session("citizen")
            let own = try await api.page("/cong-dan/truy-cap", cookie: citizen)
            #expect(own.status == .ok && own.text.contains("Chuyên viên") && own.text.contains("Xem hồ sơ") && own.text.contains(d.dossier.code), "\(own.text.prefix(2000))")
            #expect(own.text.contains("UBND xã Tân Lập"))
            // Officials have no such page, and a citizen cannot read the administrators' one.
            #expect(try await api.page("/cong-dan/truy-cap", cookie: try await api.session("chuyenvien.0002003h99")).status == .seeOther)
            #expect(try await api.page("/quan-tri/nhat-ky?so-dinh-danh=\(DemoProvince.citizenIdNumber)", cookie: citizen).status == .seeOther)
            // The administrator: a person's look-ups, as a page and as CSV; the export is itself a look-up.
            let admin = try await api.session("admin")
            let before = try await t.count("personal_data_access")
            let person = try await api.page("/quan-tri/nhat-ky?so-dinh-danh=\(DemoProvince.citizenIdNumber)", cookie: admin)
            #expect(person.status == .ok && person.text.contains("Chuyên viên") && person.text.contains("••••••••2345"), "\(person.text.prefix(1500))")
            #expect(try await t.count("personal_data_access") == before + 1)
            let csv = try await api.page("/quan-tri/nhat-ky?so-dinh-danh=\(DemoProvince.citizenIdNumber)&dinh-dang=csv", cookie: admin)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first?.hasSuffix("at,actor,name,unit,purpose,dossier") == true && lines.contains { $0.contains("chuyenvien.0002003h99") && $0.contains(d.dossier.code) })
            // A dossier's ledger entries.
            let ledger = try await api.page("/quan-tri/nhat-ky?ma-ho-so=\(d.dossier.code)", cookie: admin)
            #expect(ledger.status == .ok && ledger.text.contains("dossier-event"), "\(ledger.text.prefix(1500))")
            let missing = try await api.page("/quan-tri/nhat-ky?ma-ho-so=KHONG-CO", cookie: admin)
            #expect(missing.status == .badRequest)
            // The citizen sees the administrator's look-up too.
            #expect(try await api.page("/cong-dan/truy-cap", cookie: citizen).text.contains("Kiểm tra nhật ký truy cập"))
        }
    }
}
