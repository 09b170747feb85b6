// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// Public pages for petitions and feedback (phản ánh, kiến nghị): send one (about a dossier, a
/// procedure or an official), follow it with its code and the phone number given, add what the
/// unit asked for, vote on the published answer, read published answers. No account needed.
enum PetitionPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/phan-anh") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let units = try await app.catalog.units()
            var values: [String: String] = ["loai": "procedure"]
            if let code = Form.query(req, "ma") { values["ma-ho-so"] = code }
            if let earlier = req.query("phan-anh-lai") { values["phan-anh-lai"] = earlier }
            return Page.response(title: t("petition.heading"), body: form(values: values, errors: [:], units: units, ui: ui), ui: ui)
        }
        router.post("/phan-anh") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let f = try await Form.decode(req)
            let units = try await app.catalog.units()
            var errors: [String: String] = [:]
            let cls = PetitionClass(rawValue: f["loai"] ?? "")
            if cls == nil { errors["loai"] = t("petition.error.class") }
            let request = PetitionService.Request(
                petitionClass: cls ?? .procedure, dossierCode: f["ma-ho-so"], official: f["can-bo"], unit: f["don-vi"],
                petitioner: Petitioner(fullName: f["ho-ten"] ?? "", phone: f["dt"] ?? "", email: f["email"]), content: f["noi-dung"] ?? "",
                recomplaintOf: f["phan-anh-lai"])
            if errors.isEmpty {
                do {
                    let p = try await app.petitions.file(request, proof: .phone(f["dt"] ?? ""))
                    return Page.response(title: "\(t("petition.sent")) \(p.code)", body: receipt(p, t: t), ui: ui)
                } catch let e as ServiceError {
                    guard case .invalid(let field, let message) = e else { throw e }
                    errors[fieldName[field] ?? "noi-dung"] = text(field: field, message: message, t: t)
                }
            }
            return Page.response(title: t("petition.heading"), body: form(values: f, errors: errors, units: units, ui: ui), status: .badRequest, ui: ui)
        }
        router.get("/phan-anh/cong-khai") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let items = try await app.petitions.published(limit: 50)
            var body = "<h1>\(Page.esc(t("petition.publishedHeading")))</h1>"
            if items.isEmpty { body += "<p>\(Page.esc(t("petition.noneYet")))</p>" }
            for p in items {
                body += """
                    <section><h2><code>\(Page.esc(p.code))</code> · \(Page.esc(t.pick(p.petitionClass.vietnamese, p.petitionClass.english)))</h2>
                    <p>\(Page.esc(p.content))</p><p><strong>\(Page.esc(t("petition.answerLabel")))</strong> \(Page.esc(p.answer ?? ""))</p>
                    <p class="muted">\(Page.esc(t("petition.publishedAt", ["at": p.publishedAt.map(FormValues.dateTime) ?? "", "likes": String(p.likes), "dislikes": String(p.dislikes)])))</p></section>
                    """
            }
            return Page.response(title: t("petition.published"), body: body, ui: ui)
        }
        router.get("/phan-anh/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let code = try ctx.path("code")
            return Page.response(title: "\(t("petition.follow")) \(code)", body: "<h1>\(Page.esc(t("petition.oneHeading")))<code>\(Page.esc(code))</code></h1>" + lookupForm(code: code, error: nil, ui: ui), ui: ui)
        }
        router.post("/phan-anh/{code}") { req, ctx in
            let ui = UI(req, ctx)
            let t = ui.t
            let code = try ctx.path("code")
            let f = try await Form.decode(req)
            let phone = f["dt"] ?? ""
            do {
                var p = try await app.petitions.get(code: code, proof: .phone(phone))
                var notice: String?
                switch f["buoc"] {
                case "bo-sung":
                    p = try await app.petitions.act(code: code, action: .supplement, text: f["bo-sung"], expectedVersion: nil, proof: .phone(phone))
                    notice = t("petition.supplemented")
                case "like", "dislike":
                    p = try await app.petitions.vote(code: code, PetitionService.Vote(rawValue: f["buoc"]!)!, proof: .phone(phone))
                    notice = t("petition.voted")
                default: break
                }
                guard p.petitioner != nil else { throw ServiceError.notFound(what: "petition", key: code) }
                return Page.response(title: "\(t("petition.one")) \(code)", body: details(p, phone: phone, notice: notice, ui: ui), ui: ui)
            } catch let e as ServiceError {
                let text: String
                switch e {
                case .notFound: text = t("petition.noMatch")
                case .invalid(let field, let message): text = Self.text(field: field, message: message, t: t)
                case .conflict: text = t("petition.changed")
                default: throw e
                }
                return Page.response(
                    title: "\(t("petition.one")) \(code)", body: "<h1>\(Page.esc(t("petition.oneHeading")))<code>\(Page.esc(code))</code></h1>" + lookupForm(code: code, error: text, ui: ui), status: .badRequest,
                    ui: ui)
            }
        }
    }

    /// Form fields by the service's field names, for errors shown next to the field.
    static let fieldName = [
        "petitioner.fullName": "ho-ten", "petitioner.phone": "dt", "content": "noi-dung", "dossierCode": "ma-ho-so", "official": "can-bo",
        "unit": "don-vi", "recomplaintOf": "phan-anh-lai", "text": "bo-sung",
    ]

    /// The message to show next to a field, in the page's language.
    static func text(field: String, message: String, t: Texts) -> String {
        switch field {
        case "petitioner.fullName": t("petition.error.name")
        case "petitioner.phone": t("petition.error.phone")
        case "content": message.hasPrefix("at most") ? t("petition.error.long", ["n": String(Petition.maxContent)]) : t("petition.error.content")
        case "dossierCode":
            message.hasPrefix("no dossier") ? t("petition.error.noDossier") : t("petition.error.dossierPhone")
        case "official": message.hasPrefix("no official") ? t("petition.error.noOfficial") : t("petition.error.conduct")
        case "unit": t("petition.error.unit")
        case "recomplaintOf": t("petition.error.recomplaint", ["why": message])
        case "text": t("petition.error.text")
        case "vote": t("petition.error.vote")
        default: message
        }
    }

    static func form(values v: [String: String], errors: [String: String], units: [AdministrativeUnit], ui: UI) -> String {
        let t = ui.t
        func err(_ name: String) -> String {
            errors[name].map { "<p class=\"bad\" id=\"\(name)-loi\" role=\"alert\">\(Page.esc($0))</p>" } ?? ""
        }
        func described(_ name: String) -> String { errors[name] != nil ? " aria-invalid=\"true\" aria-describedby=\"\(name)-loi\"" : "" }
        func input(_ name: String, _ label: String, type: String = "text", required: Bool = false, extra: String = "") -> String {
            """
            <label for="\(name)">\(label)</label>\(err(name))
            <input id="\(name)" name="\(name)" type="\(type)" value="\(Page.esc(v[name] ?? ""))"\(required ? " required" : "")\(extra)\(described(name))>
            """
        }
        let classes = PetitionClass.allCases.map { c in
            "<label><input type=\"radio\" name=\"loai\" value=\"\(c.rawValue)\"\(v["loai"] == c.rawValue ? " checked" : "") required> \(Page.esc(t.pick(c.vietnamese, c.english)))</label>"
        }.joined()
        let options = units.sorted { $0.name < $1.name }.map { u in
            "<option value=\"\(Page.esc(u.code))\"\(v["don-vi"] == u.code ? " selected" : "")>\(Page.esc(u.name))</option>"
        }.joined()
        return """
            <h1>\(Page.esc(t("petition.heading")))</h1>
            <p>\(Page.esc(t("petition.intro")))</p>
            <form method="post" action="/phan-anh" novalidate>\(ui.csrfInput)
            <fieldset><legend>\(Page.esc(t("petition.classLegend")))</legend>\(err("loai"))\(classes)</fieldset>
            \(input("ma-ho-so", t("petition.dossierCode")))
            \(input("can-bo", t("petition.official")))
            <label for="don-vi">\(Page.esc(t("petition.unit")))</label>\(err("don-vi"))
            <select id="don-vi" name="don-vi"\(described("don-vi"))><option value="">\(Page.esc(t("petition.choose")))</option>\(options)</select>
            \(input("ho-ten", t("petition.name"), required: true, extra: " autocomplete=\"name\""))
            \(input("dt", t("petition.phoneRequired"), type: "tel", required: true, extra: " inputmode=\"tel\" autocomplete=\"tel\""))
            \(input("email", t("file.email"), type: "email", extra: " autocomplete=\"email\""))
            <label for="noi-dung">\(Page.esc(t("petition.content")))</label>\(err("noi-dung"))
            <textarea id="noi-dung" name="noi-dung" rows="6" maxlength="\(Petition.maxContent)" required\(described("noi-dung"))>\(Page.esc(v["noi-dung"] ?? ""))</textarea>
            \(v["phan-anh-lai"].map { "<input type=\"hidden\" name=\"phan-anh-lai\" value=\"\(Page.esc($0))\"><p>\(Page.esc(t("petition.againOf", ["code": $0])))</p>\(err("phan-anh-lai"))" } ?? "")
            <button type="submit">\(Page.esc(t("petition.send")))</button>
            </form>
            <p><a href="/phan-anh/cong-khai">\(Page.esc(t("petition.seePublished")))</a></p>
            """
    }

    static func receipt(_ p: PetitionService.View, t: Texts) -> String {
        """
        <h1>\(Page.esc(t("petition.received")))</h1>
        <p>\(Page.esc(t("petition.code"))): <code class="big">\(Page.esc(p.code))</code></p>
        <p>\(Page.esc(t("petition.dueFollow", ["due": FormValues.dateTime(p.deadlines.handleBy)])))</p>
        <p><a href="/phan-anh/\(Page.esc(p.code))">\(Page.esc(t("petition.follow")))</a></p>
        """
    }

    static func lookupForm(code: String, error: String?, ui: UI) -> String {
        let t = ui.t
        return """
        \(error.map { "<p class=\"bad\" role=\"alert\">\(Page.esc($0))</p>" } ?? "")
        <form method="post" action="/phan-anh/\(Page.esc(code))">\(ui.csrfInput)
        <label for="dt">\(Page.esc(t("petition.phone")))</label>
        <input id="dt" name="dt" type="tel" inputmode="tel" autocomplete="tel" required>
        <button type="submit">\(Page.esc(t("dash.show")))</button></form>
        """
    }

    static func details(_ p: PetitionService.View, phone: String, notice: String?, ui: UI) -> String {
        let t = ui.t
        func at(_ d: Date?) -> String { d.map { Page.esc(FormValues.dateTime($0)) } ?? "—" }
        var html = "<h1>\(Page.esc(t("petition.oneHeading")))<code>\(Page.esc(p.code))</code></h1>"
        if let notice { html += "<p class=\"ok\" role=\"status\">\(Page.esc(notice))</p>" }
        html += """
            <dl><dt>\(Page.esc(t("dossier.status")))</dt><dd>\(Page.esc(t("petitionStatus.\(p.status)")))</dd>
            <dt>\(Page.esc(t("petition.about")))</dt><dd>\(Page.esc(t.pick(p.petitionClass.vietnamese, p.petitionClass.english)))</dd>
            <dt>\(Page.esc(t("dossier.receivedAt")))</dt><dd>\(at(p.receivedAt))</dd>
            <dt>\(Page.esc(t("petition.due")))</dt><dd>\(at(p.deadlines.handleBy))\(p.onTime ? "" : " <span class=\"bad\">(\(Page.esc(t("list.late"))))</span>")</dd>
            \(p.dossierCode.map { "<dt>\(Page.esc(t("dossier.heading")))</dt><dd><code>\(Page.esc($0))</code></dd>" } ?? "")</dl>
            <section><h2>\(Page.esc(t("petition.text")))</h2><p class="pre">\(Page.esc(p.content))</p></section>
            """
        let hidden = "<input type=\"hidden\" name=\"dt\" value=\"\(Page.esc(phone))\">" + ui.csrfInput
        switch p.status {
        case .awaitingSupplement:
            html += """
                <section><h2>\(Page.esc(t("petition.askedFor")))</h2><p class="pre">\(Page.esc(p.answer ?? ""))</p>
                <form method="post" action="/phan-anh/\(Page.esc(p.code))">\(hidden)<input type="hidden" name="buoc" value="bo-sung">
                <label for="bo-sung">\(Page.esc(t("petition.supplement")))</label><textarea id="bo-sung" name="bo-sung" rows="4" required></textarea>
                <button type="submit">\(Page.esc(t("petition.sendSupplement")))</button></form></section>
                """
        case .rejected:
            html += "<section><h2>\(Page.esc(t("petition.rejected")))</h2><p class=\"pre\">\(Page.esc(p.answer ?? ""))</p></section>"
        case .answered, .published:
            html += "<section><h2>\(Page.esc(t("petition.answer")))</h2><p class=\"pre\">\(Page.esc(p.answer ?? ""))</p><p class=\"muted\">\(Page.esc(t("petition.answeredAt"))) \(at(p.answeredAt))</p>"
            if p.status == .published {
                html += """
                    <form method="post" action="/phan-anh/\(Page.esc(p.code))">\(hidden)
                    <p>\(Page.esc(t("petition.askVote", ["likes": String(p.likes), "dislikes": String(p.dislikes)])))</p>
                    <button type="submit" name="buoc" value="like">\(Page.esc(t("rating.satisfied")))</button> <button type="submit" name="buoc" value="dislike">\(Page.esc(t("rating.dissatisfied")))</button></form>
                    """
            }
            html += "</section>"
        case .received: break
        }
        if [.rejected, .answered, .published].contains(p.status) {
            html += "<p><a href=\"/phan-anh?phan-anh-lai=\(Page.esc(p.code))\">\(Page.esc(t("petition.again")))</a></p>"
        }
        return html
    }
}
