// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation
import Hummingbird
import Services

/// The officials' side of petitions: the unit's open petitions by deadline, and one petition
/// with its deadlines, history and the steps the official may take (reject, ask for more,
/// answer; publish for leaders).
enum PetitionWorkPages {
    static func register(_ router: Router<AppContext>, app: MotCua) {
        router.get("/phan-anh-xu-ly") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.isOfficial else { return DashboardPages.signInRedirect(req) }
            // An administrator without a unit sees the whole province.
            let province = actor.unit == nil ? try await app.catalog.units().first { $0.kind == .province }?.code : nil
            guard let unit = actor.unit ?? province else { return DashboardPages.signInRedirect(req) }
            let now = app.clock.now()
            let list = try await app.petitions.list(unit: unit, open: true, limit: 500, by: actor)
                .sorted { ($0.deadlines.pending ?? .distantFuture) < ($1.deadlines.pending ?? .distantFuture) }
            let items: [[String: Any]] = list.map { p in
                let late = !p.onTime
                let soon = !late && (p.deadlines.pending.map { $0.timeIntervalSince(now) < 2 * 86_400 } ?? false)
                var row: [String: Any] = [
                    "code": p.code, "about": ui.t.pick(p.petitionClass.vietnamese, p.petitionClass.english), "status": ui.t("petitionStatus.\(p.status)"),
                    "pending": p.deadlines.pending.map(FormValues.dateTime) ?? "—", "css": late ? "late" : soon ? "soon" : "",
                ]
                if late { row["flag"] = ui.t("list.late") } else if soon { row["flag"] = ui.t("list.soon") }
                return row
            }
            return ui.page("petitions", title: ui.t("petitions.heading"), ["items": items, "hasItems": !items.isEmpty])
        }
        router.get("/phan-anh-xu-ly/{code}") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.isOfficial else { return DashboardPages.signInRedirect(req) }
            return try await page(try ctx.path("code"), ui: ui, actor: actor, app: app, notice: Form.query(req, "tb").map { _ in ui.t("petitions.done") })
        }
        router.post("/phan-anh-xu-ly/{code}/{action}") { req, ctx in
            let ui = UI(req, ctx)
            guard let actor = ui.actor, actor.isOfficial else { return DashboardPages.signInRedirect(req) }
            let code = try ctx.path("code")
            let form = try await Form.decode(req)
            guard let action = PetitionAction(rawValue: try ctx.path("action")) else { throw HTTPError(.notFound) }
            do {
                _ = try await app.petitions.act(code: code, action: action, text: form["text"], expectedVersion: Int(form["version"] ?? ""), proof: .account(actor))
            } catch let e as ServiceError {
                switch e {
                case .invalid(_, let message):
                    return try await page(code, ui: ui, actor: actor, app: app, failed: (action, message, form["text"] ?? ""), status: .badRequest)
                case .conflict:
                    return try await page(code, ui: ui, actor: actor, app: app, formError: ui.t("dossier.error.changed"), status: .conflict)
                default: throw e
                }
            }
            return UI.redirect("/phan-anh-xu-ly/\(code)?tb=1")
        }
    }

    static func page(
        _ code: String, ui: UI, actor: Actor, app: MotCua, notice: String? = nil, failed: (PetitionAction, String, String)? = nil, formError: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = ui.t
        let found = try? await app.petitions.get(code: code, proof: .account(actor))
        guard let p = found, p.petitioner != nil else {
            // Not this official's unit (or no such petition): the same answer for both.
            return ui.page("message", title: t("petition.one"), ["heading": "\(t("petition.one")) \(code)", "message": t("petitions.notYours"), "css": "alert"], status: .notFound)
        }
        let textLabels: [PetitionAction: String] = [.reject: "petitions.why", .requestSupplement: "petitions.askWhat", .answer: "petition.answer"]
        let actions: [[String: Any]] = p.allowedActions.filter { $0 != .supplement }.map { a in
            var f: [String: Any] = ["action": a.rawValue, "label": t("petitionAction.\(a)")]
            if let label = textLabels[a] {
                f["needsText"] = true
                f["textLabel"] = t(label)
            }
            if let failed, failed.0 == a {
                f["error"] = failed.1
                f["value"] = failed.2
            }
            return f
        }
        var data: [String: Any] = [
            "code": p.code, "version": p.version, "status": t("petitionStatus.\(p.status)"), "onTime": p.onTime,
            "about": t.pick(p.petitionClass.vietnamese, p.petitionClass.english), "petitioner": p.petitioner.map { "\($0.fullName) · \($0.phone)" } ?? "",
            "receivedAt": FormValues.dateTime(p.receivedAt), "rejectBy": FormValues.dateTime(p.deadlines.rejectBy),
            "askBy": FormValues.dateTime(p.deadlines.requestSupplementBy), "handleBy": FormValues.dateTime(p.deadlines.handleBy),
            "content": p.content, "actions": actions, "hasActions": !actions.isEmpty,
            "events": (p.events ?? []).map { e -> [String: Any] in
                var ev: [String: Any] = ["at": FormValues.dateTime(e.at), "actor": e.actor, "action": t("petitionAction.\(PetitionAction(rawValue: e.action).map { "\($0)" } ?? e.action)")]
                if let x = e.text { ev["text"] = x }
                return ev
            },
        ]
        if let d = p.dossierCode { data["dossierCode"] = d }
        if let o = p.official { data["official"] = o }
        if let a = p.answer { data["answer"] = a }
        if let by = p.deadlines.publishBy { data["publishBy"] = FormValues.dateTime(by) }
        if let formError { data["formError"] = formError }
        return ui.page("petition", title: "\(t("petition.one")) \(p.code)", data, status: status, notice: notice)
    }
}
