// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

@Suite("Demo province and catalog")
struct DemoTests {
    @Test("the shipped catalog has at least 30 real procedures across the required fields")
    func catalog() throws {
        let c = try BundledData.catalog()
        let procedures = c.procedures ?? []
        #expect(procedures.count >= 30)
        #expect(Set(procedures.map(\.field.code)).isSuperset(of: ["HOTICH", "HKD", "XAYDUNG", "DATDAI", "LLTP", "CHUNGTHUC"]))
        #expect(procedures.allSatisfy { $0.code.range(of: #"^\d\.\d{6}$"#, options: .regularExpression) != nil })
    }

    @Test("seeding is idempotent and produces dossiers in many states", arguments: TestDB.available)
    func seed(db: TestDB) async throws {
        try await TestApp.with(db, accounts: false) { t in
            let now = TestApp.monday0900
            let first = try await DemoProvince.seed(t.app, dossiers: 120, password: "demo", now: now)
            #expect(first.dossiersCreated == 120)
            let again = try await DemoProvince.seed(t.app, dossiers: 120, password: "demo", now: now)
            #expect(again.dossiersCreated == 0)
            #expect(try await t.count("dossiers") == 120)
            let statuses = try await t.app.database.query("SELECT DISTINCT status FROM dossiers", []).compactMap { $0.int("status") }
            #expect(statuses.contains(10))
            #expect(Set(statuses).count >= 4)
            let online = try await t.app.database.first("SELECT COUNT(*) AS n FROM dossiers WHERE channel = 'online'")?.int("n") ?? 0
            #expect(online >= 80 && online <= 118)
            // The demo accounts can sign in with the given password.
            _ = try await t.app.accounts.login(username: "officer", password: "demo")
        }
    }
}
