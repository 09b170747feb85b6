// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// A unit's list is merged from three index scans (handling, receiving, competent unit): paged
/// through, it must be exactly what one query over the three columns gives, in the same order.
@Suite("Workbench lists")
struct WorkbenchListTests {
    @Test("every unit's pages, at several sizes, are its dossiers in due-date order, each once", arguments: TestDB.available)
    func pagesMatchOneQuery(db: TestDB) async throws {
        try await TestApp.with(db, accounts: false) { t in
            _ = try await DemoProvince.seed(t.app, dossiers: 60, password: "demo", now: TestApp.monday0900)
            // Received at a branch for a department's procedure and not handed over yet: on the
            // department's list only through competent_unit.
            for _ in 0..<3 {
                t.clock.advance(60)
                _ = try await t.app.dossiers.create(
                    IntakeRequest(procedureCode: "1.012783", channel: .window, receivingUnit: TestApp.branch1, applicant: TestApp.applicant()),
                    by: TestApp.officer(TestApp.branch1))
            }
            let competentOnly = try await t.app.database.first(
                "SELECT COUNT(*) AS n FROM dossiers WHERE competent_unit <> handling_unit AND competent_unit <> receiving_unit")?.int("n") ?? 0
            #expect(competentOnly >= 3)
            let units = try await t.app.database.query(
                "SELECT DISTINCT handling_unit AS u FROM dossiers UNION SELECT receiving_unit FROM dossiers UNION SELECT competent_unit FROM dossiers", []
            ).compactMap { $0.string("u") }
            #expect(units.count >= 4)
            for unit in units {
                let expected = try await t.app.database.query(
                    """
                    SELECT code FROM dossiers WHERE handling_unit = ? OR receiving_unit = ? OR competent_unit = ?
                    ORDER BY COALESCE(due_at, '9999-12-31T23:59:59.999Z'), id
                    """, [.text(unit), .text(unit), .text(unit)])
                for limit in [1, 3, 7, 200] {
                    var q = DossierQuery()
                    q.limit = limit
                    var seen: [String] = []
                    repeat {
                        let page = try await t.app.dossiers.list(q, by: Actor(username: "lead", roles: [.leader], unit: unit))
                        #expect(page.items.count <= limit)
                        seen += page.items.map(\.dossier.code)
                        q.after = page.nextCursor.flatMap(DossierQuery.Cursor.init(token:))
                    } while q.after != nil
                    #expect(seen == expected.compactMap { $0.string("code") }, "unit \(unit), pages of \(limit)")
                }
            }
        }
    }
}
