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
            let signedIn: (token: IssuedToken, next: String)
            do {
                signedIn = try await app.externalSignIn.finish(
                    state: Form.query(req, "state") ?? "", browserState: cookie(stateCookie, in: req), code: Form.query(req, "code"),
                    error: Form.query(req, "error"))
            } catch let e as ServiceError {
                let status: HTTPResponse.Status = if case .forbidden = e { .forbidden } else if case .unavailable = e { .badGateway } else { .unauthorized }
                var r = DashboardPages.signInPage(next: "", error: ui.t("signin.providerRefused", ["why": "\(e)"]), status: status, ui: ui, app: app)
                r.headers[.setCookie] = clearState
                return r
            }
            let t = signedIn.token
            let next = signedIn.next.isEmpty ? DashboardPages.home(t.user.actor) : signedIn.next
            let target = t.user.hasSecondFactor && t.assurance < 2 ? "/dang-nhap/ma-xac-thuc?next=" + FormEncoding.escape(next) : next
            // A page, not a redirect: the browser arrived from the provider's site, and a redirect
            // would still count as that site's navigation, so the SameSite=Strict session cookie
            // would not be sent to `target`. A refresh from this page is this site's own.
            var r = Page.response(
                title: ui.t("signin.done"),
                body: "<h1>\(Page.esc(ui.t("signin.done")))</h1><p><a href=\"\(Page.esc(target))\">\(Page.esc(ui.t("signin.continue")))</a></p>", ui: ui)
            r.headers[.refresh] = "0; url=\(target)"
            r.headers[values: .setCookie] = [SessionCookie.set(t.accessToken, maxAge: t.expiresIn, secure: secure(app)), clearState]
            return r
        }
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
