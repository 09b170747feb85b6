// SPDX-License-Identifier: Apache-2.0
import AppTestSupport
import Domain
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Services
import Testing
import Web

/// Forms and the session cookie: a form without this browser's anti-forgery token, a write from
/// another origin, or an API write with only the cookie is refused and changes nothing.
@Suite("Page security")
struct PageSecurityTests {
    @Test("forms need the anti-forgery token; the page sets one; a foreign origin and cookie-only API writes are refused", arguments: [TestDB.sqlite])
    func forgery(db: TestDB) async throws {
        try await withAPI(db) { api, t in
            func post(_ uri: String, _ body: String, cookie: String?, origin: String? = nil) async throws -> API.Reply {
                var h = HTTPFields()
                h[.contentType] = "application/x-www-form-urlencoded"
                if let cookie { h[.cookie] = cookie }
                if let origin { h[.origin] = origin }
                return try await api.client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body)) { r in
                    API.Reply(status: r.status, contentType: r.headers[.contentType], body: Data(r.body.readableBytesView))
                }
            }
            let petition = "loai=procedure&don-vi=\(TestApp.tanLap)&ho-ten=A&dt=0912345678&noi-dung=x"
            #expect(try await post("/phan-anh", petition, cookie: nil).status == .forbidden)
            #expect(try await post("/phan-anh", petition + "&_csrf=\(testCSRF)", cookie: nil).status == .forbidden, "the token alone is not enough")
            #expect(try await post("/phan-anh", petition + "&_csrf=" + String(repeating: "cd", count: 32), cookie: testCSRFCookie).status == .forbidden)
            #expect(try await t.count("petitions") == 0)
            // A page gives a browser without a token a fresh one (HttpOnly, SameSite=Strict), in its forms too.
            let page = try await api.client.execute(uri: "/phan-anh", method: .get) { r in (r.headers[values: .setCookie], String(decoding: r.body.readableBytesView, as: UTF8.self)) }
            let cookie = try #require(page.0.first { $0.hasPrefix("motcua_csrf=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let token = String(cookie.dropFirst("motcua_csrf=".count).prefix(64))
            #expect(page.1.contains("name=\"_csrf\" value=\"\(token)\""))
            #expect(try await post("/phan-anh", petition + "&_csrf=\(token)", cookie: "motcua_csrf=\(token)").status == .ok)
            // A planted cookie that is not a token as issued is neither written into the page nor accepted.
            let planted = String(repeating: "\"", count: 64)
            let replanted = try await api.client.execute(uri: "/phan-anh", method: .get, headers: [.cookie: "motcua_csrf=\(planted)"]) { r in
                String(decoding: r.body.readableBytesView, as: UTF8.self)
            }
            #expect(!replanted.contains(planted))
            #expect(try await post("/phan-anh", petition + "&_csrf=\(planted)", cookie: "motcua_csrf=\(planted)").status == .forbidden)
            #expect(try await t.count("petitions") == 1)
            // Signed in by cookie: a write posted from another site is refused before any handler.
            let login = try await post("/dang-nhap", withToken("username=lanhdao.0002003h99&password=demo"), cookie: testCSRFCookie)
            #expect(login.status == .seeOther)
            let session = try await api.client.execute(
                uri: "/dang-nhap", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: testCSRFCookie],
                body: ByteBuffer(string: withToken("username=lanhdao.0002003h99&password=demo"))
            ) { r in r.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? "" }
            let cross = try await post("/phan-anh", withToken(petition), cookie: "\(session); \(testCSRFCookie)", origin: "https://evil.example")
            #expect(cross.status == .forbidden)
            #expect(try await t.count("petitions") == 1)
            // The API never acts on the cookie alone.
            var h = HTTPFields()
            h[.contentType] = "application/json"
            h[.cookie] = session
            let apiWrite = try await api.client.execute(
                uri: "/api/v1/dossiers", method: .post, headers: h,
                body: ByteBuffer(string: #"{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001090012345","fullName":"A"}}"#)
            ) { r in r.status }
            #expect(apiWrite == .unauthorized)
            // Sessions and API tokens are apart: the cookie's token is no bearer, a bearer token opens no page.
            let sessionToken = String(session.dropFirst("motcua_session=".count))
            #expect(try await api.call(.get, "/api/v1/me", token: sessionToken).status == .unauthorized)
            let apiToken = try await api.token("lanhdao.0002003h99")
            #expect(try await api.page("/dashboard", cookie: "motcua_session=\(apiToken)").status == .seeOther)
            #expect(try await api.call(.get, "/api/v1/me", token: apiToken).status == .ok)
        }
    }
}

@Suite("Security headers")
struct SecurityHeaderTests {
    @Test("pages forbid scripts, inline styles and framing; every answer forbids type sniffing; no HSTS on plain http", arguments: [TestDB.sqlite])
    func headers(db: TestDB) async throws {
        try await withAPI(db) { api, _ in
            let page = try await api.client.execute(uri: "/", method: .get) { $0.headers }
            let csp = try #require(page[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'none'") && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'"))
            #expect(page[HTTPField.Name("X-Frame-Options")!] == "DENY" && page[.xContentTypeOptions] == "nosniff")
            #expect(page[.strictTransportSecurity] == nil)
            let problem = try await api.client.execute(uri: "/api/v1/dossiers/none", method: .get) { $0.headers }
            #expect(problem[.xContentTypeOptions] == "nosniff" && problem[.contentSecurityPolicy] == nil)
        }
    }
}
