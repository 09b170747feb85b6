// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// The audit seen by people: a citizen's "who looked at my data" (`/cong-dan/truy-cap`), and
/// the administrator's export of the ledger for a person or a dossier (`/quan-tri/nhat-ky`,
/// also as CSV).
enum AuditPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/cong-dan/truy-cap") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.citizen), let id = actor.idNumber else { return DashboardPages.signInRedirect(req) }
            let rows = try await app.audit.accesses(of: id, by: actor)
            let t = ui.t
            var body = "<h1>\(Page.esc(t("access.heading")))</h1><p>\(Page.esc(t("access.intro")))</p>"
            body += rows.isEmpty ? "<p>\(Page.esc(t("access.none")))</p>" : try await accessTable(rows, ui: ui, app: app)
            return Page.response(title: t("access.heading"), body: body, ui: ui)
        }
        router.get("/quan-tri/nhat-ky") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.has(.admin) else { return DashboardPages.signInRedirect(req) }
            let t = ui.t
            let person = Form.query(req, "so-dinh-danh") ?? ""
            let dossier = Form.query(req, "ma-ho-so") ?? ""
            var body = "<h1>\(Page.esc(t("audit.heading")))</h1>" + form(person: person, dossier: dossier, ui: ui)
            do {
                if !person.isEmpty {
                    let rows = try await app.audit.accesses(of: person, by: actor)
                    if Form.query(req, "dinh-dang") == "csv" { return csv(rows) }
                    body += "<h2>\(Page.esc(t("audit.person", ["id": PersonalID.masked(person)])))</h2>"
                    body += rows.isEmpty ? "<p>\(Page.esc(t("access.none")))</p>" : try await accessTable(rows, ui: ui, app: app)
                    body += "<p><a href=\"/quan-tri/nhat-ky?so-dinh-danh=\(Page.esc(person))&amp;dinh-dang=csv\">\(Page.esc(t("audit.csv")))</a></p>"
                } else if !dossier.isEmpty {
                    let id = try await app.dossiers.get(code: dossier, by: actor, purpose: "audit-export").dossier.id
                    let entries = try await app.audit.entries(subject: id, by: actor)
                    body += "<h2>\(Page.esc(t("audit.dossier", ["code": dossier])))</h2>" + ledgerTable(entries, ui: ui)
                }
            } catch let e as ServiceError {
                body += "<p class=\"bad\" role=\"alert\">\(Page.esc("\(e)"))</p>"
                return Page.response(title: t("audit.heading"), body: body, status: .badRequest, wide: true, ui: ui)
            }
            return Page.response(title: t("audit.heading"), body: body, wide: true, ui: ui)
        }
    }

    static func form(person: String, dossier: String, ui: UI) -> String {
        let t = ui.t
        return """
            <p>\(Page.esc(t("audit.intro")))</p>
            <form method="get" action="/quan-tri/nhat-ky">
            <label for="so-dinh-danh">\(Page.esc(t("audit.idNumber")))</label><input id="so-dinh-danh" name="so-dinh-danh" inputmode="numeric" value="\(Page.esc(person))">
            <label for="ma-ho-so">\(Page.esc(t("audit.code")))</label><input id="ma-ho-so" name="ma-ho-so" value="\(Page.esc(dossier))">
            <button type="submit">\(Page.esc(t("audit.show")))</button>
            </form>
            """
    }

    /// What a look-up was for, in words (the code itself when no text is known).
    static func purpose(_ p: String, ui: UI) -> String {
        let key = "access.purpose.\(p)"
        let text = ui.t(key)
        return text == key ? p : text
    }

    static func accessTable(_ rows: [AccountStore.DataAccess], ui: UI, app: MotCua) async throws -> String {
        let t = ui.t
        let units = try await app.catalog.unitsByCode()
        let body = rows.map { r in
            """
            <tr><td>\(Page.esc(FormValues.dateTime(r.at)))</td><td>\(Page.esc(r.actorName ?? r.actor))</td>\
            <td>\(Page.esc(r.actorUnit.flatMap { units[$0]?.name } ?? "—"))</td><td>\(Page.esc(purpose(r.purpose, ui: ui)))</td>\
            <td>\(r.dossierCode.map { "<code>\(Page.esc($0))</code>" } ?? "—")</td></tr>
            """
        }.joined(separator: "\n")
        return """
            <table><thead><tr><th scope="col">\(Page.esc(t("access.at")))</th><th scope="col">\(Page.esc(t("access.who")))</th>\
            <th scope="col">\(Page.esc(t("access.unit")))</th><th scope="col">\(Page.esc(t("access.why")))</th><th scope="col">\(Page.esc(t("access.dossier")))</th></tr></thead>
            <tbody>\(body)</tbody></table>
            """
    }

    static func ledgerTable(_ entries: [AuditStore.Entry], ui: UI) -> String {
        let t = ui.t
        let body = entries.map { e in
            "<tr><td>\(e.seq)</td><td>\(Page.esc(e.at))</td><td>\(Page.esc(e.source))</td><td>\(Page.esc(e.actor))</td><td><code>\(Page.esc(String(e.hash.prefix(16))))…</code></td></tr>"
        }.joined(separator: "\n")
        return """
            <table><thead><tr><th scope="col">#</th><th scope="col">\(Page.esc(t("access.at")))</th><th scope="col">\(Page.esc(t("audit.kind")))</th>\
            <th scope="col">\(Page.esc(t("access.who")))</th><th scope="col">\(Page.esc(t("audit.hash")))</th></tr></thead>
            <tbody>\(body)</tbody></table>
            """
    }

    /// The look-ups as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics).
    static func csv(_ rows: [AccountStore.DataAccess]) -> Response {
        func field(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var text = "\u{FEFF}at,actor,name,unit,purpose,dossier\r\n"
        for r in rows {
            text += [ISO8601DateFormatter().string(from: r.at), r.actor, r.actorName ?? "", r.actorUnit ?? "", r.purpose, r.dossierCode ?? ""].map(field).joined(separator: ",") + "\r\n"
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"truy-cap-du-lieu.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
