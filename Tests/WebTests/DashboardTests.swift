// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Services
import Testing
import Web

/// The dashboard pages: sign-in with a session cookie, the index of a unit, the drill-down.
@Suite("Dashboard pages")
struct DashboardTests {
    /// Every row of the first sheet as text, read by openpyxl (Debian's python3-openpyxl).
    static func readXLSX(_ file: URL) async throws -> [[String]] {
        let script = "import json,sys,openpyxl\nws=openpyxl.load_workbook(sys.argv[1]).active\nprint(json.dumps([[('' if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]))"
        for python in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: python) {
            let r = try await Subprocess.run(python, ["-c", script, file.path], mergeErrors: false)
            if r.status == 0 { return try JSONDecoder().decode([[String]].self, from: r.output) }
        }
        throw TestFailure("no python3 with openpyxl: install the Debian package python3-openpyxl")
    }

    @Test("sign in, read the unit's index, drill down to the late dossiers; strangers are turned away", arguments: [TestDB.sqlite])
    func dashboard(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            // One dossier of Tân Lập handled late (3 working days; finished ten days on).
            let unit = TestApp.tanLap
            let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
            var d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
            for (a, who, input) in [(DossierAction.assign, officer, ActionInput()), (.assign, leader, .init(assignee: specialist.username))] {
                d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: input, expectedVersion: d.dossier.version, by: who)
            }
            t.clock.advance(10 * 86_400)
            for (a, who) in [(DossierAction.approve, leader), (.finish, specialist)] {
                d = try await t.app.dossiers.act(code: d.dossier.code, action: a, input: .init(), expectedVersion: d.dossier.version, by: who)
            }
            let lateCode = d.dossier.code
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { client in
                let api = API(client: client)
                // Not signed in: sent to the sign-in page, coming back afterwards.
                let anonymous = try await api.page("/dashboard")
                #expect(anonymous.status == .seeOther && anonymous.location?.hasPrefix("/dang-nhap?next=") == true)
                #expect(try await api.page("/dang-nhap").text.contains("Tên đăng nhập"))
                let wrong = try await api.signIn("lanhdao.0002003h99", password: "sai")
                #expect(wrong.status == .unauthorized && wrong.text.contains("không đúng") && wrong.setCookie == nil)
                // An outside address is never a redirect target.
                #expect(try await api.signIn("lanhdao.0002003h99", next: "//evil.example/x").location == "/dashboard")
                #expect(try await api.signIn("lanhdao.0002003h99", next: "/\t/evil.example/x").location == "/dashboard", "browsers drop the tab")
                let ok = try await api.signIn("lanhdao.0002003h99", next: "/dashboard?period=2026-11")
                #expect(ok.status == .seeOther && ok.location == "/dashboard?period=2026-11")
                let cookie = try #require(ok.setCookie)
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                let session = String(cookie.split(separator: ";")[0])
                // The leader's own unit by default.
                let page = try await api.page("/dashboard?period=2026-11", cookie: session)
                #expect(page.status == .ok)
                #expect(page.text.contains("UBND xã Tân Lập · tháng 11/2026"))
                #expect(page.text.contains("<svg") && page.text.contains("Hồ sơ giải quyết trước hạn, đúng hạn"))
                #expect(page.text.contains("0 / 1"), "2.1: none of the one dossier on time")
                #expect(page.text.contains("không có dữ liệu") && page.text.contains("chưa chắc chắn"))
                let drill = try await api.page("/dashboard/losses?unit=\(unit)&period=2026-11&indicator=2.1", cookie: session)
                #expect(drill.status == .ok && drill.text.contains(lateCode) && drill.text.contains("Giải quyết quá hạn"))
                // Another commune's leader may not read Tân Lập's index.
                let other = try await api.session("lanhdao.0002004h99")
                let refused = try await api.page("/dashboard?unit=\(unit)&period=2026-11", cookie: other)
                #expect(refused.status == .forbidden && refused.text.contains("không có quyền"))
                // Bad input: a clear message, not a crash.
                #expect(try await api.page("/dashboard?period=2026-13", cookie: session).status == .badRequest)
                // The cookie is for reading pages only: the API's writes still need the bearer token.
                var h = HTTPFields()
                h[.cookie] = session
                h[.contentType] = "application/json"
                let write = try await client.execute(
                    uri: "/api/v1/dossiers", method: .post, headers: h,
                    body: ByteBuffer(string: #"{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"A"}}"#)
                ) { $0.status }
                #expect(write == .unauthorized)
                // Exports: the drill-down as a real XLSX (read back with openpyxl) and as CSV.
                let xlsx = try await client.execute(
                    uri: "/dashboard/export?unit=\(unit)&period=2026-11&table=losses&indicator=2.1&format=xlsx", method: .get,
                    headers: [.cookie: session], body: nil
                ) { Data($0.body.readableBytesView) }
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-\(UUID().uuidString).xlsx")
                try xlsx.write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let cells = try await Self.readXLSX(file)
                #expect(cells.first == ["Mã hồ sơ", "Lý do", "Thủ tục", "Tiếp nhận", "Hẹn trả", "Đơn vị đang giữ", "Người xử lý"])
                #expect(cells.count == 2 && cells.last?.first == lateCode && cells.last?[1] == "Giải quyết quá hạn")
                let csv = try await api.page("/dashboard/export?unit=\(unit)&period=2026-11&table=indicators&format=csv", cookie: session)
                #expect(csv.status == .ok && csv.text.hasPrefix("\u{FEFF}Nhóm,Mã,Chỉ tiêu"))
                #expect(csv.text.contains("\"Tiến độ, kết quả giải quyết\",2.1,\"Hồ sơ giải quyết trước hạn, đúng hạn\",0,1,0,0,20,"))
                #expect(try await api.page("/dashboard/export?unit=\(unit)&period=2026-11&table=nope", cookie: session).status == .badRequest)
                // Signing out clears the cookie and ends the session: the old cookie no longer opens the page.
                #expect(try await api.page("/dang-xuat", cookie: session).setCookie?.contains("Max-Age=0") == true)
                #expect(try await api.page("/dashboard", cookie: session).status == .seeOther)
            }
        }
    }

    @Test("the public tracking page offers the rating form once the result is ready; the rating counts", arguments: [TestDB.sqlite])
    func rating(db: TestDB) async throws {
        try await TestApp.with(db) { t in
            let unit = TestApp.tanLap
            let (officer, specialist, leader) = (TestApp.officer(unit), TestApp.specialist(unit), TestApp.leader(unit))
            let created = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: officer)
            let code = created.dossier.code
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { client in
                let api = API(client: client)
                // Not finished: tracking works, no rating form.
                let grant = try await api.trackingGrant(code, t)
                #expect(!(try await api.page("/tra-cuu/\(code)", cookie: grant).text.contains("Đánh giá mức độ hài lòng")))
                var version = created.dossier.version
                for (a, who, input) in [
                    (DossierAction.assign, officer, ActionInput()), (.assign, leader, .init(assignee: specialist.username)), (.approve, leader, .init()),
                    (.finish, specialist, .init()),
                ] {
                    version = try await t.app.dossiers.act(code: code, action: a, input: input, expectedVersion: version, by: who).dossier.version
                }
                let page = try await api.page("/tra-cuu/\(code)", cookie: grant)
                #expect(page.text.contains("Đánh giá mức độ hài lòng") && page.text.contains("Thái độ của cán bộ, công chức"))
                func post(_ body: String, grant: String?) async throws -> Page { try await api.submit("/tra-cuu/\(code)/danh-gia", body, session: grant) }
                #expect(try await post("thoi-gian=1&thai-do=1", grant: grant).status == .badRequest, "all three answers are needed")
                let noGrant = try await post("dt=0912345678&thoi-gian=1&thai-do=0&ket-qua=1", grant: nil)
                #expect(noGrant.status == .badRequest && noGrant.text.contains("hết hạn"), "the phone alone does not rate")
                #expect(try await t.count("dossier_ratings") == 0)
                let ok = try await post("thoi-gian=1&thai-do=0&ket-qua=1&y-kien=C%C3%A1n+b%E1%BB%99+ch%E1%BA%ADm", grant: grant)
                #expect(ok.status == .ok && ok.text.contains("Cảm ơn"))
                let stored = try #require(try await t.app.ratings.rating(code: code, by: TestApp.citizen))
                #expect(!stored.0.attitudeOK && stored.0.timeOK && stored.0.comment == "Cán bộ chậm")
            }
        }
    }
}
