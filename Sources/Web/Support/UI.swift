// SPDX-License-Identifier: Apache-2.0
import Crypto
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// What every page needs from its request: the language, the signed-in account, and the
/// anti-forgery token its forms carry (double-submit: the same random value in an HttpOnly,
/// SameSite=Strict cookie and in each form's `_csrf` field; `Form.decode` compares them).
struct UI: Sendable {
    let t: Texts
    let user: StoredUser?
    let csrf: String
    /// The browser has no token yet: set the cookie with this response.
    let newToken: Bool

    static let csrfCookie = "motcua_csrf"
    static let csrfField = "_csrf"

    init(_ req: Request, _ ctx: AppContext) {
        t = Texts.of(req)
        user = ctx.user
        if let c = Self.token(in: req) {
            csrf = c
            newToken = false
        } else {
            csrf = Digits.hex(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
            newToken = true
        }
    }

    /// The browser's anti-forgery token: 64 hex digits as issued, nothing else (it is written
    /// into pages).
    static func token(in req: Request) -> String? {
        guard let c = cookie(csrfCookie, in: req), c.count == 64, c.allSatisfy(\.isHexDigit) else { return nil }
        return c
    }

    var actor: Actor? { user?.actor }

    /// The hidden field every form carries.
    var csrfInput: String { "<input type=\"hidden\" name=\"\(Self.csrfField)\" value=\"\(csrf)\">" }

    /// The menu for who is signed in (and the public part for everyone).
    var nav: [[String: String]] {
        var items: [(String, String)] = [("/thu-tuc", "nav.procedures"), ("/tra-cuu", "nav.track")]
        if let a = actor {
            if a.has(.citizen) { items = [("/thu-tuc", "nav.file"), ("/cong-dan", "nav.myDossiers"), ("/cong-dan/truy-cap", "nav.access")] }
            if a.has(.officer) { items += [("/quay", "nav.counter"), ("/quay/tiep-nhan", "nav.receive")] }
            if a.has(.specialist) || a.has(.leader) { items += [("/viec-cua-toi", "nav.work"), ("/phan-anh-xu-ly", "nav.petitions")] }
            if a.has(.leader) || a.has(.admin) { items.append(("/dashboard", "nav.dashboard")) }
            if a.has(.admin) { items += [("/quan-tri", "nav.admin"), ("/quan-tri/nhat-ky", "nav.audit")] }
        } else {
            items += [("/phan-anh", "nav.petition"), ("/xac-minh", "frame.verify")]
        }
        return items.map { ["href": $0.0, "label": t($0.1)] }
    }

    /// A whole page: `template` extends `layout`; `data` adds to the common context.
    func page(_ template: String, title: String, _ data: [String: Any] = [:], status: HTTPResponse.Status = .ok, wide: Bool = false, notice: String? = nil) -> Response {
        var context: [String: Any] = [
            "lang": t.lang.rawValue, "otherLang": t.lang == .vi ? "en" : "vi", "switchHref": t.switchHref, "t": t.nested, "title": title,
            "nav": nav, "csrf": csrf, "wide": wide,
        ]
        if let u = user { context["user"] = ["fullName": u.fullName, "username": u.username] }
        if let notice { context["notice"] = notice }
        for (k, v) in data { context[k] = v }
        return html(Views.render(template, context), status: status)
    }

    /// An HTML response with this request's cookies (language chosen, new anti-forgery token).
    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if newToken { headers.append(HTTPField(name: .setCookie, value: "\(Self.csrfCookie)=\(csrf); Path=/; HttpOnly; SameSite=Strict")) }
        if let c = t.setCookie { headers.append(HTTPField(name: .setCookie, value: c)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A redirect after a successful form (Post/Redirect/Get).
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

extension Texts {
    /// The text table as nested dictionaries, for templates: `{{t.dash.title}}`.
    var nested: [String: Any] { Self.nestedTables[lang] ?? [:] }

    nonisolated(unsafe) static let nestedTables: [Lang: [String: Any]] = {
        var all: [Lang: [String: Any]] = [:]
        for lang in Lang.allCases {
            var out: [String: [String: String]] = [:]
            let table = (tables[.vi] ?? [:]).merging(tables[lang] ?? [:]) { _, new in new }
            for (key, value) in table {
                let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                out[parts[0], default: [:]][parts[1]] = value
            }
            all[lang] = out
        }
        return all
    }()
}
