// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import PDF
import Services
import Storage

/// Two-step verification on the pages: the second step of signing in (the authenticator's code
/// or a recovery code) and the account page where an official turns it on (a QR code for the
/// app, a first code to confirm, recovery codes shown once).
enum SecondFactorPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/dang-nhap/ma-xac-thuc") { req, ctx in
            let ui = UI(req, ctx)
            guard ctx.user != nil else { return DashboardPages.signInRedirect(req) }
            return codePage(next: req.query("next").map { DashboardPages.safeNext($0) } ?? "", error: nil, ui: ui)
        }
        router.post("/dang-nhap/ma-xac-thuc") { req, ctx in
            let ui = UI(req, ctx)
            let form = try await Form.decode(req)
            let next = form["next"].flatMap { $0.isEmpty ? nil : DashboardPages.safeNext($0) } ?? ""
            guard let user = ctx.user, let token = SessionCookie.token(in: req) else { return DashboardPages.signInRedirect(req) }
            do {
                try await app.accounts.elevate(session: token, code: form["code"] ?? "")
            } catch ServiceError.locked(let until, _, _) {
                return codePage(next: next, error: ui.t("signin.locked", ["until": FormValues.dateTime(until)]), status: .tooManyRequests, ui: ui)
            } catch let e as ServiceError {
                if case .unauthorized = e { return DashboardPages.signInRedirect(req) }
                return codePage(next: next, error: ui.t("mfa.wrong"), status: .badRequest, ui: ui)
            }
            var headers = HTTPFields()
            headers[.location] = next.isEmpty ? DashboardPages.home(user.actor) : next
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/tai-khoan") { req, ctx in
            let ui = UI(req, ctx)
            guard let user = ctx.user else { return DashboardPages.signInRedirect(req) }
            return accountPage(user, ui: ui)
        }
        router.post("/tai-khoan/xac-thuc-hai-buoc") { req, ctx in
            let ui = UI(req, ctx)
            _ = try await Form.decode(req)
            guard let user = ctx.user else { return DashboardPages.signInRedirect(req) }
            do {
                let e = try await app.accounts.beginSecondFactor(for: user)
                return enrolPage(e, error: nil, ui: ui)
            } catch let e as ServiceError {
                return DashboardPages.errorPage(e, ui: ui)
            }
        }
        router.post("/tai-khoan/xac-thuc-hai-buoc/xac-nhan") { req, ctx in
            let ui = UI(req, ctx)
            let form = try await Form.decode(req)
            guard let user = ctx.user else { return DashboardPages.signInRedirect(req) }
            do {
                let codes = try await app.accounts.confirmSecondFactor(for: user.username, code: form["code"] ?? "")
                return recoveryPage(codes, ui: ui)
            } catch ServiceError.invalid {
                // The same secret again, with the message next to the field.
                guard let e = try await app.accounts.pendingSecondFactor(for: user.username) else { return accountPage(user, ui: ui) }
                return enrolPage(e, error: ui.t("mfa.wrong"), status: .badRequest, ui: ui)
            }
        }
    }

    static func codeField(_ error: String?, _ t: Texts) -> String {
        """
        <label for="code">\(Page.esc(t("mfa.codeLabel")))</label>
        \(error.map { "<p class=\"bad\" id=\"code-error\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required\(error == nil ? "" : " aria-describedby=\"code-error\" aria-invalid=\"true\"")>
        """
    }

    static func codePage(next: String, error: String?, status: HTTPResponse.Status = .ok, ui: UI) -> Response {
        let t = ui.t
        return Page.response(
            title: t("mfa.title"),
            body: """
                <h1>\(Page.esc(t("mfa.title")))</h1>
                <p>\(Page.esc(t("mfa.stepIntro")))</p>
                <form method="post" action="/dang-nhap/ma-xac-thuc">\(ui.csrfInput)
                <input type="hidden" name="next" value="\(Page.esc(next))">
                \(codeField(error, t))
                <div><button type="submit">\(Page.esc(t("mfa.verify")))</button></div>
                </form>
                """, status: status, ui: ui)
    }

    static func accountPage(_ user: StoredUser, ui: UI) -> Response {
        let t = ui.t
        let state =
            user.hasSecondFactor
            ? "<p class=\"good\">\(Page.esc(t("account.mfaOn")))</p>"
            : """
            <p>\(Page.esc(t("account.mfaOff")))</p>
            <form method="post" action="/tai-khoan/xac-thuc-hai-buoc">\(ui.csrfInput)<button type="submit">\(Page.esc(t("account.mfaStart")))</button></form>
            """
        return Page.response(
            title: t("account.title"),
            body: """
                <h1>\(Page.esc(t("account.title")))</h1>
                <p>\(Page.esc(user.fullName)) (\(Page.esc(user.username)))</p>
                <section aria-labelledby="s-mfa"><h2 id="s-mfa">\(Page.esc(t("mfa.title")))</h2>\(state)</section>
                """, ui: ui)
    }

    static func enrolPage(_ e: AccountService.Enrolment, error: String?, status: HTTPResponse.Status = .ok, ui: UI) -> Response {
        let t = ui.t
        return Page.response(
            title: t("mfa.title"),
            body: """
                <h1>\(Page.esc(t("mfa.title")))</h1>
                <p>\(Page.esc(t("account.scan")))</p>
                \(qrSVG(e.uri, label: t("account.qrAlt")))
                <p><code>\(Page.esc(e.secret))</code></p>
                <form method="post" action="/tai-khoan/xac-thuc-hai-buoc/xac-nhan">\(ui.csrfInput)
                \(codeField(error, t))
                <div><button type="submit">\(Page.esc(t("mfa.verify")))</button></div>
                </form>
                """, status: status, ui: ui)
    }

    static func recoveryPage(_ codes: [String], ui: UI) -> Response {
        let t = ui.t
        return Page.response(
            title: t("mfa.title"),
            body: """
                <h1>\(Page.esc(t("account.mfaDone")))</h1>
                <p>\(Page.esc(t("account.recovery")))</p>
                <ul>\(codes.map { "<li><code>\(Page.esc($0))</code></li>" }.joined())</ul>
                <p><a href="/tai-khoan">\(Page.esc(t("account.title")))</a></p>
                """, ui: ui)
    }

    /// A QR code as SVG squares (no image file, no script, no inline style).
    static func qrSVG(_ text: String, label: String) -> String {
        guard let q = try? QRCode.encode(text, correction: .medium) else { return "" }
        let quiet = 4
        let n = q.size + 2 * quiet
        var rects = ""
        for y in 0..<q.size {
            for x in 0..<q.size where q.isDark(x: x, y: y) { rects += "<rect x=\"\(x + quiet)\" y=\"\(y + quiet)\" width=\"1\" height=\"1\"/>" }
        }
        return """
            <svg class="qr" role="img" aria-label="\(Page.esc(label))" viewBox="0 0 \(n) \(n)" width="240" height="240" shape-rendering="crispEdges">\
            <title>\(Page.esc(label))</title><rect width="\(n)" height="\(n)" fill="#fff"/><g fill="#000">\(rects)</g></svg>
            """
    }
}
