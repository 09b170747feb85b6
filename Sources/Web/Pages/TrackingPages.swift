// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// Tracking a dossier without an account (the receipt's QR code leads here): the dossier code
/// and the phone given when filing, then the six-digit code texted to that phone. A right code
/// opens the dossier's details and the satisfaction form (indicator 5.4) for half an hour in
/// this browser (a cookie holding the grant). Knowing a code and a phone number is not enough;
/// holding the phone is.
enum TrackingPages {
    static let grantCookie = "motcua_track"

    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/tra-cuu") { req, ctx in
            let ui = UI(req, ctx)
            return ui.page("track", title: ui.t("track.heading"), ["code": Form.query(req, "ma") ?? ""])
        }
        // Step 1: ask for a code. The answer is the same whether or not the phone matched.
        router.post("/tra-cuu") { req, ctx in
            let ui = UI(req, ctx)
            let form = try await Form.decode(req)
            let code = (form["ma"] ?? "").trimmingCharacters(in: .whitespaces)
            let phone = (form["dt"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty, PhoneNumber.isValid(phone) else {
                return ui.page("track", title: ui.t("track.heading"), ["code": code, "error": ui.t("track.fill")], status: .badRequest)
            }
            try await app.tracking.sendCode(dossierCode: code, phone: phone)
            return codePage(code, notice: ui.t("track.sent", ["phone": TrackingService.masked(phone)]), error: nil, ui: ui)
        }
        // Step 2: the code from the text message.
        router.post("/tra-cuu/{code}/xac-thuc") { req, ctx in
            let ui = UI(req, ctx)
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            let token: String
            do {
                token = try await app.tracking.confirm(dossierCode: code, code: form["ma-xac-thuc"] ?? "")
            } catch ServiceError.invalid(_, let message) {
                let key = message.hasPrefix("wrong") ? "track.wrongCode" : message.hasPrefix("too many") ? "track.tooMany" : "track.noCode"
                return codePage(code, notice: nil, error: ui.t(key), status: .badRequest, ui: ui)
            }
            var r = UI.redirect("/tra-cuu/" + escaped(code))
            r.headers[.setCookie] =
                "\(grantCookie)=\(token); Path=/tra-cuu; Max-Age=\(Int(TrackingService.grantLifetime)); HttpOnly; SameSite=Strict\(app.config.publicURL.hasPrefix("https://") ? "; Secure" : "")"
            return r
        }
        router.get("/tra-cuu/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let code = try ctx.path("code")
            let t = ui.t
            guard let grant = cookie(grantCookie, in: req), let (found, _) = try await app.tracking.tracking(dossierCode: code, grant: grant) else {
                return ui.page("track", title: "\(t("track.heading")) \(code)", ["code": code, "known": true])
            }
            var body = "<h1>\(Page.esc(t("track.heading"))) <code>\(Page.esc(code))</code></h1>" + trackingHTML(found, t: t)
            if [DossierStatus.processed, .returned].contains(found.status) { body += ratingForm(code: code, ui: ui) }
            body += "<p><a href=\"/phan-anh?ma=\(Page.esc(code))\">\(Page.esc(t("track.petition")))</a></p>"
            return Page.response(title: "\(t("track.heading")) \(code)", body: body, ui: ui)
        }
        router.post("/tra-cuu/{code}/danh-gia") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            func refused(_ text: String) -> Response {
                Page.response(
                    title: t("rating.heading"), body: "<h1>\(Page.esc(t("rating.heading")))</h1><p class=\"bad\" role=\"alert\">\(Page.esc(text))</p>",
                    status: .badRequest, ui: ui)
            }
            // The rating proves itself with the phone the grant was opened with.
            guard let grant = cookie(grantCookie, in: req), let (_, phone) = try await app.tracking.tracking(dossierCode: code, grant: grant) else {
                return refused(t("track.expired"))
            }
            guard ["thoi-gian", "thai-do", "ket-qua"].allSatisfy({ form[$0] == "0" || form[$0] == "1" }) else { return refused(t("rating.allThree")) }
            let rating = DossierRating(
                timeOK: form["thoi-gian"] == "1", attitudeOK: form["thai-do"] == "1", resultOK: form["ket-qua"] == "1", comment: form["y-kien"])
            do {
                _ = try await app.ratings.rate(code: code, rating, proof: .phone(phone))
            } catch let e as ServiceError {
                switch e {
                case .notFound: return refused(t("track.expired"))
                case .invalid(let field, _) where field == "comment": return refused(t("rating.tooLong", ["n": String(DossierRating.maxComment)]))
                default: return refused(t("rating.notYet"))
                }
            }
            return Page.response(
                title: t("rating.thanks"),
                body: "<h1>\(Page.esc(t("rating.thanks")))</h1><p>\(Page.esc(t("rating.recorded", ["code": code])))</p>", ui: ui)
        }
    }

    static func escaped(_ code: String) -> String {
        code.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-."))) ?? ""
    }

    /// Where the code from the text message is typed, and a way to ask for another.
    static func codePage(_ code: String, notice: String?, error: String?, status: HTTPResponse.Status = .ok, ui: UI) -> Response {
        let t = ui.t
        return Page.response(
            title: "\(t("track.heading")) \(code)",
            body: """
                <h1>\(Page.esc(t("track.heading"))) <code>\(Page.esc(code))</code></h1>
                \(notice.map { "<p role=\"status\">\(Page.esc($0))</p>" } ?? "")\(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
                <form method="post" action="/tra-cuu/\(Page.esc(escaped(code)))/xac-thuc">\(ui.csrfInput)
                <label for="ma-xac-thuc">\(Page.esc(t("track.otp")))</label>
                <input id="ma-xac-thuc" name="ma-xac-thuc" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
                <button type="submit">\(Page.esc(t("track.open")))</button>
                </form>
                <p><a href="/tra-cuu/\(Page.esc(escaped(code)))">\(Page.esc(t("track.again")))</a></p>
                """, status: status, ui: ui)
    }

    /// The satisfaction form (indicator 5.4) under the tracking details, once the result is ready.
    static func ratingForm(code: String, ui: UI) -> String {
        let t = ui.t
        func question(_ name: String, _ text: String) -> String {
            """
            <fieldset><legend>\(Page.esc(text))</legend>
            <label><input type="radio" name="\(name)" value="1" required> \(Page.esc(t("rating.satisfied")))</label>
            <label><input type="radio" name="\(name)" value="0"> \(Page.esc(t("rating.dissatisfied")))</label></fieldset>
            """
        }
        return """
            <section><h2>\(Page.esc(t("rating.form")))</h2>
            <form method="post" action="/tra-cuu/\(Page.esc(code))/danh-gia">\(ui.csrfInput)
            \(question("thoi-gian", t("rating.time")))
            \(question("thai-do", t("rating.attitude")))
            \(question("ket-qua", t("rating.result")))
            <label for="y-kien">\(Page.esc(t("rating.comment")))</label>
            <textarea id="y-kien" name="y-kien" maxlength="\(DossierRating.maxComment)" rows="3"></textarea>
            <button type="submit">\(Page.esc(t("rating.send")))</button>
            </form></section>
            """
    }

    static func trackingHTML(_ tr: PublicTracking, t: Texts) -> String {
        func at(_ d: Date?) -> String { d.map { Page.esc(FormValues.dateTime($0)) } ?? "—" }
        var html = """
            <dl>
            <dt>\(Page.esc(t("dossier.procedure")))</dt><dd>\(Page.esc(tr.procedureName))</dd>
            <dt>\(Page.esc(t("dossier.status")))</dt><dd>\(Page.esc(WorkPages.statusName(tr.status, t)))</dd>
            <dt>\(Page.esc(t("dossier.receivingUnit")))</dt><dd>\(Page.esc(tr.receivingUnit))</dd>
            <dt>\(Page.esc(t("dossier.handlingUnit")))</dt><dd>\(Page.esc(tr.handlingUnit))</dd>
            <dt>\(Page.esc(t("dossier.receivedAt")))</dt><dd>\(at(tr.receivedAt))</dd>
            <dt>\(Page.esc(t("dossier.dueAt")))</dt><dd>\(at(tr.dueAt))</dd>
            <dt>\(Page.esc(t("track.finished")))</dt><dd>\(at(tr.finishedAt))</dd>
            <dt>\(Page.esc(t("track.returned")))</dt><dd>\(at(tr.returnedAt))</dd>
            </dl>
            """
        if let id = tr.resultId { html += "<p><a href=\"/ket-qua/\(Page.esc(id))\">\(Page.esc(t("track.result")))</a></p>" }
        return html
    }
}
