// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// Signing in through an OpenID Connect provider: `/dang-nhap/sso` (officials, the province's
/// single sign-on portal), `/dang-nhap/vneid` (citizens, the national e-ID), and the address the
/// provider sends the browser back to, `/dang-nhap/oidc`.
enum ExternalSignInPages {
    /// Holds the state between leaving for the provider and coming back. SameSite=Lax: the
    /// browser comes back from another site, and a Strict cookie would not be sent.
    static let stateCookie = "motcua_oidc"

    static func register(_ router: Router<AppContext>, app: MotCua) {
        for (path, provider) in [("/dang-nhap/sso", ExternalSignIn.Provider.sso), ("/dang-nhap/vneid", .eid)] {
            router.get(RouterPath(path)) { req, ctx in
                let ui = UI(req, ctx)
                let next = req.query("next").map { DashboardPages.safeNext($0) } ?? ""
                let started: (location: String, state: String)
                do {
                    started = try await app.externalSignIn.begin(provider, next: next)
                } catch let e as ServiceError {
                    return DashboardPages.signInPage(next: next, error: ui.t("signin.providerDown", ["why": "\(e)"]), status: .serviceUnavailable, ui: ui, app: app)
                }
                var headers = HTTPFields()
                headers[.location] = started.location
                headers[.setCookie] = "\(stateCookie)=\(started.state); Path=/dang-nhap/oidc; Max-Age=600; HttpOnly; SameSite=Lax\(secure(app) ? "; Secure" : "")"
                return Response(status: .seeOther, headers: headers)
            }
        }
        router.get("/dang-nhap/oidc") { req, ctx in
            let ui = UI(req, ctx)
            let outcome: ExternalSignIn.Outcome
            do {
                outcome = try await app.externalSignIn.finish(
                    state: Form.query(req, "state") ?? "", browserState: cookie(stateCookie, in: req), code: Form.query(req, "code"),
                    error: Form.query(req, "error"))
            } catch let e as ServiceError {
                var r = refused(e, ui: ui, app: app)
                r.headers[.setCookie] = clearState
                return r
            }
            switch outcome {
            case .signedIn(let token, let next):
                var r = signedIn(token, next: next, ui: ui, app: app)
                r.headers[values: .setCookie].append(clearState)
                return r
            case .confirmAccount(let username, let ticket):
                var r = confirmPage(username: username, ticket: ticket, error: nil, status: .ok, ui: ui)
                r.headers[values: .setCookie].append(clearState)
                return r
            }
        }
        // The first single sign-on to an account: its password, once (MOTCUA_SSO_FIRST_BIND).
        router.post("/dang-nhap/lien-ket") { req, ctx in
            let ui = UI(req, ctx)
            let form = try await Form.decode(req)
            let ticket = form["ticket"] ?? "", username = form["username"] ?? ""
            guard let password = form["password"], !password.isEmpty else {
                return confirmPage(username: username, ticket: ticket, error: ui.t("signin.missing"), status: .badRequest, ui: ui)
            }
            do {
                let (token, next) = try await app.externalSignIn.link(ticket: ticket, password: password)
                var headers = HTTPFields()
                let home = next.isEmpty ? DashboardPages.home(token.user.actor) : next
                headers[.location] = token.user.hasSecondFactor && token.assurance < 2 ? "/dang-nhap/ma-xac-thuc?next=" + FormEncoding.escape(home) : home
                headers[.setCookie] = SessionCookie.set(token.accessToken, maxAge: token.expiresIn, secure: secure(app))
                return Response(status: .seeOther, headers: headers)
            } catch ServiceError.locked(let until, _, _) {
                return confirmPage(username: username, ticket: ticket, error: ui.t("signin.locked", ["until": FormValues.dateTime(until)]), status: .tooManyRequests, ui: ui)
            } catch ServiceError.invalid(field: "password", _) {
                return confirmPage(username: username, ticket: ticket, error: ui.t("signin.wrongPassword"), status: .unauthorized, ui: ui)
            } catch let e as ServiceError {
                return refused(e, ui: ui, app: app)
            }
        }
    }

    static func refused(_ e: ServiceError, ui: UI, app: MotCua) -> Response {
        let status: HTTPResponse.Status = if case .forbidden = e { .forbidden } else if case .unavailable = e { .badGateway } else { .unauthorized }
        return DashboardPages.signInPage(next: "", error: ui.t("signin.providerRefused", ["why": "\(e)"]), status: status, ui: ui, app: app)
    }

    /// Asks for the account's password once, to bind it to the single sign-on identity.
    static func confirmPage(username: String, ticket: String, error: String?, status: HTTPResponse.Status, ui: UI) -> Response {
        let t = ui.t
        return Page.response(
            title: t("signin.link.title"),
            body: """
                <h1>\(Page.esc(t("signin.link.title")))</h1>
                \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
                <p>\(Page.esc(t("signin.link.explain", ["username": username])))</p>
                <form method="post" action="/dang-nhap/lien-ket">\(ui.csrfInput)
                <input type="hidden" name="ticket" value="\(Page.esc(ticket))">
                <input type="hidden" name="username" value="\(Page.esc(username))">
                <label for="p">\(Page.esc(t("signin.link.password", ["username": username])))</label><input id="p" name="password" type="password" autocomplete="current-password" required>
                <div><button type="submit">\(Page.esc(t("signin.link.button")))</button></div>
                </form>
                <p class="muted">\(Page.esc(t("signin.link.notYou")))</p>
                """, status: status, ui: ui)
    }

    /// The session is open: a page that moves on to where the official or citizen was going.
    static func signedIn(_ t: IssuedToken, next signedInNext: String, ui: UI, app: MotCua) -> Response {
        let next = signedInNext.isEmpty ? DashboardPages.home(t.user.actor) : signedInNext
        let target = t.user.hasSecondFactor && t.assurance < 2 ? "/dang-nhap/ma-xac-thuc?next=" + FormEncoding.escape(next) : next
        // A page, not a redirect: the browser arrived from the provider's site, and a redirect
        // would still count as that site's navigation, so the SameSite=Strict session cookie
        // would not be sent to `target`. A refresh from this page is this site's own.
        var r = Page.response(
            title: ui.t("signin.done"),
            body: "<h1>\(Page.esc(ui.t("signin.done")))</h1><p><a href=\"\(Page.esc(target))\">\(Page.esc(ui.t("signin.continue")))</a></p>", ui: ui)
        r.headers[.refresh] = "0; url=\(target)"
        r.headers[values: .setCookie].append(SessionCookie.set(t.accessToken, maxAge: t.expiresIn, secure: secure(app)))
        return r
    }

    static let clearState = "\(stateCookie)=; Path=/dang-nhap/oidc; Max-Age=0; HttpOnly; SameSite=Lax"

    static func secure(_ app: MotCua) -> Bool { app.config.publicURL.hasPrefix("https://") }

    /// The sign-in page's buttons for the providers that are set up.
    static func buttons(next: String, ui: UI, app: MotCua) -> String {
        let q = next.isEmpty ? "" : "?next=" + FormEncoding.escape(next)
        var out = ""
        if app.externalSignIn.isConfigured(.eid) {
            out += "<p><a class=\"button\" href=\"/dang-nhap/vneid\(Page.esc(q))\">\(Page.esc(ui.t("signin.vneid")))</a></p>"
        }
        if app.externalSignIn.isConfigured(.sso) {
            out += "<p><a class=\"button\" href=\"/dang-nhap/sso\(Page.esc(q))\">\(Page.esc(ui.t("signin.sso")))</a></p>"
        }
        return out.isEmpty ? "" : "<section aria-label=\"\(Page.esc(ui.t("signin.other")))\">\(out)</section>"
    }
}

extension HTTPField.Name {
    /// `Refresh: 0; url=…` (HTML's meta refresh as a header).
    static let refresh = Self("Refresh")!
}
