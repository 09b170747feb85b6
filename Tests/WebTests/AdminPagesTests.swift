// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
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
}
