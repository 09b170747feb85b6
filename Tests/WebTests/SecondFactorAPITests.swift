// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Services
import Testing

/// The second factor over the API, as an integration or an official's own tool would use it.
@Suite("Second factor over the API")
struct SecondFactorAPITests {
    @Test("set up with the app's code, sign in with it (assurance 2), reset by an administrator only", arguments: [TestDB.sqlite])
    func flow(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let name = "lanhdao.0002003h99"
            let first = try await api.token(name)
            let started = try await api.call(.post, "/api/v1/me/second-factor", token: first)
            #expect(started.status == .created)
            let secret = try #require((started.json["secret"] as? String).flatMap(Base32.decode))
            #expect((started.json["otpauthUri"] as? String)?.hasPrefix("otpauth://totp/MotCua:\(name)?") == true)
            func code() -> String { TOTP.code(secret: secret, step: TOTP.step(at: t.clock.now)) }
            #expect(try await api.call(.post, "/api/v1/me/second-factor/confirm", token: first, json: ["code": "12"]).status == .unprocessableContent)
            let confirmed = try await api.call(.post, "/api/v1/me/second-factor/confirm", token: first, json: ["code": code()])
            #expect((confirmed.json["recoveryCodes"] as? [String])?.count == 10, "\(confirmed.text)")
            t.clock.advance(30)
            let signed = try await api.call(.post, "/api/v1/auth/token", json: ["username": name, "password": "demo", "otp": code()])
            #expect(signed.status == .ok && signed.json["assurance"] as? Int == 2, "\(signed.text)")
            let token = try #require(signed.json["access_token"] as? String)
            let me = try await api.call(.get, "/api/v1/me", token: token)
            #expect(me.json["assurance"] as? Int == 2 && me.json["secondFactor"] as? Bool == true)
            #expect(try await api.call(.get, "/api/v1/me", token: first).json["assurance"] as? Int == 1, "the password-only token stays at 1")
            // A lost phone: only an administrator removes the factor.
            #expect(try await api.call(.delete, "/api/v1/admin/users/\(name)/second-factor", token: token).status == .forbidden)
            let admin = try await api.token("admin")
            #expect(try await api.call(.delete, "/api/v1/admin/users/\(name)/second-factor", token: admin).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me", token: token).json["secondFactor"] as? Bool == false)
        }
    }

    @Test("where the province requires it, receiving and deciding need a token with the second factor; citizens are not asked", arguments: [TestDB.sqlite])
    func required(db: TestDB) async throws {
        try await withAPI(db, configure: { $0.secondFactorRequired = true }) { api, t in
            let name = "motcua.0002003h99"
            let weak = try await api.token(name)
            let body: [String: Any] = [
                "procedureCode": "1.001193", "channel": "window", "receivingUnit": TestApp.tanLap,
                "applicant": ["idNumber": "001090012345", "fullName": "Nguyễn Thị Ngọc Ánh"],
            ]
            let refused = try await api.call(.post, "/api/v1/dossiers", token: weak, json: body)
            #expect(refused.status == .forbidden && refused.text.contains("second factor"), "\(refused.text)")
            #expect(try await t.count("dossiers") == 0)
            let started = try await api.call(.post, "/api/v1/me/second-factor", token: weak)
            let secret = try #require((started.json["secret"] as? String).flatMap(Base32.decode))
            func code() -> String { TOTP.code(secret: secret, step: TOTP.step(at: t.clock.now)) }
            _ = try await api.call(.post, "/api/v1/me/second-factor/confirm", token: weak, json: ["code": code()])
            t.clock.advance(30)
            let strong = try #require(try await api.call(.post, "/api/v1/auth/token", json: ["username": name, "password": "demo", "otp": code()]).json["access_token"] as? String)
            let created = try await api.call(.post, "/api/v1/dossiers", token: strong, json: body)
            #expect(created.status == .created, "\(created.text.prefix(300))")
            // A citizen files online with the password alone.
            let citizen = try await api.token("citizen")
            let online = try await api.call(.post, "/api/v1/dossiers", token: citizen, json: [
                "procedureCode": "1.001193", "channel": "online", "receivingUnit": TestApp.tanLap,
                "applicant": ["idNumber": DemoProvince.citizenIdNumber, "fullName": "Phạm Thị Hoa"],
            ])
            #expect(online.status == .created, "\(online.text.prefix(300))")
        }
    }
}

/// Two-step verification on the pages: turned on from the account page (QR code, first code,
/// recovery codes), then asked for after the password at each sign-in.
@Suite("Second factor on the pages")
struct SecondFactorPageTests {
    @Test("turn it on, sign out, sign in: the code page comes between the password and the work; a wrong code is said next to the field", arguments: [TestDB.sqlite])
    func pages(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            let name = "chuyenvien.0002003h99"
            let session = try await api.session(name)
            let account = try await api.page("/tai-khoan", cookie: session)
            #expect(account.status == .ok && account.text.contains("Chưa bật xác thực hai bước"))
            let enrol = try await api.submit("/tai-khoan/xac-thuc-hai-buoc", "", session: session)
            #expect(enrol.status == .ok && enrol.text.contains("<svg class=\"qr\"") && enrol.text.contains("<title>Mã QR"))
            let secretText = try #require(enrol.text.firstMatch(of: /<code>([A-Z2-7]{32})<\/code>/)?.output.1)
            let secret = try #require(Base32.decode(String(secretText)))
            func code() -> String { TOTP.code(secret: secret, step: TOTP.step(at: t.clock.now)) }
            let wrong = try await api.submit("/tai-khoan/xac-thuc-hai-buoc/xac-nhan", "code=000000", session: session)
            #expect(wrong.status == .badRequest && wrong.text.contains("id=\"code-error\"") && wrong.text.contains(String(secretText)))
            let done = try await api.submit("/tai-khoan/xac-thuc-hai-buoc/xac-nhan", "code=\(code())", session: session)
            #expect(done.status == .ok && done.text.matches(of: /<li><code>[a-z2-7]{4}-[a-z2-7]{4}<\/code><\/li>/).count == 10)
            // Next sign-in: the password leads to the code page, the code to the work list.
            t.clock.advance(30)
            let signedIn = try await api.signIn(name, next: "")
            #expect(signedIn.location == "/dang-nhap/ma-xac-thuc")
            let weak = try #require(signedIn.cookie)
            let codePage = try await api.page("/dang-nhap/ma-xac-thuc", cookie: weak)
            #expect(codePage.text.contains("autocomplete=\"one-time-code\""))
            let bad = try await api.submit("/dang-nhap/ma-xac-thuc", "code=123", session: weak)
            #expect(bad.status == .badRequest && bad.text.contains("id=\"code-error\""))
            let ok = try await api.submit("/dang-nhap/ma-xac-thuc", "code=\(code())", session: weak)
            #expect(ok.status == .seeOther && ok.location == "/viec-cua-toi")
            #expect(try await api.page("/tai-khoan", cookie: weak).text.contains("Xác thực hai bước đang bật"))
        }
    }
}
