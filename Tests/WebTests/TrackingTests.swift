// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Storage
import Testing

/// Tracking without an account: a code texted to the phone on file opens the dossier.
@Suite("Tracking with a one-time code")
struct TrackingTests {
    @Test("the code goes to the phone on file only; a right code opens the dossier once; wrong codes are counted", arguments: TestDB.available)
    func flow(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let d = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            let code = d.dossier.code
            // A phone that is not the one on file: the same answer, and nothing is sent.
            let wrongPhone = try await api.askTrackingCode(code, phone: "0999999999")
            let unknown = try await api.askTrackingCode("000.20.03.H99-261123-9999", phone: "0912345678")
            #expect(wrongPhone.status == .ok && unknown.status == .ok && wrongPhone.text.contains("Nếu mã hồ sơ và số điện thoại khớp"))
            #expect(try await t.count("notifications") == 0)
            #expect(try await api.askTrackingCode(code, phone: "12").status == .badRequest)
            // The phone on file: one text, sent at once; the code itself is not kept once sent.
            let asked = try await api.askTrackingCode(code, phone: "0912345678")
            #expect(asked.text.contains("•••••••678") && asked.text.contains("ma-xac-thuc"))
            let otp = try #require(try await API.textedCode(code, t))
            let sent = try await t.app.database.query("SELECT recipient, body, secret, sent_at FROM notifications")
            #expect(sent.count == 1 && sent[0].string("secret") == nil && sent[0].string("sent_at") != nil && sent[0].string("body")?.contains(otp) == false)
            #expect(sent[0].string("body")?.contains("{secret}") == true)
            // Asking again within the minute sends nothing new; the code stays good.
            _ = try await api.askTrackingCode(code, phone: "0912345678")
            #expect(try await t.count("notifications") == 1)
            // Wrong codes are counted and told apart.
            let wrong = try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(otp == "000000" ? "111111" : "000000")", session: nil)
            #expect(wrong.status == .badRequest && wrong.text.contains("không đúng"))
            // The right one opens the dossier in this browser, once.
            let right = try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(otp)", session: nil)
            let grant = try #require(right.cookie)
            #expect(right.status == .seeOther && right.location == "/tra-cuu/\(code)" && right.setCookie?.contains("HttpOnly; SameSite=Strict") == true)
            let page = try await api.page("/tra-cuu/\(code)", cookie: grant)
            #expect(page.text.contains("Sở Tư pháp") || page.text.contains("Tân Lập"), "\(page.text.prefix(600))")
            let anonymous = try await api.page("/tra-cuu/\(code)")
            #expect(page.text.contains("<dl>") && !anonymous.text.contains("<dl>"))
            let again = try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(otp)", session: nil)
            #expect(again.status == .badRequest && again.text.contains("hết hạn"), "a code opens one grant")
            // The grant is for this dossier only, and for half an hour.
            let other = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit))
            #expect(!(try await api.page("/tra-cuu/\(other.dossier.code)", cookie: grant).text.contains("<dl>")))
            t.clock.advance(TrackingService.grantLifetime + 1)
            #expect(!(try await api.page("/tra-cuu/\(code)", cookie: grant).text.contains("<dl>")))
        }
    }

    @Test("five wrong codes use a code up; a code expires after five minutes; at most five texts an hour", arguments: [TestDB.sqlite])
    func limits(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let unit = TestApp.tanLap
            let code = try await t.app.dossiers.create(
                IntakeRequest(procedureCode: "1.001193", channel: .window, receivingUnit: unit, applicant: TestApp.applicant()), by: TestApp.officer(unit)
            ).dossier.code
            _ = try await api.askTrackingCode(code, phone: "0912345678")
            let otp = try #require(try await API.textedCode(code, t))
            let bad = otp == "000000" ? "111111" : "000000"
            for _ in 0..<TrackingService.maxAttempts { _ = try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(bad)", session: nil) }
            let exhausted = try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(otp)", session: nil)
            #expect(exhausted.status == .badRequest && exhausted.text.contains("quá nhiều lần"))
            // A new code after the minute; it expires after five.
            t.clock.advance(61)
            _ = try await api.askTrackingCode(code, phone: "0912345678")
            let second = try #require(try await API.textedCode(code, t))
            t.clock.advance(TrackingService.codeLifetime + 1)
            #expect(try await api.submit("/tra-cuu/\(code)/xac-thuc", "ma-xac-thuc=\(second)", session: nil).status == .badRequest)
            // Five texts in the hour, then none until the hour has passed.
            for _ in 0..<5 {
                t.clock.advance(61)
                _ = try await api.askTrackingCode(code, phone: "0912345678")
            }
            #expect(try await t.count("notifications") == TrackingService.perHour)
            t.clock.advance(3600)
            _ = try await api.askTrackingCode(code, phone: "0912345678")
            #expect(try await t.count("notifications") == TrackingService.perHour + 1)
        }
    }
}
