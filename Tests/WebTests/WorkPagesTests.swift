// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Testing
import Web

/// The workbench: search without diacritics, the overdue filter, and scope (another unit's
/// dossier is not found by its specialists).
@Suite("Work pages")
struct WorkPagesTests {
    @Test("search finds the unit's dossiers by name without diacritics; the overdue filter keeps only late ones", arguments: [TestDB.sqlite])
    func searchAndFilter(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
            var d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
            for (a, who, input) in [(DossierAction.assign, officer, ActionInput()), (.assign, leader, .init(assignee: specialist.username))] {
                d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
            }
            let cookie = try await api.session("chuyenvien.0002003h99")
            // After an action the page says what was done (only known notices are shown).
            var page = try await api.page("/ho-so/\(d.dossier.code)?tb=assign", cookie: cookie)
            #expect(page.text.contains("Đã thực hiện: Chuyển xử lý / phân công."))
            #expect(!(try await api.page("/ho-so/\(d.dossier.code)?tb=bogus", cookie: cookie).text.contains("notice.")))
            page = try await api.page("/tim-kiem?q=pham+thi+hoa", cookie: cookie)
            #expect(page.status == .ok && page.text.contains(d.dossier.code))
            page = try await api.page("/viec-cua-toi?loc=qua-han", cookie: cookie)
            #expect(!page.text.contains(d.dossier.code), "not late yet")
            t.clock.advance(5 * 86_400)
            // Sessions expire: a new one, five days on.
            let later = try await api.session("chuyenvien.0002003h99")
            page = try await api.page("/viec-cua-toi?loc=qua-han", cookie: later)
            #expect(page.text.contains(d.dossier.code) && page.text.contains("quá hạn"))
            let other = try await api.session("chuyenvien.0002004h99")
            #expect(!(try await api.page("/tim-kiem?q=pham+thi+hoa", cookie: other).text.contains(d.dossier.code)))
        }
    }
}
