// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Network
import Services
import Simulators
import Storage
import Testing
import Web

/// OpenID Connect sign-in end to end: a real provider (`OIDCProvider`) on a loopback port, the
/// application's router, and in between the browser's part played by this test: follow the
/// redirect to the provider, post its sign-in form, bring the code back with the state cookie.
@Suite("Sign-in through OpenID Connect providers")
struct ExternalSignInTests {
    static let redirect = "http://127.0.0.1:8080/dang-nhap/oidc"

    /// A provider for `realm`, started, and an application configured to use it.
    func withProvider(
        _ db: TestDB, realm: OIDCProvider.Realm, extra: [OIDCProvider.Person] = [], unpublishedKey: Bool = false,
        firstBind: AppConfig.SSOFirstBind = .password,
        _ body: @escaping @Sendable (Browser, TestApp, ManualClock, OIDCProvider) async throws -> Void
    ) async throws {
        let clock = ManualClock(TestApp.monday0900)
        let provider = OIDCProvider(
            configuration: .init(
                title: realm.title, people: realm.people + extra, clients: [.init(id: "motcua", secret: "s3cret", redirectURIs: [Self.redirect])],
                now: { clock.now }, signWithUnpublishedKey: unpublishedKey, logLevel: .warning))
        let issuer = try await provider.start().absoluteString
        do {
            try await TestApp.with(db) { config in
                let p = OpenIDProvider(issuer: issuer, clientID: "motcua", clientSecret: "s3cret", accountClaim: realm == .officials ? "preferred_username" : "citizen_id")
                if realm == .officials { config.officialsSSO = p } else { config.citizenEID = p }
                config.ssoFirstBind = firstBind
            } _: { t in
                let (router, _) = buildRouter(app: t.app)
                try await Application(router: router).test(.router) { client in
                    try await body(Browser(client: client), t, clock, provider)
                }
            }
        } catch {
            await provider.stop()
            throw error
        }
        await provider.stop()
    }

    @Test("a citizen's first e-ID sign-in makes the account; level 2 from acr; the demo citizen keeps hers", arguments: TestDB.available)
    func citizens(db: TestDB) async throws {
        try await withProvider(db, realm: .citizens) { b, t, _, _ in
            let signIn = try await b.page("/dang-nhap")
            #expect(signIn.text.contains("/dang-nhap/vneid") && !signIn.text.contains("/dang-nhap/sso"), "only the configured provider is offered")
            let dat = try await b.signIn(at: "/dang-nhap/vneid?next=%2Fcong-dan", username: "001090012345")
            #expect(dat.refresh == "0; url=/cong-dan", "\(dat.status) \(dat.text.prefix(400))")
            let me = try await b.me(dat)
            #expect(me["username"] as? String == "001090012345" && me["assurance"] as? Int == 2 && me["roles"] as? [String] == ["citizen"])
            #expect(me["fullName"] as? String == "Lê Văn Đạt")
            let events = try await t.app.database.query("SELECT action, detail FROM account_events WHERE username = ?", "001090012345")
            #expect(events.map { $0.string("action") } == ["account-created"])
            // A second sign-in finds the same account.
            _ = try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345")
            #expect(try await t.count("users") == DemoProvince.namedAccounts.count + DemoProvince.unitAccounts.count + 1)
            // The demo citizen's existing account is found by her ID number; she sees her page.
            let hoa = try await b.signIn(at: "/dang-nhap/vneid", username: DemoProvince.citizenIdNumber)
            #expect(try await b.me(hoa)["username"] as? String == "citizen")
            #expect(hoa.refresh == "0; url=/cong-dan")
            #expect(try await b.page("/cong-dan", cookie: hoa.session).status == .ok)
            // An account not yet verified in person (acr 1).
            let khoa = try await b.signIn(at: "/dang-nhap/vneid", username: "079203001234")
            #expect(try await b.me(khoa)["assurance"] as? Int == 1)
            // An e-ID account cannot be used with a password.
            let password = try await b.client.execute(
                uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"001090012345","password":"!external-sign-in"}"#)) { $0.status }
            #expect(password == .unauthorized)
        }
    }

    @Test("officials sign in to their own accounts through single sign-on, the first time with the account's password; unknown people and level 1 are told apart", arguments: TestDB.available)
    func officials(db: TestDB) async throws {
        let ghost = OIDCProvider.Person(username: "ghost", password: "demo", claims: ["preferred_username": "ghost"], acr: "2", amr: ["pwd"])
        // Someone at the portal who renamed themselves "leader" (another subject).
        let mallory = OIDCProvider.Person(username: "mallory", password: "demo", claims: ["preferred_username": "leader"], acr: "2", amr: ["pwd"])
        try await withProvider(db, realm: .officials, extra: [ghost, mallory]) { b, t, clock, _ in
            // Mallory is first at the portal as "leader": MotCua asks for leader's password, which
            // she does not have; each wrong one counts toward the account's lock, nothing is bound.
            let asked = try await b.signIn(at: "/dang-nhap/sso", username: "mallory")
            #expect(asked.status == .ok && asked.session == nil && asked.text.contains("lien-ket") && asked.text.contains("leader"), "\(asked.text.prefix(600))")
            let wrong = try await b.confirm(asked, password: "guess")
            #expect(wrong.status == .unauthorized && wrong.session == nil && wrong.text.contains("Mật khẩu không đúng"))
            #expect(try await AccountStore.user("leader", on: t.app.database)?.failedSignIns == 1)
            #expect(try await AccountStore.user("leader", on: t.app.database)?.ssoSubject == nil)
            // A ticket changed in the browser is refused: well-formed, naming another account
            // (whose password she has), with the MAC of the ticket she was given.
            let forged = try await b.confirm(asked, password: "demo", ticket: { ticket in
                let parts = ticket.split(separator: ".").map(String.init)
                let payload = String(decoding: Base64URL.decode(parts[0]) ?? Data(), as: UTF8.self)
                return Base64URL.encode(Data(payload.replacingOccurrences(of: "\"leader\"", with: "\"admin\"").utf8)) + "." + parts[1]
            })
            #expect(forged.status == .unauthorized && forged.session == nil)
            #expect(try await AccountStore.user("admin", on: t.app.database)?.ssoSubject == nil)
            // The leader's own first single sign-on: the password once, then bound.
            let first = try await b.signIn(at: "/dang-nhap/sso?next=%2Fviec-cua-toi", username: "leader")
            #expect(first.status == .ok && first.session == nil && first.text.contains("lien-ket"))
            let linked = try await b.confirm(first, password: "demo")
            #expect(linked.status == .seeOther && linked.location == "/viec-cua-toi" && linked.session != nil, "\(linked.status) \(linked.text.prefix(400))")
            let me = try await b.me(linked)
            #expect(me["username"] as? String == "leader" && me["assurance"] as? Int == 2 && me["roles"] as? [String] == ["leader"])
            #expect(try await AccountStore.user("leader", on: t.app.database)?.failedSignIns == 0)
            // From then on single sign-on alone.
            let leader = try await b.signIn(at: "/dang-nhap/sso", username: "leader")
            #expect(leader.refresh == "0; url=/viec-cua-toi")
            // A confirmation left too long expires.
            let slow = try await b.signIn(at: "/dang-nhap/sso", username: "officer")
            clock.advance(11 * 60)  // the provider's clock and the application's
            t.clock.advance(11 * 60)
            #expect(try await b.confirm(slow, password: "demo").status == .unauthorized)
            let weakFirst = try await b.signIn(at: "/dang-nhap/sso", username: "officer.l1")
            let weak = try await b.confirm(weakFirst, password: "demo")
            let weakMe = try await b.me(weak)
            #expect(weakMe["username"] as? String == "officer" && weakMe["assurance"] as? Int == 1)
            // The same person with the portal's second factor: the same subject, the same account.
            #expect(try await b.me(try await b.signIn(at: "/dang-nhap/sso", username: "officer"))["assurance"] as? Int == 2)
            // The portal knows someone MotCua does not: refused, nothing made.
            let users = try await t.count("users")
            let refused = try await b.signIn(at: "/dang-nhap/sso", username: "ghost")
            #expect(refused.status == .forbidden && refused.session == nil && refused.text.contains("no active official account"))
            #expect(try await t.count("users") == users)
            // The first sign-in bound "leader" to the leader's portal identity: the impostor is
            // refused, and the attempt recorded.
            let impostor = try await b.signIn(at: "/dang-nhap/sso", username: "mallory")
            #expect(impostor.status == .forbidden && impostor.session == nil && impostor.text.contains("another single sign-on identity"))
            #expect(try await b.me(try await b.signIn(at: "/dang-nhap/sso", username: "leader"))["username"] as? String == "leader")
            let events = { try await t.app.database.query("SELECT action FROM account_events WHERE username = 'leader' AND action LIKE 'sso-%'", []).compactMap { $0.string("action") }.sorted() }  // ids do not order them
            #expect(try await events() == ["sso-bound", "sso-refused"])
            // Unbinding is for administrators; the next single sign-on naming the account asks
            // for its password again.
            await #expect(throws: ServiceError.self) { try await t.app.accounts.unbindSingleSignOn(username: "leader", by: TestApp.leader()) }
            try await t.app.accounts.unbindSingleSignOn(username: "leader", by: Actor(username: "admin", roles: [.admin], unit: nil))
            _ = try await b.confirm(try await b.signIn(at: "/dang-nhap/sso", username: "leader"), password: "demo")
            #expect(try await events() == ["sso-bound", "sso-bound", "sso-refused", "sso-unbound"])
            #expect(try await b.signIn(at: "/dang-nhap/sso", username: "mallory").status == .forbidden)
        }
    }

    @Test("MOTCUA_SSO_FIRST_BIND=trust binds an account at its first single sign-on, without its password", arguments: [TestDB.sqlite])
    func trustFirstSignIn(db: TestDB) async throws {
        try await withProvider(db, realm: .officials, firstBind: .trust) { b, t, _, _ in
            let leader = try await b.signIn(at: "/dang-nhap/sso", username: "leader")
            #expect(leader.refresh == "0; url=/viec-cua-toi" && leader.session != nil)
            #expect(try await AccountStore.user("leader", on: t.app.database)?.ssoSubject != nil)
        }
    }

    @Test("the provider rotates its signing key: the next ID token's new key is fetched once, and it signs in", arguments: [TestDB.sqlite])
    func keyRotation(db: TestDB) async throws {
        try await withProvider(db, realm: .citizens) { b, _, _, provider in
            #expect(try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345").session != nil)
            let reads = provider.jwksReads
            #expect(try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345").session != nil)
            #expect(provider.jwksReads == reads, "the keys are kept between sign-ins")
            provider.rotateKey()
            let after = try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345")
            #expect(after.session != nil, "\(after.status) \(after.text.prefix(400))")
            #expect(provider.jwksReads == reads + 1, "the unknown key sent MotCua to the provider's keys once")
            #expect(try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345").session != nil)
            #expect(provider.jwksReads == reads + 1)
        }
    }

    @Test("refused: a replayed or foreign answer, a cancelled sign-in, an expired one, a forged ID token, an unreachable provider", arguments: [TestDB.sqlite])
    func refusals(db: TestDB) async throws {
        try await withProvider(db, realm: .citizens) { b, t, clock, _ in
            // The same answer twice: the second finds no sign-in waiting.
            let (answer, state) = try await b.answer(from: "/dang-nhap/vneid", username: "001090012345")
            #expect(try await b.back(answer, stateCookie: state).session != nil)
            let replay = try await b.back(answer, stateCookie: state)
            #expect(replay.status == .unauthorized && replay.session == nil && replay.text.contains("already used"))
            // An answer brought by another browser (no state cookie, or another one).
            let (stolen, _) = try await b.answer(from: "/dang-nhap/vneid", username: "001090012345")
            #expect(try await b.back(stolen, stateCookie: nil).status == .unauthorized)
            #expect(try await b.back(stolen, stateCookie: "not-the-state").status == .unauthorized)
            // Cancelled at the provider.
            let (cancelled, cs) = try await b.answer(from: "/dang-nhap/vneid", username: "001090012345", action: "cancel")
            #expect(cancelled.contains("error=access_denied"))
            let c = try await b.back(cancelled, stateCookie: cs)
            #expect(c.status == .unauthorized && c.text.contains("cancelled"))
            // Too slow: the sign-in waited more than ten minutes at MotCua. The provider's clock
            // is moved first, so its code and ID token are fresh when MotCua's clock has moved:
            // the refusal is MotCua's own limit on a sign-in, not the token's expiry.
            clock.advance(11 * 60)
            let (late, ls) = try await b.answer(from: "/dang-nhap/vneid", username: "001090012345")
            t.clock.advance(11 * 60)
            let tooLate = try await b.back(late, stateCookie: ls)
            #expect(tooLate.status == .unauthorized && tooLate.text.contains("has expired or was already used"), "\(tooLate.text.prefix(400))")
        }
        try await withProvider(db, realm: .citizens, unpublishedKey: true) { b, t, _, _ in
            let users = try await t.count("users")
            let forged = try await b.signIn(at: "/dang-nhap/vneid", username: "001090012345")
            #expect(forged.status == .unauthorized && forged.session == nil && forged.text.contains("signature"), "\(forged.text.prefix(600))")
            #expect(try await t.count("users") == users)
        }
        try await TestApp.with(db) { config in
            config.citizenEID = OpenIDProvider(issuer: "http://127.0.0.1:9", clientID: "motcua", clientSecret: "x", accountClaim: "citizen_id")
        } _: { t in
            let (router, _) = buildRouter(app: t.app)
            try await Application(router: router).test(.router) { client in
                let down = try await Browser(client: client).page("/dang-nhap/vneid")
                #expect(down.status == .serviceUnavailable && down.text.contains("unreachable"), "\(down.text.prefix(500))")
            }
        }
    }
}

/// The browser's part of the flow: the application through the test client, the provider over HTTP.
struct Browser: Sendable {
    let client: any TestClientProtocol

    struct Visit: Sendable {
        let status: HTTPResponse.Status
        let location: String?
        let refresh: String?
        let setCookies: [String]
        let text: String

        /// The session cookie (`name=value`) this answer set, if any.
        var session: String? {
            setCookies.first { $0.hasPrefix("motcua_session=") && !$0.hasPrefix("motcua_session=;") }?.split(separator: ";").first.map(String.init)
        }
    }

    func page(_ uri: String, cookie: String? = nil) async throws -> Visit {
        var h = HTTPFields()
        if let cookie { h[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: h, body: nil) { r in
            Visit(
                status: r.status, location: r.headers[.location], refresh: r.headers[HTTPField.Name("Refresh")!], setCookies: r.headers[values: .setCookie],
                text: String(decoding: r.body.readableBytesView, as: UTF8.self))
        }
    }

    /// Starts at `start`, signs in at the provider, and returns the provider's answer (the
    /// redirect to the application) and the state cookie's value.
    func answer(from start: String, username: String, password: String = "demo", action: String = "sign-in") async throws -> (String, String?) {
        let started = try await page(start)
        guard started.status == .seeOther, let authorize = started.location, let url = URL(string: authorize) else {
            throw APIError(message: "\(start) did not send the browser to the provider: \(started.status) \(started.text.prefix(300))")
        }
        let state = started.setCookies.first { $0.hasPrefix("motcua_oidc=") }?.split(separator: ";").first?.dropFirst("motcua_oidc=".count)
        let form0 = try await HTTPCall(url: url, timeout: 10).send()
        #expect(form0.status == 200, "the provider shows its sign-in form")
        var form = FormEncoding.decode(url.query ?? "")
        form["username"] = username
        form["password"] = password
        form["action"] = action
        var post = HTTPCall(url: URL(string: "\(url.scheme!)://\(url.host!):\(url.port!)/authorize")!, method: "POST", timeout: 10)
        post.setHeader("Content-Type", "application/x-www-form-urlencoded")
        post.body = Data(FormEncoding.encode(form.sorted { $0.key < $1.key }).utf8)
        let answer = try await post.send()
        guard answer.status == 302, let location = answer.header("Location") else {
            throw APIError(message: "the provider did not send the browser back: \(answer.status) \(String(decoding: answer.body, as: UTF8.self).prefix(300))")
        }
        return (location, state.map(String.init))
    }

    /// Brings the provider's answer back to the application with the state cookie.
    func back(_ answer: String, stateCookie: String?) async throws -> Visit {
        let path = String(answer.dropFirst(ExternalSignInTests.redirect.count - "/dang-nhap/oidc".count))
        return try await page(path, cookie: stateCookie.map { "motcua_oidc=\($0)" })
    }

    func signIn(at start: String, username: String) async throws -> Visit {
        let (answer, state) = try await answer(from: start, username: username)
        return try await back(answer, stateCookie: state)
    }

    /// Types the account's password on the page that confirms a first single sign-on (its
    /// hidden ticket, possibly changed by `ticket`, and the anti-forgery token it set).
    func confirm(_ v: Visit, password: String, ticket change: (String) -> String = { $0 }) async throws -> Visit {
        func hidden(_ name: String) -> String {
            guard let r = v.text.range(of: "name=\"\(name)\" value=\""), let end = v.text[r.upperBound...].firstIndex(of: "\"") else { return "" }
            return String(v.text[r.upperBound..<end])
        }
        let csrf = hidden("_csrf")
        let body = FormEncoding.encode([("_csrf", csrf), ("ticket", change(hidden("ticket"))), ("username", hidden("username")), ("password", password)])
        return try await client.execute(
            uri: "/dang-nhap/lien-ket", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "motcua_csrf=\(csrf)"], body: ByteBuffer(string: body)
        ) { r in
            Visit(
                status: r.status, location: r.headers[.location], refresh: r.headers[HTTPField.Name("Refresh")!], setCookies: r.headers[values: .setCookie],
                text: String(decoding: r.body.readableBytesView, as: UTF8.self))
        }
    }

    /// `GET /api/v1/me` with the session.
    func me(_ v: Visit) async throws -> [String: Any] {
        guard let s = v.session else { throw APIError(message: "not signed in: \(v.status) \(v.text.prefix(400))") }
        let body = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: s], body: nil) { Data($0.body.readableBytesView) }
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }
}
